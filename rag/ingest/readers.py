"""Read a document of any supported format into plain text lines.

`.txt` (UTF-8, GBK/GB18030 or whatever charset-normalizer recognises), `.md`, `.html`/`.htm`, `.pdf`
(text layer) and `.docx`. A `.txt` that is a crawler's Markdown export is read as Markdown. Each reader uses a
maintained library; none parses a format by hand. Problems become :class:`IngestError` naming the file; a
document over MAX_DOCUMENT_BYTES is refused before it is decoded or parsed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import IngestError
from ..limits import MAX_DOCUMENT_BYTES
from .markdown import PageHeader, looks_like_markdown, read_markdown
from .noise import Dropped

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than \t \n \f \r
_MB = 1024 * 1024


def check_size(path: str, size: int, what: str = "") -> None:
    """IngestError when a document (`what`: which part of it was measured) is over MAX_DOCUMENT_BYTES."""
    if size > MAX_DOCUMENT_BYTES:
        raise IngestError(path, f"{what}{size / _MB:.1f} MB, over the limit of {MAX_DOCUMENT_BYTES // _MB} MB; "
                                "split the document into smaller files and ingest each of them")


def decode_bytes(data: bytes, path: str) -> tuple[str, str]:
    """Decode text bytes; returns (text, encoding). UTF-8 first, then GB18030, then detection."""
    if not data.strip():
        raise IngestError(path, "the file is empty")
    if b"\x00" in data[:8192]:
        raise IngestError(path, "binary data, not text (found NUL bytes)")
    text, encoding = _decode(data)
    if text is None:
        raise IngestError(path, "not readable as text in any known encoding")
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise IngestError(path, "binary data, not text (too many control characters)")
    return text, encoding


def _decode(data: bytes) -> tuple[str | None, str]:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc), "utf-8" if enc == "utf-8-sig" else enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return (str(best), best.encoding) if best is not None else (None, "")


@dataclass
class ReadDocument:
    """A document's text as read (one entry per source line for Markdown), how it was read, what a page header
    said about it, and the lines set aside while reading (the header, a footer), each with its reason."""

    text: str
    read_as: str
    header: PageHeader = field(default_factory=PageHeader)
    set_aside: list[Dropped] = field(default_factory=list)


def html_to_text(html: str | bytes) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "svg", "nav", "header", "footer",
                     "aside", "form", "button", "select", "iframe"]):
        tag.decompose()
    return soup.get_text("\n")


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise IngestError(str(path), f"not a readable PDF ({exc})") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise IngestError(str(path), "the PDF has no text layer (a scan?); run OCR first and ingest the text")
    return text


def _read_docx(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise IngestError(str(path), f"not a readable .docx file ({exc})") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def read_document(path: Path) -> ReadDocument:
    """The text of a supported file and how it was read, or IngestError."""
    name = str(path)
    if not path.is_file():
        raise IngestError(name, "no such file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(name, f"unsupported file type {suffix or '(none)'}; "
                                f"supported: {', '.join(SUPPORTED_SUFFIXES)}")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(name, "the file is empty")
    if suffix in (".pdf", ".docx"):  # (the file holds images and compressed parts too: its text is measured)
        text = _read_pdf(path) if suffix == ".pdf" else _read_docx(path)
        check_size(name, len(text.encode("utf-8", "replace")), "its text is ")
        return ReadDocument(text, "pdf text layer" if suffix == ".pdf" else "docx")
    check_size(name, size)
    text, encoding = decode_bytes(path.read_bytes(), name)
    if suffix in (".html", ".htm"):
        return ReadDocument(html_to_text(text), f"html ({encoding})")
    if suffix in (".md", ".markdown") or looks_like_markdown(text):
        page = read_markdown(text)
        kind = "markdown" if suffix in (".md", ".markdown") else "markdown export in a text file"
        return ReadDocument("\n".join(page.lines), f"{kind} ({encoding})", page.header, page.set_aside)
    return ReadDocument(text, f"text ({encoding})")
