"""The local store's top-n selection: the same rows, in the same order, as sorting every score."""
from __future__ import annotations

import numpy as np
import pytest

from rag.store.local import top


def test_top_n_equals_a_full_stable_sort_ties_included():
    rng = np.random.default_rng(7)
    for size in (0, 1, 5, 50, 1000):
        scores = rng.integers(0, 6, size).astype(np.float64)  # few distinct values: many ties
        for n in (0, 1, 3, 10, size, size + 5):
            expected = np.argsort(-scores, kind="stable")[:n] if n else np.zeros(0, np.int64)
            assert top(scores, n).tolist() == expected.tolist(), (size, n)


def test_top_n_of_distinct_scores():
    scores = np.array([0.1, 0.9, 0.5, 0.7, 0.3])
    assert top(scores, 3).tolist() == [1, 3, 2]


def _hnsw(seed: int):
    """3,000 random unit vectors in plans of 50 (p0, p1, …), indexed by HNSW as a large library is."""
    from types import SimpleNamespace

    from rag.indexing.dense import build
    from rag.indexing.folder import rows_by_plan

    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(3000, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    plans = np.array([f"p{i // 50}" for i in range(len(vectors))])
    index = SimpleNamespace(dense=build(vectors, "hnsw"), vectors=vectors, plan_of_passage=plans,
                            passages=[None] * len(vectors), rows_of=rows_by_plan(plans))
    return rng, vectors, plans, index


def test_hnsw_candidates_come_back_with_exact_scores_and_plan_filters_miss_nothing():
    from rag.store.local import LocalStore

    rng, vectors, plans, index = _hnsw(0)
    store = LocalStore(index, ef=256)
    found = 0
    for row in range(0, 3000, 100):
        query = vectors[row] + 0.1 * rng.normal(size=64).astype(np.float32)
        query /= np.linalg.norm(query)
        ranked = store.dense(query, 10)
        assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)
        for i, s in ranked:
            assert s == pytest.approx(float(vectors[i] @ query), abs=1e-5)  # exact, not the 8-bit codes' score
        found += len(set(np.argsort(-(vectors @ query))[:10].tolist()) & {i for i, _ in ranked})
    assert found / (10 * 30) >= 0.95
    ranked = store.dense(vectors[0], 500, ["p3", "p7"])
    assert len(ranked) == 100 and {plans[i] for i, _ in ranked} == {"p3", "p7"}


def test_a_plan_filter_too_wide_to_search_exactly_keeps_hnsw_to_those_plans(monkeypatch):
    from rag.store import local

    _, vectors, plans, index = _hnsw(1)
    monkeypatch.setattr(local, "EXACT_ROWS", 0)  # every filter goes through the graph with a selector
    store = local.LocalStore(index, ef=256)
    wanted = [f"p{i}" for i in range(0, 60, 3)]  # 20 plans, 1,000 rows spread over the index
    allowed = np.flatnonzero(np.isin(plans, wanted))
    for row in range(1, 3000, 150):
        ranked = store.dense(vectors[row], 10, wanted)
        assert len(ranked) == 10 and {plans[i] for i, _ in ranked} <= set(wanted)
        best = allowed[np.argsort(-(vectors[allowed] @ vectors[row]))[:10]]
        assert len(set(best.tolist()) & {i for i, _ in ranked}) >= 8
