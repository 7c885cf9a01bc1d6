"""Rank fusion as pure functions: lists of ranked ids in, one fused list of (id, score) out."""
from __future__ import annotations

from typing import Hashable, Mapping, Sequence, TypeVar

Id = TypeVar("Id", bound=Hashable)  # what is ranked (a passage row, a clause id): returned as given


def rrf(rankings: Sequence[Sequence[Id]], k: float = 60.0) -> list[tuple[Id, float]]:
    """Reciprocal rank fusion: score(d) = sum over lists of 1 / (k + rank), ranks from 1."""
    scores: dict[Id, float] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking, start=1):
            scores[doc] = scores.get(doc, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], str(kv[0])))


def _min_max(scores: Mapping[Id, float]) -> dict[Id, float]:
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    if hi == lo:
        return {d: 1.0 for d in scores}
    return {d: (s - lo) / (hi - lo) for d, s in scores.items()}


def weighted(score_lists: Sequence[Mapping[Id, float]], weights: Sequence[float]) -> list[tuple[Id, float]]:
    """Weighted sum of min-max normalised scores; a document missing from a list scores 0 there."""
    if len(score_lists) != len(weights):
        raise ValueError("one weight per score list")
    fused: dict[Id, float] = {}
    for scores, weight in zip(score_lists, weights):
        for doc, s in _min_max(scores).items():
            fused[doc] = fused.get(doc, 0.0) + weight * s
    return sorted(fused.items(), key=lambda kv: (-kv[1], str(kv[0])))
