"""Score answers against gold questions (contract format): citation accuracy, key facts, no-answer handling."""
from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any, Iterable

from ..answer.answerer import Answerer
from ..text.normalize import normalize_text, strip_space
from ..types import Answer
from .gold import matches_gold


def _keys_found(answer: Answer, keys: Iterable[str]) -> tuple[int, int]:
    """Keys are compared with white space removed and in the library's cleaned form (documents are stored with
    full-width letters and brackets made half-width: a key copied from the file as `首台（套）` is `首台(套)`)."""
    blob = strip_space(answer.answer + "".join(q for c in answer.citations for q in c.quotes))
    keys = list(keys)
    found = sum(any(strip_space(normalize_text(alt)) in blob for alt in key.split("|")) for key in keys)
    return found, len(keys)


def score(answerer: Answerer, questions: list[dict[str, Any]]) -> dict[str, Any]:
    rows = []
    plans = answerer.corpus.plans
    for q in questions:
        a = answerer.answer(q["question"], qid=q.get("id"))
        gold = q.get("gold", [])
        ranks = [c.n for c in a.citations if matches_gold(c.plan_id, c.item_path, gold)]
        found, total = _keys_found(a, q.get("keys", []))
        plans_cited = {c.plan_id for c in a.citations if matches_gold(c.plan_id, c.item_path, gold)}
        rows.append({"id": q.get("id"), "type": q.get("type"), "question": q["question"],
                     "plan": gold[0]["plan_id"] if gold else None,
                     "group": q.get("group") or (plans[gold[0]["plan_id"]].group if gold and gold[0]["plan_id"] in plans
                                                 else None),  # (feedback cases: their own group)
                     "expect_no_answer": bool(q.get("no_answer")),
                     "no_answer": a.no_answer, "first_gold": min(ranks) if ranks else None,
                     "keys_found": found, "keys_total": total,
                     "compare_ok": len(plans_cited) >= q.get("min_plans", 1) if q.get("type") == "compare" else None,
                     "quote_chars": len(a.citations[0].quote) if a.citations and not a.no_answer else None,
                     "latency_ms": a.latency_ms, "cited": [f"{c.plan_id} {c.item_path}" for c in a.citations[:3]]})
    return {"overall": _summary(rows), "by_type": _grouped(rows, "type"), "by_plan": _grouped(rows, "plan"),
            "by_group": _grouped(rows, "group"),
            "rows": rows}


def _grouped(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if r[key] is not None:
            groups[r[key]].append(r)
    return {k: _summary(v) for k, v in sorted(groups.items())}


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if not r["expect_no_answer"]]
    refusals = [r for r in rows if r["no_answer"]]
    expected = [r for r in rows if r["expect_no_answer"]]
    keys_total = sum(r["keys_total"] for r in answerable)
    compares = [r for r in rows if r["compare_ok"] is not None]
    latencies = sorted(r["latency_ms"] for r in rows)
    # key recall rises with longer quotes; the length of the first quote shows what it costs the reader
    quotes = sorted(r["quote_chars"] for r in answerable if r.get("quote_chars"))

    def share(n: int, d: int) -> float | None:
        return round(n / d, 4) if d else None

    return {
        "questions": len(rows),
        "citation_at_1": share(sum(r["first_gold"] == 1 for r in answerable), len(answerable)),
        "citation_at_3": share(sum(r["first_gold"] is not None and r["first_gold"] <= 3 for r in answerable),
                               len(answerable)),
        "mrr": round(statistics.fmean([1 / r["first_gold"] if r["first_gold"] else 0 for r in answerable]), 4)
        if answerable else None,
        "key_recall": share(sum(r["keys_found"] for r in answerable), keys_total),
        "compare_coverage": share(sum(r["compare_ok"] for r in compares), len(compares)),
        "no_answer_precision": share(sum(r["expect_no_answer"] for r in refusals), len(refusals)),
        "no_answer_recall": share(sum(r["no_answer"] for r in expected), len(expected)),
        "no_answer_accuracy": share(sum(r["no_answer"] == r["expect_no_answer"] for r in rows), len(rows)),
        "false_no_answer_rate": share(sum(r["no_answer"] for r in answerable), len(answerable)),
        "quote_chars": {"mean": round(statistics.fmean(quotes), 1) if quotes else None,
                        "p50": quotes[len(quotes) // 2] if quotes else None},
        "latency_ms": {"p50": latencies[len(latencies) // 2] if latencies else None,
                       "p95": latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else None},
    }
