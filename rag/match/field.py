"""How close a business is to each measure's field, judged against the library itself.

e5 puts unrelated Chinese texts at a cosine of 0.80–0.85, so a raw cosine says little about one pair. How a measure
ranks for this business among all the library's measures says more: each fit (the business as a query against the
measure's sentence and clause vectors) becomes a z-score over the library's measures, and a plan's field is the mean
z-score of its measures. `rag/match/matcher.py` reads them with the floor below (a plan below it is outside the
business's field).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np


@dataclass(frozen=True)
class FitThresholds:
    floor: float  # a plan whose measures' mean z-score is below: the business is outside its field


@dataclass(frozen=True)
class FieldScore:
    """How a measure ranks for one business among the library's measures: its z-score, and its plan's mean."""

    z: float
    plan_z: float


def field_scores(fits: Mapping[str, float | None], plan_of: Mapping[str, str]) -> dict[str, FieldScore]:
    """measure_id -> its z-score among the library's measures for this business, and its plan's mean z-score.
    Empty when there is nothing to compare with (no business, no vectors, fewer than two measures, all equal)."""
    known = {k: f for k, f in fits.items() if f is not None}
    values = np.array(list(known.values()), dtype=np.float64)
    if len(values) < 2 or float(values.std()) == 0.0:
        return {}
    mean, std = float(values.mean()), float(values.std())
    z = {k: (f - mean) / std for k, f in known.items()}
    by_plan: dict[str, list[float]] = {}
    for k, v in z.items():
        by_plan.setdefault(plan_of[k], []).append(v)
    plan_z = {p: float(np.mean(v)) for p, v in by_plan.items()}
    return {k: FieldScore(round(v, 3), round(plan_z[plan_of[k]], 3)) for k, v in z.items()}
