"""Questions about the document itself (文号, 印发日期, 印发机关, 主送单位): answered from the issuing notice and
the news paragraphs that report its issuance — and when no quote states the fact, the answer says so."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..search.corpus import CorpusView
from ..text.patterns import BODY
from ..types import Citation, Clause, ClauseKind, Hit
from .intent import ADDRESSEES, ISSUANCE, META_NAMES
from .quotes import QuotePicker


def document_clauses(corpus: CorpusView, quotes: QuotePicker, plans: Sequence[str], text: str,
                     vector: np.ndarray | None, top_k: int) -> list[Hit]:
    """The plans' notices and issuance reports, ranked by how well their best sentence states the fact."""
    candidates = [c for c in corpus.clauses if c.plan_id in plans and
                  (c.kind == ClauseKind.NOTICE or (c.kind == ClauseKind.NEWS and ISSUANCE.search(c.text)))]
    if not candidates:
        return []
    shapes = quotes.wants(text)
    tokens, total = quotes.terms(text)

    def value(c: Clause) -> float:
        quote, _ = quotes.best_sentence(c, tokens, total, shapes, vector)
        bonus = quotes.weights.notice_bonus if c.kind == ClauseKind.NOTICE else 0.0
        return sum(w for shape, w in shapes if shape.search(quote)) + bonus

    ranked = sorted(((value(c), c) for c in candidates), key=lambda vc: (-vc[0], vc[1].order))[:top_k]
    return [Hit.of(c, rank=i, score=round(v, 4)) for i, (v, c) in enumerate(ranked, start=1)]


def unstated(text: str, citations: Sequence[Citation], english: bool) -> str:
    """A lead saying which asked document facts no quote states (no guess from elsewhere); '' when all are."""
    missing = []
    for intent, shape, name, name_en in META_NAMES:
        if shape is BODY and ADDRESSEES.search(text):
            continue
        if intent.search(text) and not any(shape.search(c.quote) for c in citations):
            missing.append(name_en if english else name)
    if not missing:
        return ""
    return (f"The text in the library does not state the {', '.join(missing)}; the closest passages: \n"
            if english else f"本库收录的文本未载明{'、'.join(missing)};相关原文如下:\n")
