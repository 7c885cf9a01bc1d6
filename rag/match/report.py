"""A match result for people (text), and the gold-profile score (适用 precision and recall)."""
from __future__ import annotations

from typing import Any

from ..render import item_label
from ..types import Applicability, MatchResult
from .matcher import Matcher
from .profile import Profile

ELSEWHERE = Applicability.ELSEWHERE


def render_text(result: MatchResult, show_elsewhere: bool = False) -> str:
    p = result.profile
    head = " · ".join(x for x in (p["location"], p["industry"], p["size"], p["stage"]) if x)
    lines = [f"企业画像:{head}"]
    for label in Applicability:
        group = [m for m in result.measures if m.applicability == label]
        if not group:
            continue
        if label == ELSEWHERE and not show_elsewhere:
            plans = "、".join(dict.fromkeys(m.plan_id for m in group))
            lines.append(f"\n{label}({len(group)},其他地区的计划:{plans};--all 显示)")
            continue
        lines.append(f"\n{label}({len(group)})")
        for m in group:
            lines.append(f"· {item_label(m.plan_title, m.item_path, m.item_title)}:“{m.quote}”")
            extra = f";金额:{'、'.join(m.amounts)}" if m.amounts else ""
            lines.append(f"  措施:{'、'.join(m.measure_types)}{extra}")
            lines.append(f"  依据:{m.why}")
    lines.append("")
    lines.extend(f"说明:{n}" for n in result.notes)
    return "\n".join(lines)


def score_profiles(matcher: Matcher, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision and recall of 适用 against each profile's gold clauses, and 适用 outside the company's region."""
    gaz = matcher.jurisdictions.gazetteer
    tp = fp = fn = cross = 0
    per = []
    for row in rows:
        prof = row["profile"]
        result = matcher.match(Profile.parse(prof.get("region"), prof.get("industry"), prof.get("size"),
                                             prof.get("stage")))
        place = matcher.locate(prof["region"])
        line = {x.code for x in gaz.lineage(place)}
        got = {(m.plan_id, m.item_path) for m in result.measures if m.applicability == Applicability.APPLIES}
        gold = {(g["plan_id"], g["item_path"]) for g in row.get("gold", [])}
        outside = sorted(f"{pid} {path}" for pid, path in got
                         if matcher.jurisdictions.plan_place[pid].code not in line)
        tp += len(got & gold)
        fp += len(got - gold)
        fn += len(gold - got)
        cross += len(outside)
        per.append({"id": row.get("id"), "profile": prof, "applies": len(got), "gold": len(gold),
                    "extra": sorted(f"{a} {b}" for a, b in got - gold),
                    "missed": sorted(f"{a} {b}" for a, b in gold - got), "cross_jurisdiction": outside})
    return {"profiles": len(rows), "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0, "true_positives": tp,
            "false_positives": fp, "false_negatives": fn, "cross_jurisdiction_applies": cross, "rows": per}


def score_text(result: dict[str, Any]) -> str:
    lines = [f"{result['profiles']} profiles: 适用 precision {result['precision']}, recall {result['recall']} "
             f"({result['true_positives']} right, {result['false_positives']} extra, "
             f"{result['false_negatives']} missed); 适用 outside the company's region: "
             f"{result['cross_jurisdiction_applies']}"]
    lines += [f"  {r['id']}: extra {r['extra']} missed {r['missed']}" for r in result["rows"] if r["extra"] or r["missed"]]
    return "\n".join(lines)
