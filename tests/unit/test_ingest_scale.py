"""Ingest at scale: time linear in the document's length, a size limit with a clear message, progress for a long
document. The long documents are a real plan's body repeated with its headings renumbered onward (parts
`一、`…, sections `(一)`…, items `1.`…), so every clause keeps a path of its own."""
from __future__ import annotations

import gc
import re
import time
from pathlib import Path

import pytest
from support import raw_text

from rag.errors import IngestError
from rag.ingest.body import COLUMN, ITEM, PART, SECTION, SUBITEM
from rag.ingest.clean import clean_lines
from rag.ingest.library import IngestResult, Library
from rag.ingest.shapes import detect
from rag.limits import MAX_DOCUMENT_BYTES
from rag.settings import Settings
from rag.types import ClauseKind

MB = 1_000_000
# 10 times the text may take 10 times the time, with a margin for the memory caches: a bare loop over 10 times the
# lines already takes more than 10 times as long, and the parser takes 10.5 to 12.5 times. Time growing with the
# square of the length takes about 100 times (the parser before this test: 10 s for the 1 MB document, 10 MB
# unfinished after 15 minutes).
MAX_TIME_RATIO = 10 * 1.5
_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    """1..99 as a part or section number: `一`, `十`, `十一`, `二十`, `九十九`."""
    tens, ones = divmod(n, 10)
    return ((_DIGITS[tens] if tens > 1 else "") + "十" if tens else "") + (_DIGITS[ones] if ones else "")


