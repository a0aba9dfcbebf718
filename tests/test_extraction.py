"""The text of PDF documents page by page (visits.extraction), on PDFs written by
devtools.pdfs: per page and in order, accents kept, pages without text marked, encrypted
and broken files refused with a sentence for staff and never another exception, the limits,
and OCR (replaced by a fake, and for real when OCRmyPDF is installed).

No database: extraction knows no model."""

import io
import random
import shutil
import struct
import subprocess
import zlib

import pypdf
import pytest
from django.template.defaultfilters import filesizeformat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devtools.pdfs import build_pdf, extraction_throughput, realistic_text
from visits import extraction
from visits.extraction import Extraction, ExtractionError, extract_pages, normalise_text

ENGLISH = (
    "The Committee visited police stations, prisons and psychiatric hospitals. It recommends "
    "that every person deprived of liberty be informed of the right of access to a lawyer "
    "and to a doctor from the very outset of custody.\n"
    "The delegation received allegations of ill-treatment (slaps, kicks) at the time of "
    "arrest."
)
FRENCH = (
    "Le Comité européen pour la prévention de la torture a visité des établissements "
    "pénitentiaires où les détenus se sont plaints de mauvais traitements. Il recommande "
    "qu'à côté de l'avocat, un médecin soit accessible dès le début de la garde à vue ; "
    "l'œuvre de prévention continue. « Élève », ça, très, où, naïf, cœur, Noël, 5 €."
)
SCRIPT = "Note <script>alert(1)</script> (entre parenthèses) et C:\\dossier\\rapport."

REAL_OCR_AVAILABLE = extraction.ocr_available
REAL_RUN_OCRMYPDF = extraction.run_ocrmypdf


@pytest.fixture(autouse=True)
def no_ocr(monkeypatch):
    """Without OCR unless a test asks for it: the machine may have OCRmyPDF, which takes
    seconds a page."""
    monkeypatch.setattr(extraction, "ocr_available", lambda: False)

    def must_not_run(*args, **kwargs):
        raise AssertionError("OCR ran although it is not available")

    monkeypatch.setattr(extraction, "run_ocrmypdf", must_not_run)


@pytest.fixture
def fake_ocr(monkeypatch):
    """OCR "available", its program replaced by one that writes each page of its input
    again with the text "Texte reconnu sur la page N", N counting the pages it was given.
    Returns the list of its calls: (source's reader, language)."""
    calls = []

    def run(source, target, language, *, timeout):
        reader = pypdf.PdfReader(source)
        calls.append((reader, language))
        count = len(reader.pages)
        texts = [f"Texte reconnu sur la page {n}" for n in range(1, count + 1)]
        target.write_bytes(build_pdf(texts))

    monkeypatch.setattr(extraction, "ocr_available", lambda: True)
    monkeypatch.setattr(extraction, "installed_tesseract_languages", lambda: {"eng", "fra"})
    monkeypatch.setattr(extraction, "run_ocrmypdf", run)
    return calls


def extract(data, language="en"):
    return extract_pages(io.BytesIO(data), language)


def error_of(data):
    with pytest.raises(ExtractionError) as raised:
        extract(data)
    return raised.value


# Text per page


def test_the_text_of_each_page_in_order_with_its_accents():
    result = extract(build_pdf([ENGLISH, FRENCH, SCRIPT]))

    assert isinstance(result, Extraction)
    assert result.page_count == 3
    assert [page.number for page in result.pages] == [1, 2, 3]
    assert [page.text.split() for page in result.pages] == [
        ENGLISH.split(),
        FRENCH.split(),
        SCRIPT.split(),
    ]
    assert "prévention" in result.pages[1].text and "l'œuvre" in result.pages[1].text
    assert result.pages[2].text == SCRIPT
    assert all(page.has_text_layer and not page.ocr for page in result.pages)


def test_the_lines_are_kept_and_whitespace_collapsed():
    lines = extract(build_pdf([ENGLISH])).pages[0].text.split("\n")

    assert len(lines) > 2 and all(len(line) <= 90 for line in lines)  # wrapped lines
    assert lines[-1].startswith("The delegation")  # a line break of the text
    assert all(line == " ".join(line.split()) for line in lines)


def test_a_page_of_a_report_comes_back_word_for_word():
    pages = [realistic_text(seed=1), realistic_text(seed=2)]

    result = extract(build_pdf(pages))

    assert [page.text.split() for page in result.pages] == [text.split() for text in pages]


