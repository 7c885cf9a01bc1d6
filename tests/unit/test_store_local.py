"""The local store's top-n selection: the same rows, in the same order, as sorting every score."""
from __future__ import annotations

import numpy as np

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
