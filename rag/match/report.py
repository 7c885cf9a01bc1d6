"""A match result for people (text, Markdown, DOCX — every quote cited to plan and item path), and the gold-profile
score (precision and recall of 适用∪需确认, measures of another jurisdiction, money measures missed)."""
from __future__ import annotations

import io
from datetime import date
from typing import Any, Iterable

from ..render import item_label
from .matcher import Matcher
from .profile import Profile
from .result import Applicability, Check, MatchResult, Measure, Status

APPLIES, CONFIRM, NOT = Applicability.APPLIES, Applicability.CONFIRM, Applicability.NOT
MARK = {Status.MET: "✓", Status.NOT_MET: "✗", Status.UNKNOWN: "?"}
SHOWN = (APPLIES, CONFIRM)


def profile_line(p: dict[str, Any]) -> str:
    quals = "、".join(p.get("qualifications") or [])
    lacks = "、".join(p.get("not_qualifications") or [])
    bits = [p.get("location", ""), p.get("industry", ""), p.get("size", ""), p.get("stage", ""),
            f"资质:{quals}" if quals else "", f"不具备:{lacks}" if lacks else "",
            f"成立于{p['founded']}年" if p.get("founded") else "", f"按 {p['on']}" if p.get("on") else ""]
    return " · ".join(b for b in bits if b)


def money_line(m: Measure) -> str:
    if not m.amount:
        return ""
    parts = [f"金额(原文):{m.amount}"]
    if m.rate:
        parts.append(f"比例 {m.rate}")
    if m.cap:
        parts.append(f"上限 {m.cap}")
    return ";".join(parts)


def validity_line(m: Measure) -> str:
    v = m.validity
    if v.get("status") == "未载明":
        return "期限:未载明"
    return f"期限:{v.get('period')}(至 {v.get('ends')},{v.get('status')})"


def _checklist(checks: Iterable[Check]) -> list[str]:
    return [f"{MARK[c.status]} {c.reason}" for c in checks]


def render_text(result: MatchResult, show_all: bool = False) -> str:
    lines = [f"企业画像:{profile_line(result.profile)}"]
    for label in Applicability:
        group = [m for m in result.measures if m.applicability == label]
        if label == NOT and not show_all:
            lines.append(f"\n{label}({len(group)},--all 显示及原因)")
            continue
        lines.append(f"\n{label}({len(group)})")
        for m in group:
            tag = "[国家级] " if m.national else ""
            lines.append(f"· {tag}{item_label(m.plan_title, m.item_path, m.item_title)}:“{m.quote}”")
            extra = [x for x in (money_line(m), f"责任单位:{m.unit}" if m.unit else "", validity_line(m)) if x]
            lines.append(f"  {';'.join(extra)}")
            lines.extend(f"    {c}" for c in _checklist(m.checks))
    lines.append("")
    lines.extend(f"说明:{n}" for n in result.notes)
    return "\n".join(lines)


def render_markdown(result: MatchResult) -> str:
    """The result as a Markdown document: 适用 and 需确认 in full, 不适用 as a list with reasons."""
    out = ["# 政策匹配结果", "", f"企业画像:{profile_line(result.profile)}", ""]
    for label in SHOWN:
        group = [m for m in result.measures if m.applicability == label]
        out += [f"## {label}({len(group)})", ""]
        for n, m in enumerate(group, start=1):
            tag = "【国家级】" if m.national else ""
            money = "【资金】" if m.money else ""
            out.append(f"### {n}. {tag}{money}《{m.plan_title}》{m.item_path} {m.item_title}".rstrip())
            out.append("")
            out.append(f"> {m.quote}")
            out.append(">")
            out.append(f"> ——《{m.plan_title}》{m.item_path}")
            out.append("")
            for x in (money_line(m), f"责任单位:{m.unit}" if m.unit else "", validity_line(m)):
                if x:
                    out.append(f"- {x}")
            out.append("- 条件:")
            out.extend(f"  - {c}" for c in _checklist(m.checks))
            out.append("")
    rest = [m for m in result.measures if m.applicability == NOT]
    out += [f"## 不适用({len(rest)})", ""]
    out += [f"- 《{m.plan_title}》{m.item_path}:{m.why}" for m in rest]
    out += ["", "---", ""] + [f"说明:{n}" for n in result.notes]
    return "\n".join(out) + "\n"


