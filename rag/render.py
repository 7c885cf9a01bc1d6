"""Text renderings of library objects for people (the CLI); JSON renderings are the objects' dicts."""
from __future__ import annotations

from typing import Any

from .ingest.noise import Dropped
from .itempath import ZONES, split_path
from .types import Clause, ClauseKind, PlanMeta, Region

NOT_STATED = "未载明"


def node_chain(clause: Clause) -> list[tuple[str, str]]:
    """The (label, title) of every heading from the plan's top down to the clause's own node."""
    if clause.item_path in ZONES:
        return [(clause.item_path, "")]
    labels = split_path(clause.item_path)
    titles = list(clause.parents)
    if clause.kind not in (ClauseKind.GOAL, ClauseKind.COLUMN_ENTRY):
        titles.append(clause.item_title)
    titles = ([""] * len(labels) + titles)[-len(labels):]
    return list(zip(labels, titles))


def item_label(plan_title: str, item_path: str, item_title: str, english: bool = False) -> str:
    """`《济南市…》二、(一)3.(1)(壮大本地元宇宙企业)`; a clause without a title (a news paragraph) has no brackets."""
    if english:
        return f"《{plan_title}》 item {item_path}" + (f" ({item_title})" if item_title else "")
    return f"《{plan_title}》{item_path}" + (f"({item_title})" if item_title else "")


def region_label(region: Region | None) -> str:
    """`永川区(县级,属重庆市)`, or 未载明."""
    if not region:
        return NOT_STATED
    return region.name + f"({region.level}" + (f",属{region.parent}" if region.parent else "") + ")"


def meta_lines(meta: PlanMeta) -> list[str]:
    where = region_label(meta.region)
    lines = [f"《{meta.title or NOT_STATED}》  [{meta.plan_id}]",
             f"  地区: {where}",
             f"  文号: {meta.doc_number or NOT_STATED}",
             f"  印发机关: {meta.issuer or NOT_STATED}",
             f"  印发日期: {meta.issued_on or NOT_STATED}",
             f"  实施期限: {meta.period or NOT_STATED}"]
    if meta.source:
        lines.append(f"  信息来源: {meta.source}")
    for label, value in (("网页发布日期", meta.published), ("网页发布机构", meta.publisher), ("原文链接", meta.source_url)):
        if value:
            lines.append(f"  {label}: {value}  (page header)")
    from_manifest = [k for k, v in meta.provenance.items() if v.startswith("manifest") and k != "region"]
    if from_manifest:
        lines.append(f"  (from the manifest, not the text: {', '.join(from_manifest)})")
    lines.append(f"  文件: {meta.file} ({meta.read_as})")
    return lines


def outline(meta: PlanMeta, clauses: list[Clause]) -> str:
    """The plan as a tree: parts, sections, items, sub-items, columns and their entries."""
    out = meta_lines(meta) + [""]
    printed: set[str] = set()
    zone_counts: dict[str, int] = {}
    for clause in clauses:
        if clause.item_path in ZONES:
            zone_counts[clause.item_path] = zone_counts.get(clause.item_path, 0) + 1
    for clause in clauses:
        if clause.item_path in ZONES:
            if clause.item_path not in printed:
                printed.add(clause.item_path)
                n = zone_counts[clause.item_path]
                out.append(f"{clause.item_path}  ({n} 段)" if n > 1 else clause.item_path)
            continue
        path = ""
        chain = node_chain(clause)
        for depth, (label, title) in enumerate(chain):
            path += label
            if path not in printed:
                printed.add(path)
                sep = " " if label.startswith("专栏") else ""
                out.append(f"{'  ' * depth}{label}{sep}{title}")
        if clause.kind in (ClauseKind.GOAL, ClauseKind.COLUMN_ENTRY):
            out.append(f"{'  ' * len(chain)}· {clause.item_title}")
    return "\n".join(out)


def clause_block(clause: Clause) -> str:
    """One clause in full, as a person checking the parser wants to read it."""
    where = " > ".join(t for t in clause.parents if t)
    head = f"{clause.item_path}  {clause.item_title}".rstrip()
    lines = [head]
    if where:
        lines.append(f"  ({where})")
    lines.append(clause.text)
    lines.append(f"  [{clause.kind}, chunk_id {clause.chunk_id}]")
    return "\n".join(lines)


def hits_text(result: dict[str, Any]) -> str:
    """`search` results for people: rank, plan, path, title, scores and the two retrievers' ranks."""
    lines = []
    for h in result["hits"]:
        ranks = f"bm25 #{h['lexical_rank'] or '-'}, dense #{h['dense_rank'] or '-'}"
        lines.append(f"{h['rank']}. [{h['plan_id']}] {h['item_path']} {h['item_title']}  ({h['score']:.4f}; {ranks})")
        text = h["text"].replace("\n", " ")
        lines.append(f"   {text[:160]}{'…' if len(text) > 160 else ''}")
    return "\n".join(lines) if lines else "(no clause matched)"


def answer_text(result: dict[str, Any]) -> str:
    """An answer for people: its text, then one line per citation."""
    lines = [result["answer"]]
    if result["citations"]:
        lines.append("")
        for c in result["citations"]:
            lines.append(f"[{c['n']}] 《{c['plan_title']}》 {c['item_path']} {c['item_title']}")
    return "\n".join(lines)


def plans_text(plans: list[PlanMeta]) -> str:
    return "\n".join(f"{meta.plan_id:16} {meta.title or '(title not stated)'}" for meta in plans)


def dropped_text(rows: list[Dropped]) -> str:
    """The lines set aside as page noise, each with the rule that dropped it."""
    return "\n".join(f"{d.line_no:5}  [{d.reason}]  {d.text}" for d in rows)
