"""A read-only view of the indexed library for the stages after retrieval (answers, matching, front ends):
clauses, plans, each clause's sentences and their vectors, and term statistics. Nothing here ranks."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import NotFoundError
from ..indexing.folder import SearchIndex, Span
from ..match.measures import SupportMeasure
from ..types import Clause, PlanMeta


@dataclass(frozen=True)
class TermStats:
    """How many passages hold each term. `weight` is an informativeness, log(1 + N / df) — not BM25's idf,
    which rank-bm25 defines differently and the lexical ranker keeps to itself."""

    n_docs: int
    weights: Mapping[str, float]
    shares: Mapping[str, float]  # (df + 0.01) / N: how typical of the library a term is

    @classmethod
    def of(cls, index: SearchIndex) -> TermStats:
        n_docs = index.bm25.n_docs
        df = index.bm25.df()
        vocab = index.bm25.vocab
        return cls(n_docs, {t: float(np.log(1 + n_docs / max(1, df[i]))) for t, i in vocab.items()},
                   {t: (df[i] + 0.01) / n_docs for t, i in vocab.items()})

    def weight(self, term: str, default: float = 1.0) -> float:
        return self.weights.get(term, default)

    def known(self, term: str) -> bool:
        return term in self.weights

    @property
    def unknown_weight(self) -> float:
        """The weight of a term no passage holds (as if it were in one)."""
        return float(np.log(1 + self.n_docs))


class CorpusView:
    """What answers and matching may read of a loaded index."""

    def __init__(self, index: SearchIndex):
        self._index = index
        self.terms = TermStats.of(index)
        self._plan_counts: dict[str, int] = {}
        self._title_terms: dict[str, frozenset[str]] = {}

    @property
    def plans(self) -> Mapping[str, PlanMeta]:
        return self._index.plans

    @property
    def clauses(self) -> Sequence[Clause]:
        return self._index.clauses

    @property
    def manifest(self) -> Mapping[str, Any]:
        return self._index.manifest

    @property
    def measures(self) -> Sequence[SupportMeasure]:
        """The library's support measures, one per sentence (rag/match/measures.py)."""
        return self._index.measures

    @property
    def passages(self) -> Sequence[Any]:
        return self._index.passages

    def passage_rows(self, chunk_id: str) -> list[int]:
        """The rows (in `passage_vectors`) of a clause's passages."""
        return self._index.passages.of_clause(chunk_id)

    def passage_vectors(self, rows: Sequence[int]) -> np.ndarray:
        return self._index.vectors[list(rows)]

    def clause(self, chunk_id: str) -> Clause | None:
        return self._index.clause(chunk_id)

    @property
    def transcripts(self) -> frozenset[str]:
        """The plans that are transcripts: every item a `问答N`."""
        return self._index.clauses.transcripts

    def clauses_of(self, plans: Iterable[str]) -> list[Clause]:
        """The clauses of these plans, in library order (a plan's rows are looked up, not searched for)."""
        return self._index.clauses.of_plans(plans)

    def holding(self, phrases: Sequence[str], limit: int | None = None,
                plans: Iterable[str] | None = None) -> list[Clause]:
        """The clauses (of these plans, if given) whose text holds one of `phrases` verbatim, in library order, the
        first `limit` of them (found by reading the clause file, not by decoding every clause)."""
        return self._index.clauses.holding(phrases, limit, plans) if phrases else []

    def title(self, plan_id: str) -> str:
        meta = self._index.plans.get(plan_id)
        return meta.display_title if meta else plan_id

    def sentences(self, chunk_id: str) -> list[Span]:
        """(row, start, end) of each sentence of a clause; `row` indexes `sentence_vectors`."""
        return self._index.sentences_of(chunk_id)

    def sentence_vectors(self, rows: Sequence[int]) -> np.ndarray:
        return self._index.sentence_vectors[list(rows)]

    def tokenize(self, text: str) -> list[str]:
        return self._index.lexicon.tokenize(text)

    def general_frequency(self, token: str) -> tuple[int, int]:
        return self._index.lexicon.general_frequency(token)

    def is_word(self, text: str) -> bool:
        """A word of general Chinese (jieba's dictionary) or of the library's lexicon."""
        return self.general_frequency(text)[0] > 0 or self.terms.known(text)

    def check_plans(self, plans: Sequence[str]) -> None:
        check_plans(self._index, plans)

    def title_terms(self, plan_id: str) -> frozenset[str]:
        """The words of a plan's titles — its own, a page header's, the aliases users call it by (`2021年中央一号文件`)
        — as `tokenize` cuts them: they name the plan, not what is asked of it."""
        if plan_id not in self._title_terms:
            meta = self._index.plans.get(plan_id)
            names = " ".join(meta.names) if meta is not None else ""
            self._title_terms[plan_id] = frozenset(self.tokenize(names or self.title(plan_id)))
        return self._title_terms[plan_id]

    def in_library(self, term: str) -> bool:
        """Is `term` one of the library's words (a BM25 token of some passage)?"""
        return term in self._index.bm25.vocab

    def telling(self, term: str) -> bool:
        """Is `term` used by at most half of the library's plans (at least 2)? A word most plans use (`企业`,
        `技术`, `服务`) says nothing of what a business does or what a question is about."""
        return self.plan_count(term) <= max(2, len(self.plans) // 2)

    def plan_count(self, term: str) -> int:
        """How many plans hold `term` somewhere in their text (0: none)."""
        if term not in self._plan_counts:
            row = self._index.bm25.vocab.get(term)
            if row is None:
                self._plan_counts[term] = 0
            else:
                passages = self._index.bm25.docs_of(row)
                self._plan_counts[term] = len(set(self._index.plan_of_passage[passages].tolist()))
        return self._plan_counts[term]


def check_plans(index: SearchIndex, plans: Sequence[str]) -> None:
    """Unknown plan ids are bad input, named with the ones the index has."""
    unknown = sorted(set(plans) - set(index.plans))
    if unknown:
        raise NotFoundError(f"unknown plan id {', '.join(unknown)}; known plans: {', '.join(sorted(index.plans))}")