def render_docx(result: MatchResult) -> bytes:
    """The result as a Word document (python-docx), same content as the Markdown."""
    from docx import Document

    doc = Document()
    doc.add_heading("政策匹配结果", level=0)
    doc.add_paragraph(f"企业画像:{profile_line(result.profile)}")
    for label in SHOWN:
        group = [m for m in result.measures if m.applicability == label]
        doc.add_heading(f"{label}({len(group)})", level=1)
        for n, m in enumerate(group, start=1):
            tag = "【国家级】" if m.national else ""
            money = "【资金】" if m.money else ""
            doc.add_heading(f"{n}. {tag}{money}《{m.plan_title}》{m.item_path} {m.item_title}".rstrip(), level=2)
            quote = doc.add_paragraph(style="Intense Quote")
            quote.add_run(f"“{m.quote}”")
            doc.add_paragraph(f"出处:《{m.plan_title}》{m.item_path}")
            for x in (money_line(m), f"责任单位:{m.unit}" if m.unit else "", validity_line(m)):
                if x:
                    doc.add_paragraph(x, style="List Bullet")
            for c in _checklist(m.checks):
                doc.add_paragraph(c, style="List Bullet 2")
    rest = [m for m in result.measures if m.applicability == NOT]
    doc.add_heading(f"不适用({len(rest)})", level=1)
    for m in rest:
        doc.add_paragraph(f"《{m.plan_title}》{m.item_path}:{m.why}", style="List Bullet")
    for note in result.notes:
        doc.add_paragraph(f"说明:{note}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ----- scoring against gold profiles (eval/profiles.jsonl, written as eval/match/GOLD.md says) ----------------
def profile_of(row: dict[str, Any]) -> Profile:
    p = row["profile"]
    return Profile.parse(p.get("region"), p.get("industry"), p.get("size"), p.get("stage"), p.get("qualifications"),
                         p.get("not_qualifications"), p.get("founded"))


def score_profiles(matcher: Matcher, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per profile, over its scope plans: the clauses (plan, item path) holding a measure the gold marks 适用 or
    需确认 against those the matcher shows; over the whole library: measures of another jurisdiction shown, and
    the gold's money measures missed (no stated condition not met). Also the verdict agreement per measure
    sentence and the expired plans."""
    gaz = matcher.jurisdictions.gazetteer
    tp = fp = fn = cross = money_missed = money_gold = 0
    agree = compared = expired_right = expired_total = 0
    per = []
    juris = {m.measure_id: [gaz.places[r["code"]] for r in m.jurisdiction if r["code"] in gaz.places]
             for m in matcher.corpus.measures}
    for row in rows:
        on = date.fromisoformat(row.get("on") or date.today().isoformat())
        result = matcher.match(profile_of(row), on=on)
        place = matcher.locate(row["profile"]["region"])
        line = {x.code for x in gaz.lineage(place)}
        scope = set(row.get("scope", []))
        shown = [m for m in result.measures if m.applicability in SHOWN]
        got = {(m.plan_id, m.item_path) for m in shown if m.plan_id in scope}
        gold_rows = row.get("gold", [])
        gold = {(g["plan_id"], g["item_path"]) for g in gold_rows if g["verdict"] in ("适用", "需确认")}
        outside = sorted({f"{m.plan_id} {m.item_path}" for m in shown if _foreign(juris[m.measure_id], place, line)})
        missed_money = []
        by_sentence = {(m.plan_id, m.quote): m for m in result.measures}
        for g in gold_rows:
            m = by_sentence.get((g["plan_id"], g.get("sentence", "")))
            if m is not None:
                compared += 1
                agree += str(m.applicability) == g["verdict"]
            if g.get("money") and g["verdict"] in ("适用", "需确认"):
                money_gold += 1
                if (g["plan_id"], g["item_path"]) not in got:
                    missed_money.append(f"{g['plan_id']} {g['item_path']}")
        for pid in scope:
            expired_total += 1
            v = matcher.validity(pid, on)
            expired_right += (v["status"] == "已到期") == (pid in set(row.get("expired", [])))
        tp += len(got & gold)
        fp += len(got - gold)
        fn += len(gold - got)
        cross += len(outside)
        money_missed += len(missed_money)
        per.append({"id": row.get("id"), "split": row.get("split", ""), "shown": len(got), "gold": len(gold),
                    "extra": sorted(f"{a} {b}" for a, b in got - gold),
                    "missed": sorted(f"{a} {b}" for a, b in gold - got), "cross_jurisdiction": outside,
                    "money_missed": missed_money})
    return {"profiles": len(rows), "precision": round(tp / (tp + fp), 4) if tp + fp else 1.0,
            "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0, "true_positives": tp,
            "false_positives": fp, "false_negatives": fn, "cross_jurisdiction_shown": cross,
            "money_gold": money_gold, "money_missed": money_missed,
            "verdict_agreement": round(agree / compared, 4) if compared else None, "verdicts_compared": compared,
            "expiry_right": f"{expired_right}/{expired_total}", "rows": per}


def _foreign(places: list[Any], place: Any, line: set[str]) -> bool:
    """A measure's places none of which is national, holds the company, or lies inside the company's place."""
    return bool(places) and not any(p.level < 0 or p.code in line or place.code in p.parents for p in places)


def score_text(result: dict[str, Any]) -> str:
    lines = [f"{result['profiles']} profiles: 适用∪需确认 precision {result['precision']}, recall {result['recall']} "
             f"({result['true_positives']} right, {result['false_positives']} extra, {result['false_negatives']} "
             f"missed, by clause); shown from another jurisdiction: {result['cross_jurisdiction_shown']}; money "
             f"measures missed: {result['money_missed']} of {result['money_gold']}; verdict agreement per sentence: "
             f"{result['verdict_agreement']} of {result['verdicts_compared']}; expiry right: {result['expiry_right']}"]
    lines += [f"  {r['id']}: extra {r['extra']} missed {r['missed']}" for r in result["rows"] if r["extra"] or r["missed"]]
    return "\n".join(lines)
