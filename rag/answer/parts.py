"""A message asking two things (`…对依托单位配套经费有什么要求?企业牵头的基础研究投入比例要达到多少?`): each
question is answered from the cited clause. The quote answers the message as a whole and often only its larger part;
each question's own best sentence (by its own words and the shapes it asks for) is quoted too, when it fits that
question at least `QuoteWeights.part_fit` and no quote holds it yet."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ..text.patterns import barred
from ..types import Clause

if TYPE_CHECKING:
    from .quotes import QuotePicker

_END = re.compile(r"[?？]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_PART_CHARS = 4  # Chinese characters: a piece with fewer after a question mark is no question of its own
# an English message's questions: each closed by its question mark, and within one those joined by `, and what|how…`
# (a plain `and` before a wh-word; before `is`/`does`… only after a comma: `leads it and is responsible` is one
# question; a comma normalised has no space after it)
_EN_AND = re.compile(r"(?:,\s*|\s+)and\s+(?=(?:what|how|which|who|whom|where|when|whether|why)\b)|"
                     r",\s*and\s+(?=(?:does|do|did|is|are|can|will|must)\b)", re.I)
MIN_PART_WORDS = 3  # English words: a shorter piece is no question of its own


class Part(NamedTuple):
    """One question of a message: its words in the library's language (an English one's dictionary words), its own
    text (for the shapes it asks: `how many`), and its meaning when the words alone pick poorly (English)."""
    words: str
    text: str
    vector: np.ndarray | None = None


def parts(question: str) -> list[Part]:
    """The questions of a message, two or more (each closed by its question mark), or none (one question)."""
    found = [p for p in _END.split(question)[:-1] if len(_CJK.findall(p)) >= MIN_PART_CHARS]
    return [Part(p, p) for p in found] if len(found) >= 2 else []


def english_parts(question: str, chinese: Callable[[str], str], embed: Callable[[list[str]], np.ndarray]) -> list[Part]:
    """An English message's questions (`…, and what cap applies to…`), two or more, each by its dictionary words
    and its own meaning (`embed`: queries -> their vectors, one call): its words bridged are few and loose, the
    embedding reads it across languages."""
    asked = question.split("?")[:-1] if "?" in question else [question]  # (not what follows the last `?`)
    found = [p for q in asked for p in _EN_AND.split(q) if len(p.split()) >= MIN_PART_WORDS]
    if len(found) < 2:
        return []
    vectors = embed(found)
    return [Part(chinese(p), p, vectors[i:i + 1]) for i, p in enumerate(found)]


def part_answers(picker: QuotePicker, clause: Clause, asked: Sequence[Part], quoted: Sequence[str],
                 plan_id: str) -> tuple[str, ...]:
    """Further quotes of the clause (at most `QuoteWeights.aspects`): each question's best sentence that shares some of
    its words (a number alone is no answer to `预计要达到多少?`) and overlaps no quote (the plan's own title words name
    no question's matter; never a responsibility line or a transcript's question)."""
    named = picker.corpus.title_terms(plan_id)
    taken = [(a, a + len(q)) for q in quoted if (a := clause.text.find(q)) >= 0]
    out: list[str] = []
    for part in asked:
        tokens = set(picker.corpus.tokenize(part.words)) - named
        total = sum(picker.corpus.terms.weight(t) for t in tokens) or 1.0
        best, fit = picker.best_sentence(clause, tokens, total, picker.wants(part.text), part.vector)
        start = clause.text.find(best)
        # (an English question's bridged words are loose: its meaning picked the sentence, a word shared suffices)
        loose = part.vector is not None
        if (fit < picker.weights.part_fit and not loose) or picker.fit(best, tokens, total, []) <= 0 \
                or barred(best, clause.item_title) or start < 0 or any(start < b and a < start + len(best) for a, b in taken):
            continue
        out.append(best)
        taken.append((start, start + len(best)))
        if len(out) == picker.weights.aspects:
            break
    return tuple(out)


def joined(text: str, quote: str, more: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The quote and its further quotes with those next to each other in the clause's text (nothing, or only white
    space, between them) joined into one: `“…”……“…”` would say that text was left out between them."""
    start = text.find(quote)
    spans = sorted((a, a + len(q)) for q in more if (a := text.find(q)) >= 0)
    if start < 0 or len(spans) != len(more):
        return quote, tuple(more)  # (every quote is a substring of the text: not expected)
    spans = sorted([(start, start + len(quote)), *spans])
    runs: list[list[int]] = []
    for a, b in spans:
        if runs and not text[runs[-1][1]:a].strip():
            runs[-1][1] = max(runs[-1][1], b)
        else:
            runs.append([a, b])
    first = next(r for r in runs if r[0] <= start < r[1])
    return text[first[0]:first[1]], tuple(text[a:b] for a, b in runs if [a, b] != first)

