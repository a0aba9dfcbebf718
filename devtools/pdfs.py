"""PDF files written by hand for the tests and the extraction's throughput: no dependency but
pypdf (already one of the runtime's), which only encrypts them.

``build_pdf`` draws each page's text with the standard Helvetica font in WinAnsiEncoding, the
single-byte encoding every PDF reader knows without an embedded font: it holds the accents of
French (é, è, à, ç, ô, œ…) and the typographic quotes, not Greek or Cyrillic.
"""

from __future__ import annotations

import io
import random
import textwrap
import time
import zlib

from pypdf import PdfWriter

PAGE_WIDTH = 595  # A4, in points
PAGE_HEIGHT = 842
MARGIN = 56
FONT_SIZE = 10
LEADING = 12
LINE_CHARACTERS = 90


def build_pdf(
    pages: list[str | None],
    *,
    encrypt_password: str | None = None,
    owner_password: str | None = None,
) -> bytes:
    """A valid PDF with one page per item: its text wrapped at about 90 characters (a line
    break in the text starts a new line), or, for None, a page with a grey rectangle and no
    text at all, as a scanned page has none.

    ``encrypt_password`` encrypts the file (AES-256) with that user password, needed to open
    it; ``owner_password`` alone encrypts it with an empty user password, as the PDFs that
    only restrict printing are. Raises UnicodeEncodeError for a character WinAnsiEncoding
    lacks."""
    objects = _objects(pages)
    data = _serialise(objects)
    if encrypt_password is None and owner_password is None:
        return data
    return _encrypted(data, user_password=encrypt_password or "", owner_password=owner_password)


def _objects(pages: list[str | None]) -> list[bytes]:
    """The file's objects, numbered from 1 in order: the catalogue, the page tree, the font,
    then each page followed by its content stream."""
    count = len(pages)
    kids = " ".join(f"{4 + 2 * index} 0 R" for index in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for index, text in enumerate(pages):
        content = _rectangle() if text is None else _text_content(text)
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}]"
                f" /Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * index} 0 R >>"
            ).encode()
        )
        objects.append(_stream(content))
    return objects


def _text_content(text: str) -> bytes:
    """The drawing of the text's lines from the top left corner, one below the other. A text
    longer than a page (about 60 lines) runs off its bottom: still in the file and extracted,
    though no viewer shows it."""
    top = PAGE_HEIGHT - MARGIN
    operations = [f"BT /F1 {FONT_SIZE} Tf {LEADING} TL {MARGIN} {top} Td".encode()]
    for line in _lines(text):
        operations.append(b"(" + _pdf_string(line) + b") Tj T*")
    operations.append(b"ET")
    return b"\n".join(operations)


def _lines(text: str) -> list[str]:
    """The text's lines, wrapped at LINE_CHARACTERS. Never at a hyphen: a line ending in one
    would be read back joined to the next ("well-" "known" as "wellknown")."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        wrapped = textwrap.wrap(paragraph, LINE_CHARACTERS, break_on_hyphens=False)
        lines.extend(wrapped or [""])
    return lines


def _pdf_string(line: str) -> bytes:
    """The line in WinAnsiEncoding (Python's cp1252, which it matches on every character
    cp1252 defines) as the inside of a PDF literal string: the backslash and parentheses
    escaped, and every byte outside printable ASCII in octal, so that the file stays text."""
    escaped = bytearray()
    for byte in line.encode("cp1252"):
        if byte in b"()\\":
            escaped += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            escaped.append(byte)
        else:
            escaped += f"\\{byte:03o}".encode()
    return bytes(escaped)


def _rectangle() -> bytes:
    """A grey rectangle: something drawn, but no text."""
    return b"0.8 g 100 400 395 300 re f"


def _stream(content: bytes) -> bytes:
    """A Flate-compressed content stream, as most PDFs' are."""
    compressed = zlib.compress(content)
    header = f"<< /Length {len(compressed)} /Filter /FlateDecode >>\nstream\n".encode()
    return header + compressed + b"\nendstream"


def _serialise(objects: list[bytes]) -> bytes:
    """The header, the numbered objects, the cross-reference table of their byte offsets
    (each entry exactly 20 bytes, as the format requires) and the trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")  # binary comment: the file is not text
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _encrypted(data: bytes, *, user_password: str, owner_password: str | None) -> bytes:
    """The PDF encrypted with AES-256 by pypdf (which needs the cryptography package)."""
    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SAMPLE = (
    "the Committee visited police stations prisons and psychiatric hospitals of the State "
    "and recommends that detained persons be informed of their rights from the outset "
    "le Comité a visité des établissements pénitentiaires où les détenus se sont plaints "
    "de mauvais traitements lors de leur arrestation et recommande que chaque personne "
    "privée de liberté ait accès à un avocat ainsi qu'à un médecin dès le début de sa garde "
    "à vue the delegation received allegations of ill-treatment by police officers"
)


def realistic_text(characters: int = 3_000, *, seed: int = 0) -> str:
    """About ``characters`` of English and French words in sentences and paragraphs, as a
    report's page holds: the same text for the same seed."""
    chooser = random.Random(seed)
    words = SAMPLE.split()
    paragraphs: list[str] = []
    length = 0
    while length < characters:
        sentences = []
        for _sentence in range(chooser.randint(2, 5)):
            sentence = " ".join(chooser.choices(words, k=chooser.randint(8, 25)))
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 1
    return "\n".join(paragraphs)


def extraction_throughput(pages: int = 100) -> float:
    """Pages per second that visits.extraction.extract_pages reads from a generated PDF of
    ``pages`` pages of about 3,000 characters each, all with a text layer (no OCR)."""
    from visits.extraction import extract_pages

    data = build_pdf([realistic_text(seed=number) for number in range(pages)])
    start = time.perf_counter()
    extract_pages(io.BytesIO(data), "en")
    return pages / (time.perf_counter() - start)