def test_a_page_without_text_has_no_text_layer():
    result = extract(build_pdf([ENGLISH, None, FRENCH]))

    blank = result.pages[1]
    assert (blank.number, blank.text, blank.has_text_layer, blank.ocr) == (2, "", False, False)
    assert result.pages[0].has_text_layer and result.pages[2].has_text_layer
    assert result.ocr_available is False


def test_a_path_or_a_file_read_from_its_start(tmp_path):
    data = build_pdf([ENGLISH])
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    file = io.BytesIO(data)
    file.read(64)  # as validate_pdf does

    for source in (path, str(path), file):
        assert extract_pages(source, "en").pages[0].text.split() == ENGLISH.split()


def test_a_page_pypdf_fails_on_is_empty_and_the_others_are_read(monkeypatch):
    extract_text = pypdf.PageObject.extract_text

    def failing_on_page_2(page, *args, **kwargs):
        if page.page_number == 1:
            raise KeyError("/Font")
        return extract_text(page, *args, **kwargs)

    monkeypatch.setattr(pypdf.PageObject, "extract_text", failing_on_page_2)

    result = extract(build_pdf([ENGLISH, FRENCH, SCRIPT]))

    assert [page.has_text_layer for page in result.pages] == [True, False, True]
    assert result.pages[1].text == ""
    assert result.pages[2].text == SCRIPT


# The text's normalisation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\x00b", "ab"),  # PostgreSQL's text cannot hold NUL
        ("a\x07b\x1bc\x7f", "abc"),
        ("broken \ud800font map", "broken font map"),  # a lone surrogate UTF-8 cannot encode
        ("  many \t  spaces\xa0 here  ", "many spaces here"),
        ("one\r\ntwo\rthree", "one\ntwo\nthree"),
        ("first paragraph\n \n\n\t\nsecond", "first paragraph\n\nsecond"),
        ("la préven-\ntion", "la prévention"),
        ("Franco-\nGerman", "Franco-\nGerman"),
        ("in 2024-\n2025", "in 2024-\n2025"),
        (
            "soft hy\u00adphen, and at the end of a li\u00ad\nne",
            "soft hyphen, and at the end of a line",
        ),
        (" \n\t \x0c ", ""),
    ],
)
def test_normalise_text(raw, expected):
    assert normalise_text(raw) == expected


