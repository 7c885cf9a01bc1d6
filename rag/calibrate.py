"""Fit the out-of-scope thresholds on evaluation questions (never on the holdout file).

Chinese questions: in scope when their most library-typical word reaches `keyness_min`. English questions
(none of their words is in the library): in scope when their best passage cosine reaches `english_dense_min`.
Each threshold minimises errors on the file's questions of its kind, a false refusal of an in-scope question
counting twice as much as answering an out-of-scope one; it is placed midway between the two nearest
observed values, so that it does not sit on a training question.
"""
from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path

from .answer import Answerer


def _threshold(inside: list[float], outside: list[float]) -> tuple[float, int, int]:
    values = sorted(set(inside + outside))
    cuts = [values[0] - 1] + [(a + b) / 2 for a, b in zip(values, values[1:])] + [values[-1] + 1]
    best = None
    for cut in cuts:
        refused = sum(v < cut for v in inside)
        answered = sum(v >= cut for v in outside)
        key = (2 * refused + answered, -cut)  # ties: the lower cut, fewer refusals
        if best is None or key < best[0]:
            best = (key, cut, refused, answered)
    return best[1], best[2], best[3]


def fit(answerer: Answerer, questions: list[dict], source: str) -> dict:
    groups = {True: ([], []), False: ([], [])}
    for q in questions:
        s = answerer.signals(q["question"])
        if s is None:  # the gazetteer decides these (a region with no plan)
            continue
        value = s.top_dense if s.english else s.keyness
        value = -1e6 if math.isinf(value) else value
        groups[s.english][1 if q.get("type") == "out_of_scope" else 0].append(value)
    for english, (inside, outside) in groups.items():
        if not inside or not outside:
            raise ValueError(f"calibration needs in-scope and out_of_scope {'English' if english else 'Chinese'} "
                             "questions that name no uncovered region")
    keyness, k_refused, k_answered = _threshold(*groups[False])
    dense, d_refused, d_answered = _threshold(*groups[True])
    return {
        "keyness_min": round(keyness, 4), "english_dense_min": round(dense, 4), "source": source,
        "questions": {"chinese": [len(groups[False][0]), len(groups[False][1])],
                      "english": [len(groups[True][0]), len(groups[True][1])]},
        "training_errors": {"chinese": {"refused_in_scope": k_refused, "answered_out_of_scope": k_answered},
                            "english": {"refused_in_scope": d_refused, "answered_out_of_scope": d_answered}},
        "fitted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def write(calibration: dict, path: Path) -> None:
    path.write_text(json.dumps(calibration, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
