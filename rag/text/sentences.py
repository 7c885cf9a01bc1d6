"""Sentences of a text: as character spans (so every quote is an exact substring of its clause), and as
parts of at most N characters for retrieval passages. One definition of where a sentence ends."""
from __future__ import annotations

import re

from .patterns import OWNER_LINE

ENDS = "。!?;"  # punctuation that closes a sentence in the cleaned text
_END = re.compile(rf"[{ENDS}]+|\n+")
_AFTER_END = re.compile(rf"(?<=[{ENDS}])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences in `text`, each ending with its own punctuation; a line break ends
    a sentence too (a notice's lines, a signature), and so does a responsibility note closing the sentence before
    (`…基地。(责任单位:市人才局)在张江…`: the note is one sentence, `在张江…` the next)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end() if text[m.start()] != "\n" else m.start()
        _add(text, start, end, spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    note = OWNER_LINE.match(text, start, end)
    if note and note.end() < end and text[note.end():end].strip():
        spans.append((start, note.end()))
        _add(text, note.end(), end, spans)
    elif end > start:
        spans.append((start, end))


def split_long(text: str, limit: int) -> list[str]:
    """`text` cut after sentence ends into parts of at most `limit` characters (a longer sentence stays whole);
    the parts concatenate back to `text`, line breaks included."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for sentence in filter(None, _AFTER_END.split(text)):
        if current and len(current) + len(sentence) > limit:
            parts.append(current)
            current = ""
        current += sentence
    if current:
        parts.append(current)
    return parts
