"""A comparison's answer: the best clause of each plan asked about, grouped by plan."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ..search.corpus import CorpusView
from ..search.retriever import Retriever
from ..types import Clause, ClauseKind, Hit
from .plans import plan_years
from .quotes import QuotePicker

WIDE_K = 30  # a comparison's one wide search …
PER_PLAN = 3  # … of which each plan's first hits compete on how well their best sentence fits
_TARGET_YEAR = re.compile(r"(?:到|至|截至|截止到?|by)\s*((?:19|20)\d\d)")


def best_per_plan(retriever: Retriever, corpus: CorpusView, quotes: QuotePicker, query: str, plans: list[str],
                  vector: np.ndarray | None, mode: str | None = None, dated: Sequence[Clause] = (),
                  order: Sequence[str] = (), lexical: str | None = None) -> list[Hit]:
    """The best clause of each plan: from one wide search (a plan's first hits compete on how well their
    best sentence fits the question), then a filtered search for any plan it missed."""
    # (each plan's own clauses: two plans holding a clause word for word are each compared by it)
    wide = retriever.retrieve(query, k=WIDE_K, plans=plans, vector=vector, mode=mode, lexical=lexical, distinct=False).hits
    per_plan: dict[str, list[Hit]] = {}
    for hit in wide:
        per_plan.setdefault(hit.plan_id, [])
        if len(per_plan[hit.plan_id]) < PER_PLAN:
            per_plan[hit.plan_id].append(hit)
    for c in dated:  # clauses saying when each plan takes effect, when that is asked, compete too
        per_plan.setdefault(c.plan_id, []).append(Hit.of(c, rank=0, score=0.0))
    for plan_id in plans:
        if plan_id not in per_plan:
            found = retriever.retrieve(query, k=PER_PLAN, plans=[plan_id], vector=vector, mode=mode,
                                       lexical=lexical).hits  # (they compete too, as the wide search's do)
            if found:
                per_plan[plan_id] = found
    # (the question's own words: an English question's dictionary words find clauses, but their spare senses
    # — `industry` as 工业 — would pick a plan's wrong clause by the word)
    # … less the words naming the plans the question names: they name no aspect, and a plan's notice holds them all
    # (`“十四五”数字经济发展规划和…报告在开源方面各提出了什么` picked the 规划's 印发通知 by its title words; the
    # plans of a place are named by the place — of theirs, the words all their titles share —, and a word of one
    # title may be the matter compared: `各地在数字经济方面`)
    tokens, _ = quotes.terms(query)
    shared = set.intersection(*(set(corpus.title_terms(pid)) for pid in per_plan)) if per_plan else set()
    # … and the years naming them (`国务院2022年的报告`), not a year a target is set for (`到2025年…分别是多少`)
    years = set().union(*(plan_years(corpus.plans[pid]) for pid in per_plan)) - set(_TARGET_YEAR.findall(query))
    tokens = (tokens - shared - years - set().union(*(corpus.title_terms(pid) for pid in order))) or tokens
    total = sum(corpus.terms.weight(t) for t in tokens) or 1.0
    shapes = quotes.wants(query)

    fits: dict[str, float] = {}  # chunk_id -> its best sentence's fit (each clause's sentences scored once)

    def fit(h: Hit) -> float:
        if h.chunk_id not in fits:
            clause = corpus.clause(h.chunk_id)
            assert clause is not None, h.chunk_id
            fits[h.chunk_id] = quotes.best_sentence(clause, tokens, total, shapes, vector)[1]
        return fits[h.chunk_id]

    def own(candidates: list[Hit]) -> list[Hit]:
        # a plan's own clause before a 相关报道 summarising it, unless a document fact is asked (the report dates it)
        mine = [h for h in candidates if h.kind != ClauseKind.NEWS and fit(h) > 0]
        return mine if mine and not any(weight >= 1 for _, weight in shapes) else candidates

    best = [max(own(candidates), key=lambda h: (fit(h), h.score)) for candidates in per_plan.values()]
    # the plans in the order the question names them (best named first), else by how well each answers
    rank = {pid: i for i, pid in enumerate(order)}
    hits = sorted(best, key=lambda h: (rank.get(h.plan_id, len(rank)), -h.score))
    return [replace(h, rank=i) for i, h in enumerate(hits, start=1)]