def renumbered(seed: str, size: int) -> str:
    """The seed's front matter, then its body over and over with every heading numbered onward, to `size` bytes.

    A new part opens whenever the next copy's sections or items would pass what a path can number (99, 999);
    the seed's own parts become sections."""
    texts = [line.text for line in clean_lines(seed)[0]]
    start = detect(texts).start
    front, body = texts[:start], texts[start:]
    sections = sum(1 for t in body if PART.match(t) or SECTION.match(t))
    items = sum(1 for t in body if ITEM.match(t) or COLUMN.match(t))
    out, total = list(front), sum(len(t.encode()) + 1 for t in front)
    part, section, item, column, subitem = 0, 99, 999, 0, 0
    while total < size:
        if section + sections > 99 or item + items > 999:
            part, section, item, column = part + 1, 0, 0, 0
            assert part <= 99, "the seed is too short for this size"
            out.append(f"{_chinese(part)}、重点任务{part}")
        for text in body:
            if m := PART.match(text) or SECTION.match(text):
                section, subitem = section + 1, 0
                text = f"({_chinese(section)}){m.group(2)}"
            elif m := COLUMN.match(text):
                column += 1
                text = f"专栏{column}{m.group(2)}"
            elif m := ITEM.match(text):
                item, subitem = item + 1, 0
                text = f"{item}.{m.group(2)}"
            elif m := SUBITEM.match(text):
                subitem += 1
                text = f"({subitem}){m.group(2)}"
            out.append(text)
            total += len(text.encode()) + 1
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("long")
    seed = raw_text("jinan-2022")
    out = {}
    for name, size in (("short", MB // 8), ("1mb", MB), ("2mb", 2 * MB), ("10mb", 10 * MB)):
        out[name] = root / f"long-{name}.txt"
        out[name].write_text(renumbered(seed, size), encoding="utf-8")
    return out


def _library(tmp_path: Path, **kwargs) -> Library:
    return Library(Settings(home=tmp_path / "home", corpus=tmp_path / "corpus"), **kwargs)


def _timed(library: Library, path: Path) -> tuple[float, IngestResult]:
    """CPU seconds to read and parse one document (as `timeit` does, with the garbage collector paused; CPU time,
    so that other programs on a busy machine count for little)."""
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        result = library.parse(path, "long-2024", {"file": path.name})
        return time.process_time() - start, result
    finally:
        gc.enable()


def test_ten_times_the_text_takes_about_ten_times_as_long(documents, tmp_path):
    library = _library(tmp_path)
    small = [_timed(library, documents["1mb"]) for _ in range(3)]
    t_small, doc_small = min(t for t, _ in small), small[0][1].doc
    t_big, big = _timed(library, documents["10mb"])
    if t_big > MAX_TIME_RATIO * t_small:  # one retry: a busy machine may have slowed a single run
        t_big = min(t_big, _timed(library, documents["10mb"])[0])
    assert t_big <= MAX_TIME_RATIO * t_small, f"1 MB: {t_small:.2f} s, 10 MB: {t_big:.2f} s"
    assert t_big < 15, f"10 MB took {t_big:.1f} s"
    ratio = len(big.doc.clauses) / len(doc_small.clauses)
    assert 9.5 <= ratio <= 10.5, (len(doc_small.clauses), len(big.doc.clauses))
    # the renumbering is what it should be: headings in sequence, one clause per path in the body
    assert not big.doc.warnings and big.doc.shape == "parts and sections"
    paths = [c.item_path for c in big.doc.clauses if c.kind in (ClauseKind.ITEM, ClauseKind.HEADING)]
    assert len(set(paths)) == len(paths) and paths[-1].startswith(f"{_chinese(91)}、"), paths[-1]


def test_a_document_over_the_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "huge-plan.txt"
    with big.open("wb") as f:  # NUL bytes: were it decoded, it would be refused as binary data instead
        f.truncate(MAX_DOCUMENT_BYTES + 1)
    library = _library(tmp_path)
    results, errors = library.ingest_paths([big])
    assert not results and len(errors) == 1 and isinstance(errors[0], IngestError)
    message = str(errors[0])
    assert str(big) in message and f"over the limit of {MAX_DOCUMENT_BYTES // 1024 // 1024} MB" in message
    assert "split the document" in message and "binary" not in message
    assert not library.settings.corpus.exists() and library.plan_ids() == []


def test_a_document_at_the_limit_is_not_refused_for_its_size(tmp_path):
    at = tmp_path / "at-limit.txt"
    with at.open("wb") as f:
        f.truncate(MAX_DOCUMENT_BYTES)
    with pytest.raises(IngestError, match="binary data"):
        _library(tmp_path).parse(at, "at-2024", {"file": at.name})


def test_the_text_of_a_docx_counts_against_the_limit(tmp_path, monkeypatch):
    import docx

    path = tmp_path / "plan.docx"
    document = docx.Document()
    for line in raw_text("jinan-2022").splitlines():
        document.add_paragraph(line)
    document.save(str(path))
    monkeypatch.setattr("rag.ingest.readers.MAX_DOCUMENT_BYTES", 4096)
    with pytest.raises(IngestError, match=r"its text is 0\.\d MB, over the limit of 0 MB") as caught:
        _library(tmp_path).parse(path, "plan-2022", {"file": path.name})
    assert caught.value.path == str(path)


def test_a_long_document_reports_its_progress(documents, tmp_path):
    messages: list[str] = []
    library = _library(tmp_path, progress=messages.append)
    library.parse(documents["2mb"], "long-2024", {"file": "long-2mb.txt"})
    name = re.escape(str(documents["2mb"]))
    assert re.fullmatch(rf"parsing {name}: 1\.9 MB", messages[0]), messages[0]
    tenths = [re.fullmatch(rf"parsing {name}: (\d+)% \((\d+) of (\d+) lines\)", m) for m in messages[1:]]
    assert all(tenths), messages
    assert [int(m.group(1)) for m in tenths] == list(range(10, 101, 10))
    done = [int(m.group(2)) for m in tenths]
    assert done == sorted(done) and done[-1] == int(tenths[-1].group(3)) > 4000
    messages.clear()
    library.parse(documents["short"], "short-2024", {"file": "long-short.txt"})
    assert messages == []  # a short document is parsed in silence
