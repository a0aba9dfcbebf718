"""The text of an uploaded PDF document, page by page, for the search of documents.

No model here: the background task calls extract_pages() and stores what it returns. pypdf
reads each page's text layer; the pages without one (scans) go through OCRmyPDF (Tesseract)
when the machine has it. Whatever is wrong with the file, the caller gets an Extraction or an
ExtractionError whose message tells staff why, never another exception from pypdf (which
raises many kinds on broken files): a document that cannot be read must not bring the
worker down.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from pypdf import PasswordType, PdfReader, PdfWriter

logger = logging.getLogger(__name__)

# Above the upload limit (settings.REPORT_FILE_MAX_BYTES): a guard for files that came in
# another way, as pypdf holds the whole file in memory.
MAX_FILE_BYTES = 200 * 1024 * 1024
# The longest reports run to a few hundred pages, with their appendices.
MAX_PAGES = 1_500
# A page of a report holds 2,000 to 5,000 characters; far more is a broken text layer
# (a chart's labels repeated), cut silently.
MAX_PAGE_CHARACTERS = 200_000

# OCRmyPDF's time: starting it, then each page rendered and recognised on one core.
OCR_TIMEOUT_SECONDS = 60
OCR_TIMEOUT_SECONDS_PER_PAGE = 30
OCR_FALLBACK_LANGUAGE = "eng"

# ISO 639-1 (Document.language) to Tesseract's language data, named in ISO 639-2/T or
# 639-3: the languages of Europe and of the other States that visits may concern.
TESSERACT_LANGUAGES = {
    "ar": "ara",
    "az": "aze",
    "be": "bel",
    "bg": "bul",
    "bs": "bos",
    "ca": "cat",
    "cs": "ces",
    "cy": "cym",
    "da": "dan",
    "de": "deu",
    "el": "ell",
    "en": "eng",
    "es": "spa",
    "et": "est",
    "eu": "eus",
    "fa": "fas",
    "fi": "fin",
    "fr": "fra",
    "ga": "gle",
    "gl": "glg",
    "he": "heb",
    "hr": "hrv",
    "hu": "hun",
    "hy": "hye",
    "id": "ind",
    "is": "isl",
    "it": "ita",
    "ka": "kat",
    "kk": "kaz",
    "ky": "kir",
    "lb": "ltz",
    "lt": "lit",
    "lv": "lav",
    "mk": "mkd",
    "mn": "mon",
    "mt": "mlt",
    "nb": "nor",
    "nl": "nld",
    "no": "nor",
    "pl": "pol",
    "pt": "por",
    "ro": "ron",
    "ru": "rus",
    "sk": "slk",
    "sl": "slv",
    "sq": "sqi",
    "sr": "srp",
    "sv": "swe",
    "tg": "tgk",
    "tr": "tur",
    "uk": "ukr",
    "uz": "uzb",
}

Source = IO[bytes] | str | os.PathLike[str]


@dataclass(frozen=True)
class Page:
    """One page's text. has_text_layer says whether the uploaded file had text on the page;
    ocr, whether the text came from OCR instead (then has_text_layer is False)."""

    number: int  # from 1
    text: str
    has_text_layer: bool
    ocr: bool


@dataclass(frozen=True)
class Extraction:
    """Every page of the file, in order. ocr_available says whether the pages without a text
    layer could be sent to OCR: when not, their text is empty until OCR is installed."""

    pages: list[Page]
    ocr_available: bool

    @property
    def page_count(self) -> int:
        return len(self.pages)


class ExtractionError(Exception):
    """Why no text could be taken from the file, in one sentence for staff; code names the
    case for programs: too_large, not_pdf, encrypted, no_pages or too_many_pages."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def extract_pages(file: Source, language: str) -> Extraction:
    """The text of every page of the PDF ``file`` (an open binary file, read from its start,
    or a path), ``language`` being its ISO 639-1 code, for OCR.

    Raises ExtractionError when the file is too large, not a PDF pypdf can read, encrypted
    with a user password, empty or too long; OSError when it cannot be read at all (the
    storage's problem, not the file's: worth trying again). A page pypdf fails on, or
    without text, comes back empty unless OCR finds its text."""
    reader = _open(_read(file))
    count = _page_count(reader)
    pages = [_page(number, _page_text(reader, number - 1)) for number in range(1, count + 1)]
    available = ocr_available()
    without_text = [page.number for page in pages if not page.has_text_layer]
    if without_text and available:
        pages = _with_ocr(pages, _ocr_texts(reader, without_text, language))
    return Extraction(pages=pages, ocr_available=available)


