"""A message asking two things (`…对依托单位配套经费有什么要求?企业牵头的基础研究投入比例要达到多少?`): each
question is answered from the cited clause. The quote answers the message as a whole and often only its larger part;
each question's own best sentence (by its own words and the shapes it asks for) is quoted too, when it fits that
question at least `QuoteWeights.part_fit` and no quote holds it yet."""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..text.patterns import is_owner_line
from ..types import Clause

if TYPE_CHECKING:
    from .quotes import QuotePicker

_END = re.compile(r"[?？]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
MIN_PART_CHARS = 4  # Chinese characters: a piece with fewer after a question mark is no question of its own


def parts(question: str) -> list[str]:
    """The questions of a message, two or more, or none (a message asking one thing)."""
    found = [p for p in _END.split(question) if len(_CJK.findall(p)) >= MIN_PART_CHARS]
    return found if len(found) >= 2 else []


def part_answers(picker: QuotePicker, clause: Clause, question: str, quoted: Sequence[str], plan_id: str) -> tuple[str, ...]:
    """Further quotes of the clause: each question's best sentence the quotes do not hold (the plan's own title words
    name no question's matter)."""
    named = picker.corpus.title_terms(plan_id)
    out: list[str] = []
    for part in parts(question):
        tokens = set(picker.corpus.tokenize(part)) - named
        total = sum(picker.corpus.terms.weight(t) for t in tokens) or 1.0
        best, fit = picker.best_sentence(clause, tokens, total, picker.wants(part), None)
        if fit >= picker.weights.part_fit and not is_owner_line(best) \
                and not any(best in q or q in best for q in (*quoted, *out)):
            out.append(best)
    return tuple(out)
