"""Fit the out-of-scope thresholds on evaluation questions (never on the holdout file).

Chinese questions: in scope when their most library-typical word reaches `keyness_min`, or when the share of
their words that the library uses reaches `coverage_min`. English questions (none of their words is in the
library): the same two signals read through the English dictionary, with thresholds of their own
(`english_keyness_min`, `english_coverage_min`).
Each threshold minimises errors on the file's questions of its kind, a false refusal of an in-scope question
counting twice as much as answering an out-of-scope one; it is placed midway between the two nearest
observed values, so that it does not sit on a training question.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import BadInputError
from ..files import write_json
from ..text.normalize import normalize_text
from .answerer import Answerer

SIGNALS = 2  # the signals' version: a calibration fitted on other signals (1: English by its best cosine) is refitted


def library_key(manifest: Mapping[str, Any]) -> str:
    """Which library a calibration was fitted on: its documents (ids and contents), its embedding model and its
    lexicon (the policy dictionary on or off changes the words the signals read)."""
    corpus = {pid: entry.get("sha256") for pid, entry in manifest.get("corpus", {}).items()}
    lexicon = manifest.get("lexicon", {})
    basis = {"corpus": corpus, "embedding": manifest.get("embedding", {}).get("model"),
             "lexicon": [lexicon.get("checksum"), lexicon.get("dictionary")], "signals": SIGNALS}
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:16]


def check_tuning_file(path: Path) -> None:
    """Thresholds are never fitted on a holdout file."""
    if path.name.startswith("holdout"):
        raise BadInputError(f"{path}: a holdout file is never used to tune anything; calibrate on "
                            "eval/questions.jsonl")


def _pair(inside: list[tuple[float, float]], outside: list[tuple[float, float]]) -> tuple[float, float, int, int]:
    """Thresholds (a, b) for "refuse when x < a and y < b": the pair with the fewest errors, a false refusal
    counting twice (ties: the lower cuts, which refuse less); each cut midway between two observed values."""
    def cuts(values: list[float]) -> list[float]:
        values = sorted(set(values))
        return [values[0] - 1] + [(a + b) / 2 for a, b in zip(values, values[1:])] + [values[-1] + 1]

    best = None
    for a in cuts([x for x, _ in inside + outside]):
        for b in cuts([y for _, y in inside + outside]):
            refused = sum(x < a and y < b for x, y in inside)
            answered = sum(not (x < a and y < b) for x, y in outside)
            key = (2 * refused + answered, a, b)  # ties: the lower cuts, which refuse less
            if best is None or key < best[0]:
                best = (key, a, b, refused, answered)
    assert best is not None  # `cuts` is never empty
    return best[1], best[2], best[3], best[4]


def fit(answerer: Answerer, questions: list[dict[str, Any]], source: str) -> dict[str, Any]:
    groups: dict[bool, tuple[list[Any], list[Any]]] = {True: ([], []), False: ([], [])}
    for q in questions:
        outside = q.get("type") == "out_of_scope"
        if outside and answerer.places.places_in(normalize_text(q["question"])):
            continue  # out of scope for the place it names: a fact about one library's regions, not its topics
        s = answerer.signals(q["question"])
        if s is None:  # the gazetteer decides these (a region with no plan)
            continue
        value = (-1e6 if math.isinf(s.keyness) else s.keyness, s.coverage)
        groups[s.english][1 if outside else 0].append(value)
    for english, (inside, outside) in groups.items():
        if not inside or not outside:
            raise BadInputError(f"calibration needs in-scope and out_of_scope {'English' if english else 'Chinese'} "
                             "questions that name no uncovered region")
    keyness, coverage, k_refused, k_answered = _pair(*groups[False])
    english_keyness, english_coverage, d_refused, d_answered = _pair(*groups[True])
    return {
        "keyness_min": round(keyness, 4), "coverage_min": round(coverage, 4),
        "english_keyness_min": round(english_keyness, 4), "english_coverage_min": round(english_coverage, 4),
        "source": source,
        "library": library_key(answerer.corpus.manifest),
        "questions": {"chinese": [len(groups[False][0]), len(groups[False][1])],
                      "english": [len(groups[True][0]), len(groups[True][1])]},
        "training_errors": {"chinese": {"refused_in_scope": k_refused, "answered_out_of_scope": k_answered},
                            "english": {"refused_in_scope": d_refused, "answered_out_of_scope": d_answered}},
        "fitted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def write(calibration: dict[str, Any], path: Path) -> None:
    write_json(path, calibration)