def _read(file: Source) -> bytes:
    if isinstance(file, (str, os.PathLike)):
        with open(file, "rb") as opened:
            return _read_limited(opened)
    return _read_limited(file)


def _read_limited(file: IO[bytes]) -> bytes:
    """The whole file, from its start (its caller may have read its head), if it is no larger
    than MAX_FILE_BYTES: read once, for pypdf and for OCR."""
    file.seek(0)
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        size = file.seek(0, os.SEEK_END)
        raise ExtractionError(
            _("The file is %(size)s; the text is extracted from files of at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(MAX_FILE_BYTES)},
            "too_large",
        )
    return data


def _open(data: bytes) -> PdfReader:
    """The PDF read by pypdf, lenient with the small faults of real files (strict=False).
    An encrypted PDF is opened with the empty user password: the many PDFs that only
    restrict printing or copying have no other, and their text is readable."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        locked = reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED
    except Exception as error:
        raise _unreadable(error) from error
    if locked:
        raise ExtractionError(_("The PDF is encrypted with a password."), "encrypted")
    return reader


def _page_count(reader: PdfReader) -> int:
    """The number of pages, when there is something to extract and not too much."""
    try:
        count = len(reader.pages)
    except Exception as error:
        raise _unreadable(error) from error
    if count == 0:
        raise ExtractionError(_("The PDF has no pages."), "no_pages")
    if count > MAX_PAGES:
        raise ExtractionError(
            _("The PDF has %(count)s pages; the text is extracted from PDFs of at most %(limit)s.")
            % {
                "count": number_format(count, force_grouping=True),
                "limit": number_format(MAX_PAGES, force_grouping=True),
            },
            "too_many_pages",
        )
    return count


def _unreadable(error: Exception) -> ExtractionError:
    """The error for a file pypdf cannot open, with pypdf's reason, which a developer may
    need (e.g. "EOF marker not found")."""
    logger.info("pypdf cannot read a file", exc_info=error)
    reason = (str(error) or type(error).__name__)[:200]
    return ExtractionError(
        _("The file is not a readable PDF (%(reason)s).") % {"reason": reason}, "not_pdf"
    )


def _page_text(reader: PdfReader, index: int) -> str:
    """The page's text as pypdf extracts it, or "" when pypdf fails on the page: the other
    pages are still worth having."""
    try:
        return reader.pages[index].extract_text()
    except Exception:
        logger.warning("pypdf cannot extract the text of page %d", index + 1, exc_info=True)
        return ""


def _page(number: int, raw_text: str) -> Page:
    text = normalise_text(raw_text)
    return Page(number=number, text=text, has_text_layer=bool(text), ocr=False)


_UNWANTED = re.compile(
    # NUL (PostgreSQL text cannot hold it), the other control characters but the whitespace
    # ones, and lone surrogates from broken font maps (UTF-8 cannot encode them).
    "[\x00-\x08\x0e-\x1b\x7f\ud800-\udfff]"
)
_SOFT_HYPHEN = re.compile("\u00ad\n?")
_HYPHEN_AT_LINE_END = re.compile(r"(?<=[^\W\d_])-\n(?=([^\W\d_]))")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """The text ready to store and search: no control characters, each line's whitespace
    collapsed to single spaces, at most one blank line in a row (a paragraph break), words
    split by a hyphen at a line's end joined again when the line after goes on in lower case,
    and no more than MAX_PAGE_CHARACTERS."""
    text = _UNWANTED.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text).strip()
    text = _SOFT_HYPHEN.sub("", text)
    text = _HYPHEN_AT_LINE_END.sub(_join_hyphenated, text)
    return text[:MAX_PAGE_CHARACTERS]


def _join_hyphenated(match: re.Match[str]) -> str:
    """ "préven-" then "tion" is one word; "Franco-" then "German" is not."""
    return "" if match.group(1).islower() else match.group(0)


def ocr_available() -> bool:
    """Whether OCRmyPDF and Tesseract, which it runs, are installed."""
    return shutil.which("ocrmypdf") is not None and shutil.which("tesseract") is not None


def tesseract_language(language: str) -> str:
    """Tesseract's name of the ISO 639-1 ``language`` when its data is installed, else
    English's: OCR in another alphabet's model would read nothing useful anyway, and
    Tesseract refuses a language it lacks."""
    wanted = TESSERACT_LANGUAGES.get(language, OCR_FALLBACK_LANGUAGE)
    return wanted if wanted in installed_tesseract_languages() else OCR_FALLBACK_LANGUAGE


def installed_tesseract_languages() -> set[str]:
    """The languages ``tesseract --list-langs`` lists (after a heading line), none when it
    cannot be run."""
    try:
        result = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return set()
    lines = (line.strip() for line in (result.stdout + result.stderr).splitlines())
    return {line for line in lines if line and " " not in line}


def _ocr_texts(reader: PdfReader, numbers: list[int], language: str) -> dict[int, str]:
    """The text OCR finds on the pages ``numbers``, by page number: {} when OCR fails, as
    the pages are then kept without text rather than the whole document lost. Only those
    pages are copied (decrypted) for OCRmyPDF, which refuses encrypted files."""
    with tempfile.TemporaryDirectory(prefix="extraction-") as folder:
        source = Path(folder) / "without-text.pdf"
        target = Path(folder) / "ocr.pdf"
        try:
            _write_pages(reader, numbers, source)
            run_ocrmypdf(
                source,
                target,
                tesseract_language(language),
                timeout=OCR_TIMEOUT_SECONDS + OCR_TIMEOUT_SECONDS_PER_PAGE * len(numbers),
            )
            recognised = PdfReader(target, strict=False)
            return {
                number: normalise_text(_page_text(recognised, index))
                for index, number in enumerate(numbers)
            }
        except subprocess.CalledProcessError as error:
            stderr = (error.stderr or b"")[-2000:].decode(errors="replace")
            logger.warning("ocrmypdf failed (exit status %s): %s", error.returncode, stderr)
        except Exception:
            logger.warning("OCR failed; the pages stay without text", exc_info=True)
    return {}


def _with_ocr(pages: list[Page], texts: dict[int, str]) -> list[Page]:
    """The pages, those OCR found text on carrying it."""
    return [
        replace(page, text=texts[page.number], ocr=True) if texts.get(page.number) else page
        for page in pages
    ]


def _write_pages(reader: PdfReader, numbers: list[int], path: Path) -> None:
    writer = PdfWriter()
    for number in numbers:
        writer.add_page(reader.pages[number - 1])
    writer.write(path)


def run_ocrmypdf(source: Path, target: Path, language: str, *, timeout: float) -> None:
    """The one call of the OCRmyPDF program (the tests replace it); raises when it fails.
    --skip-text leaves a page with text after all as it is; one job, as the worker shares
    the machine with the site; no optimisation of the output, of which only the text is read.
    """
    subprocess.run(
        [
            "ocrmypdf",
            "--skip-text",
            "--language",
            language,
            "--output-type",
            "pdf",
            "--jobs",
            "1",
            "--optimize",
            "0",
            "--quiet",
            str(source),
            str(target),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
