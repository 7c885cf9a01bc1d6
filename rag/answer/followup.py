"""`这一条的责任单位是谁?`: a follow-up about the clause the previous answer cited first, answered from it."""
from __future__ import annotations

from ..search.corpus import CorpusView
from ..search.retriever import Retriever
from ..types import Answer, Hit, NoAnswer, Turn
from .compose import compose, no_answer
from .places import PlaceResolver
from .quotes import QuotePicker


def from_clause(corpus: CorpusView, retriever: Retriever, quotes: QuotePicker, places: PlaceResolver,
                question: str, text: str, previous: Turn, english: bool) -> Answer:
    first = previous.answer.citations[0]
    clause = corpus.clause(first.chunk_id)
    if clause is None:
        return no_answer(question, NoAnswer.NOT_FOUND, english, places.covered_regions(), [], [], None)
    vector = retriever.embed_query(text)
    citations = quotes.cite([Hit.of(clause, rank=1, score=first.score)], text, vector)
    return Answer(question=question, answer=compose(citations, english, False, []), no_answer=False,
                  citations=tuple(citations), resolved_question=f"{clause.item_path} {clause.item_title}: {text}")
