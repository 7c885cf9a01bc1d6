"""Sentences of a clause as character spans, so every quote is an exact substring of its clause."""
from __future__ import annotations

import re

_END = re.compile(r"[。!?;]+|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences in `text`, each ending with its own punctuation."""
    spans, start = [], 0
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
    if end > start:
        spans.append((start, end))
