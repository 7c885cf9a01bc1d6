"""How the evaluation finds key facts in an answer."""
from __future__ import annotations

from rag.evaluation.score import _keys_found
from rag.types import Answer, Citation


def _answer(quote: str) -> Answer:
    citation = Citation(n=1, plan_id="p", plan_title="t", item_path="一、", item_title="", quote=quote,
                        context=quote, score=1.0, chunk_id="p#1")
    return Answer(question="q", answer="", no_answer=False, citations=(citation,))


def test_keys_are_compared_without_white_space_and_in_the_librarys_cleaned_form():
    answer = _answer("推动首台(套)装备、首批次材料等示范应用")  # the library stores brackets half-width
    assert _keys_found(answer, ["首台（套）装备", "首批次 材料", "风险补偿机制"]) == (2, 3)
    assert _keys_found(answer, ["风险补偿|示范应用"]) == (1, 1)  # alternatives