def test_a_page_longer_than_the_limit_is_cut_silently(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_PAGE_CHARACTERS", 40)

    page = extract(build_pdf([ENGLISH])).pages[0]

    assert page.text == ENGLISH[:40]


# Encrypted files


def test_a_pdf_encrypted_with_a_user_password_is_refused():
    error = error_of(build_pdf([ENGLISH], encrypt_password="s3cret"))

    assert error.code == "encrypted"
    assert str(error) == "The PDF is encrypted with a password."


def test_a_pdf_with_only_an_owner_password_is_read():
    data = build_pdf([ENGLISH, FRENCH], owner_password="no-printing")
    assert pypdf.PdfReader(io.BytesIO(data)).is_encrypted

    result = extract(data)

    assert [page.text.split() for page in result.pages] == [ENGLISH.split(), FRENCH.split()]


# Broken files


def png():
    """A small valid PNG image: one white pixel."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


BROKEN_FILES = {
    "empty": b"",
    "random bytes": random.Random(1).randbytes(4096),
    "truncated": build_pdf([ENGLISH, FRENCH])[:600],
    "a PNG renamed": png(),
    "a header and nothing else": b"%PDF-1.7\n%%EOF\n",
    "text": b"Not a PDF at all, only a note about the report.\n",
}


@pytest.mark.parametrize("data", BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
def test_a_file_pypdf_cannot_read_is_refused_with_its_reason(data):
    error = error_of(data)

    assert error.code == "not_pdf"
    assert str(error).startswith("The file is not a readable PDF (")
    assert str(error).endswith(").")


def test_an_empty_file_says_so():
    assert str(error_of(b"")) == "The file is not a readable PDF (Cannot read an empty file)."


def test_a_pdf_without_pages_is_refused():
    error = error_of(build_pdf([]))

    assert (error.code, str(error)) == ("no_pages", "The PDF has no pages.")


FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VALID = build_pdf([ENGLISH, None, FRENCH], owner_password="owner")


@FUZZ
@given(st.binary(max_size=2048))
def test_any_bytes_give_pages_or_an_extraction_error(data):
    try:
        result = extract(data)
    except ExtractionError as error:
        assert str(error)
    else:
        assert result.page_count >= 1


@FUZZ
@given(
    st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.integers(0, 255)), max_size=20),
    st.integers(0, len(VALID)),
)
def test_a_damaged_pdf_gives_pages_or_an_extraction_error(changes, length):
    """A real PDF (encrypted, so that decryption is damaged too) with bytes changed and cut
    short: pypdf then raises its whole range of exceptions."""
    data = bytearray(VALID)
    for position, byte in changes:
        data[position] = byte
    try:
        result = extract(bytes(data[:length]))
    except ExtractionError as error:
        assert str(error)
    else:
        assert all(page.number == index for index, page in enumerate(result.pages, start=1))


# Limits


def test_a_file_larger_than_the_limit_is_refused(monkeypatch):
    data = build_pdf([ENGLISH])
    monkeypatch.setattr(extraction, "MAX_FILE_BYTES", len(data) - 1)

    error = error_of(data)

    assert error.code == "too_large"
    assert str(error) == (
        f"The file is {filesizeformat(len(data))}; the text is extracted from files of at "
        f"most {filesizeformat(len(data) - 1)}."
    )


def test_a_file_as_large_as_the_limit_is_read(monkeypatch):
    data = build_pdf([ENGLISH])
    monkeypatch.setattr(extraction, "MAX_FILE_BYTES", len(data))

    assert extract(data).page_count == 1


def test_a_pdf_with_too_many_pages_is_refused(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_PAGES", 1_000)

    error = error_of(build_pdf([None] * 1_001))

    assert error.code == "too_many_pages"
    assert str(error) == (
        "The PDF has 1,001 pages; the text is extracted from PDFs of at most 1,000."
    )


def test_a_pdf_with_as_many_pages_as_the_limit_is_read(monkeypatch):
    monkeypatch.setattr(extraction, "MAX_PAGES", 2)

    assert extract(build_pdf([ENGLISH, FRENCH])).page_count == 2


# OCR


def test_without_ocr_pages_without_text_stay_empty():
    result = extract(build_pdf([None, ENGLISH, None]))

    assert result.ocr_available is False
    assert [(page.text, page.has_text_layer, page.ocr) for page in result.pages[::2]] == [
        ("", False, False),
        ("", False, False),
    ]


def test_ocr_gives_the_text_of_the_pages_without_one(fake_ocr):
    result = extract(build_pdf([ENGLISH, None, FRENCH, None]), "fr")

    assert result.ocr_available is True
    assert [(page.text, page.has_text_layer, page.ocr) for page in result.pages] == [
        (result.pages[0].text, True, False),
        ("Texte reconnu sur la page 1", False, True),
        (result.pages[2].text, True, False),
        ("Texte reconnu sur la page 2", False, True),
    ]
    [(source, language)] = fake_ocr
    assert len(source.pages) == 2  # only the pages without text
    assert language == "fra"


def test_ocr_is_not_run_when_every_page_has_text(fake_ocr):
    result = extract(build_pdf([ENGLISH, FRENCH]))

    assert result.ocr_available is True
    assert fake_ocr == []


def test_ocr_gets_a_decrypted_copy_of_an_owner_password_pdf(fake_ocr):
    result = extract(build_pdf([ENGLISH, None], owner_password="no-printing"))

    [(source, _language)] = fake_ocr
    assert not source.is_encrypted
    assert result.pages[1].ocr and result.pages[1].text == "Texte reconnu sur la page 1"


def failing_ocr(source, target, language, *, timeout):
    raise subprocess.CalledProcessError(2, ["ocrmypdf"], stderr=b"ERROR - no tesseract data")


def silent_ocr(source, target, language, *, timeout):
    """Returns as if it worked but writes nothing."""


def timed_out_ocr(source, target, language, *, timeout):
    raise subprocess.TimeoutExpired(["ocrmypdf"], timeout)


def garbage_ocr(source, target, language, *, timeout):
    target.write_bytes(b"not a PDF")


@pytest.mark.parametrize("run", [failing_ocr, silent_ocr, timed_out_ocr, garbage_ocr])
def test_when_ocr_fails_the_pages_stay_without_text(fake_ocr, monkeypatch, run):
    monkeypatch.setattr(extraction, "run_ocrmypdf", run)

    result = extract(build_pdf([ENGLISH, None]))

    assert result.ocr_available is True
    assert (result.pages[1].text, result.pages[1].has_text_layer, result.pages[1].ocr) == (
        "",
        False,
        False,
    )
    assert result.pages[0].text.split() == ENGLISH.split()


def test_a_page_ocr_finds_no_text_on_stays_without_text(fake_ocr, monkeypatch):
    def blank_ocr(source, target, language, *, timeout):
        target.write_bytes(build_pdf([None]))

    monkeypatch.setattr(extraction, "run_ocrmypdf", blank_ocr)

    page = extract(build_pdf([None])).pages[0]

    assert (page.text, page.has_text_layer, page.ocr) == ("", False, False)


@pytest.mark.parametrize(
    ("language", "installed", "expected"),
    [
        ("en", {"eng", "fra"}, "eng"),
        ("fr", {"eng", "fra"}, "fra"),
        ("el", {"eng", "ell"}, "ell"),
        ("el", {"eng", "fra"}, "eng"),  # Greek data not installed
        ("xx", {"eng", "fra"}, "eng"),  # no Tesseract language known
        ("fr", set(), "eng"),  # tesseract cannot list them
    ],
)
def test_tesseract_language(monkeypatch, language, installed, expected):
    monkeypatch.setattr(extraction, "installed_tesseract_languages", lambda: installed)

    assert extraction.tesseract_language(language) == expected


def test_installed_tesseract_languages_are_read_from_its_list(monkeypatch):
    listing = 'List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):\n'
    listing += "eng\nfra\nosd\n"
    completed = subprocess.CompletedProcess(["tesseract"], 0, stdout=listing, stderr="")
    monkeypatch.setattr(extraction.subprocess, "run", lambda *args, **kwargs: completed)

    assert extraction.installed_tesseract_languages() == {"eng", "fra", "osd"}


def test_no_tesseract_languages_when_it_cannot_run(monkeypatch):
    def missing(*args, **kwargs):
        raise FileNotFoundError("tesseract")

    monkeypatch.setattr(extraction.subprocess, "run", missing)

    assert extraction.installed_tesseract_languages() == set()


@pytest.mark.parametrize(
    ("programs", "available"),
    [({"ocrmypdf", "tesseract"}, True), ({"ocrmypdf"}, False), ({"tesseract"}, False)],
)
def test_ocr_is_available_with_both_programs(monkeypatch, programs, available):
    monkeypatch.setattr(
        extraction.shutil, "which", lambda name: f"/usr/bin/{name}" if name in programs else None
    )

    assert REAL_OCR_AVAILABLE() is available


OCR_TOOLS = ("ocrmypdf", "tesseract", "gs")


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in OCR_TOOLS),
    reason="OCRmyPDF, Tesseract and Ghostscript are not all installed",
)
def test_real_ocr_of_a_scanned_page(monkeypatch, tmp_path):
    """A page of text turned into an image (by Ghostscript, which OCRmyPDF needs anyway), as
    a scanner makes it, read back by OCRmyPDF and Tesseract."""
    monkeypatch.setattr(extraction, "ocr_available", REAL_OCR_AVAILABLE)
    monkeypatch.setattr(extraction, "run_ocrmypdf", REAL_RUN_OCRMYPDF)
    text = (
        "Le Comité européen pour la prévention de la torture a visité la prison.\n"
        "The Committee visited police stations and recommends access to a lawyer."
    )
    (tmp_path / "text.pdf").write_bytes(build_pdf([text]))
    scan = tmp_path / "scan.pdf"
    subprocess.run(
        ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfimage8", "-r300"]
        + ["-o", str(scan), str(tmp_path / "text.pdf")],
        check=True,
    )

    page = extract_pages(scan, "fr").pages[0]

    assert (page.has_text_layer, page.ocr) == (False, True)
    for word in ("Comité", "prévention", "torture", "Committee", "lawyer"):
        assert word in page.text


# The builder of test PDFs


def test_built_pdfs_have_a_correct_cross_reference_table():
    reader = pypdf.PdfReader(io.BytesIO(build_pdf([ENGLISH, None, FRENCH])), strict=True)

    assert len(reader.pages) == 3
    assert reader.pages[2].extract_text().split() == FRENCH.split()


def test_built_pdfs_cannot_hold_characters_outside_winansi():
    with pytest.raises(UnicodeEncodeError):
        build_pdf(["Ευρωπαϊκή Επιτροπή"])


def test_extraction_throughput_is_a_rate():
    assert extraction_throughput(pages=3) > 0
