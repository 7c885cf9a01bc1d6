"""Scoring helpers shared by tests, benchmarks and evaluation: does a citation hit the gold?"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from ..itempath import path_within
from ..search.retriever import Retriever


def matches_gold(plan_id: str, item_path: str, gold: Iterable[Mapping[str, str]]) -> bool:
    """Contract rule: same plan, and the cited path starts with the gold path label by label ('' = any)."""
    return any(plan_id == g["plan_id"] and (not g.get("item_path") or path_within(item_path, g["item_path"]))
               for g in gold)


def recall_at_k(retriever: Retriever, cases: Sequence[dict[str, Any]], k: int = 5,
                mode: str | None = None) -> tuple[float, list[dict[str, Any]]]:
    """Share of cases with a gold clause in the top k, and the misses (for reports)."""
    misses = []
    for case in cases:
        hits = retriever.search(case["question"], k=k, mode=mode)
        if not any(matches_gold(h.plan_id, h.item_path, case["gold"]) for h in hits):
            misses.append({"id": case["id"], "question": case["question"],
                           "got": [f"{h.plan_id} {h.item_path}" for h in hits]})
    return 1 - len(misses) / len(cases), misses
