"""What retrieval sees of a clause: passages (the clause with its plan and headings, cut at sentence ends when
long), and 相关报道 paragraphs that repeat a plan clause (`twins`)."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ..itempath import NEWS, NOTICE, PREAMBLE
from ..text.sentences import split_long
from ..types import Clause, ClauseKind

MAX_PASSAGE_CHARS = 400  # well under the model's 512 tokens for Chinese text
# Words people use when they ask what a zone holds (its facts are rarely named in its own text).
ZONE_WORDS = {NOTICE: "印发通知 文号 发文字号 印发机关 印发日期 发布时间",
              NEWS: "相关报道 新闻 发布 印发",
              PREAMBLE: "前言 目的 依据"}
TWIN_SHARE = 0.6  # a news paragraph whose character pairs are at least this much one plan clause's repeats it


def text_key(text: str) -> str:
    """What identifies a text's vector in the embedding cache (incremental builds)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Passage:
    pid: int
    chunk_id: str
    plan_id: str
    text: str  # what BM25 and the embedding model see

    @property
    def key(self) -> str:
        return text_key(self.text)

    def to_dict(self) -> dict[str, object]:
        return {"pid": self.pid, "chunk_id": self.chunk_id, "plan_id": self.plan_id, "text": self.text}


def passage_texts(clause: Clause, plan_title: str) -> list[str]:
    """The retrieval text of a clause: its plan and headings, then (a part of) its text."""
    heading = " ".join(t for t in (*clause.parents, clause.item_title) if t and t not in (PREAMBLE, NOTICE))
    head = f"《{plan_title}》{ZONE_WORDS.get(clause.item_path, '')} {heading}".strip()
    return [f"{head}\n{part}" for part in split_long(clause.text, MAX_PASSAGE_CHARS)]


def twins(clauses: list[Clause]) -> dict[str, str]:
    """相关报道 paragraphs whose text is mostly a plan clause of the same plan -> that clause's chunk_id."""
    def grams(text: str) -> set[str]:
        text = re.sub(r"\s+", "", text)
        return {text[i:i + 2] for i in range(len(text) - 1)}

    body = [c for c in clauses if c.kind not in (ClauseKind.NEWS, ClauseKind.NOTICE)]
    out = {}
    for news in (c for c in clauses if c.kind == ClauseKind.NEWS):
        g = grams(news.text)
        if len(g) < 10:
            continue
        best = max(((len(g & grams(c.text)) / len(g), c) for c in body if c.plan_id == news.plan_id),
                   key=lambda x: x[0], default=(0.0, None))
        if best[1] is not None and best[0] >= TWIN_SHARE:
            out[news.chunk_id] = best[1].chunk_id
    return out
