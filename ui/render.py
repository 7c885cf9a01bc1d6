"""HTML for the chat and the plan browser, rendered from the library's own objects (Answer, Clause, PlanMeta)."""
from __future__ import annotations

from html import escape

from rag.itempath import ZONES
from rag.match.report import MARK, money_line
from rag.match.result import Applicability, MatchResult, Measure, Status
from rag.render import node_chain, region_label
from rag.types import Answer, Clause, ClauseKind, PlanMeta


def _highlight(context: str, quotes: tuple[str, ...]) -> str:
    """The clause with its quotes marked (each an exact substring of the clause; overlapping ones not twice)."""
    spans = sorted((at, at + len(q)) for q in quotes if q and (at := context.find(q)) >= 0)
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            continue
        out.append(escape(context[pos:start]) + f"<mark>{escape(context[start:end])}</mark>")
        pos = end
    return "".join(out) + escape(context[pos:])


def answer_html(result: Answer, covered_regions: list[str]) -> str:
    """An answer with its markers, then each citation: plan title, item path, item title, expandable clause."""
    if result.no_answer and not result.citations:  # (a fact the plan does not state is said with its context)
        regions = "".join(f"<li>{escape(r)}</li>" for r in covered_regions)
        return (f'<div class="pqa-noanswer"><strong>无法回答</strong><p>{escape(result.answer)}</p>'
                f"<p>本库收录的计划覆盖:</p><ul>{regions}</ul></div>")
    body = escape(result.answer).replace("\n", "<br>")
    items = []
    for c in result.citations:
        link = f"?clause={escape(c.chunk_id)}"
        items.append(
            f'<details class="pqa-citation"><summary>[{c.n}] 《{escape(c.plan_title)}》 '
            f'<span class="pqa-path">{escape(c.item_path)}</span> {escape(c.item_title)}</summary>'
            f'<div class="pqa-context">{_highlight(c.context, c.quotes).replace(chr(10), "<br>")}</div>'
            f'<a class="pqa-link" href="{link}" target="_blank">在计划中查看此条款</a></details>')
    kind = "pqa-answer pqa-notstated" if result.no_answer else "pqa-answer"
    return f'<div class="{kind}">{body}</div><div class="pqa-citations">{"".join(items)}</div>'


def meta_markdown(meta: PlanMeta) -> str:
    where = region_label(meta.region)
    rows = [("地区", where), ("文号", meta.doc_number), ("印发机关", meta.issuer), ("印发日期", meta.issued_on),
            ("实施期限", meta.period), ("信息来源", meta.source), ("网页发布日期", meta.published),
            ("网页发布机构", meta.publisher), ("原文链接", meta.source_url)]
    table = "\n".join(f"| {k} | {escape(v) if v else '未载明'} |" for k, v in rows)
    note = [k for k, v in meta.provenance.items() if v.startswith("manifest") and k != "region"]
    extra = f"\n\n(以下信息来自清单而非原文:{', '.join(note)})" if note else ""
    return f"### 《{escape(meta.display_title)}》\n\n| 项目 | 内容 |\n|---|---|\n{table}{extra}"


def clause_html(clause: Clause, plan_title: str) -> str:
    parents = " › ".join(escape(p) for p in clause.parents if p)
    text = escape(clause.text).replace("\n", "<br>")
    return (f'<div class="pqa-clause" id="clause-{escape(clause.chunk_id)}"><div class="pqa-clause-head">'
            f'《{escape(plan_title)}》 <span class="pqa-path">{escape(clause.item_path)}</span> '
            f"{escape(clause.item_title)}</div><div class=\"pqa-parents\">{parents}</div><p>{text}</p></div>")


def outline_html(clauses: list[Clause]) -> str:
    """Parts → sections → items → sub-items (and 专栏 entries), each clause opening in full."""
    out: list[str] = []
    open_paths: list[str] = []

    def close_to(depth: int) -> None:
        while len(open_paths) > depth:
            open_paths.pop()
            out.append("</details>")

    for clause in clauses:
        if clause.item_path in ZONES:
            close_to(0)
            out.append(_leaf(clause.item_path, clause))
            continue
        chain = node_chain(clause)
        entry = clause.kind in (ClauseKind.GOAL, ClauseKind.COLUMN_ENTRY)  # a bullet or 专栏 entry sits inside its heading
        nodes = chain if entry else chain[:-1]
        path = ""
        for depth, (label, title) in enumerate(nodes):
            path += label
            if depth < len(open_paths) and open_paths[depth] == path:
                continue
            close_to(depth)
            sep = " " if label.startswith("专栏") else ""
            out.append(f'<details class="pqa-node"><summary>{escape(label)}{sep}{escape(title)}</summary>')
            open_paths.append(path)
        close_to(len(nodes))
        label, title = chain[-1]
        out.append(_leaf(f"· {clause.item_title}" if entry else f"{label}{title}", clause))
    close_to(0)
    return '<div class="pqa-outline">' + "".join(out) + "</div>"


def _leaf(name: str, clause: Clause) -> str:
    text = escape(clause.text).replace("\n", "<br>")
    return (f'<details class="pqa-leaf" id="outline-{escape(clause.chunk_id)}"><summary>{escape(name)}</summary>'
            f"<p>{text}</p></details>")


CSS = """
.pqa-noanswer {border-left: 4px solid #d97706; background: #fffbeb; padding: 8px 12px;}
.pqa-citation {margin: 6px 0; border: 1px solid #e5e7eb; border-radius: 6px; padding: 4px 8px;}
.pqa-citation summary {cursor: pointer;}
.pqa-path {font-family: monospace; color: #1d4ed8;}
.pqa-context {margin: 6px 0; line-height: 1.6;}
.pqa-context mark {background: #fde68a;}
.pqa-outline details {margin-left: 14px;}
.pqa-leaf p {margin: 4px 0 8px 14px; line-height: 1.6;}
.pqa-checklist {list-style: none; padding-left: 8px; margin: 4px 0;}
.pqa-check.pqa-met b {color: #15803d;} .pqa-check.pqa-notmet b {color: #b91c1c;} .pqa-check.pqa-unknown b {color: #b45309;}
mark.pqa-met {background: #bbf7d0;} mark.pqa-unknown {background: #fde68a;} mark.pqa-notmet {background: #fecaca;}
mark.pqa-amount {background: #bfdbfe;}
.pqa-tag {font-size: 0.8em; border: 1px solid #9ca3af; border-radius: 4px; padding: 0 4px; margin-right: 4px;}
.pqa-money {border-color: #1d4ed8; color: #1d4ed8;}
.pqa-validity[data-status="已到期"] {color: #b91c1c; margin-left: 4px;}
"""


STATUS_CLASS = {Status.MET: "met", Status.UNKNOWN: "unknown", Status.NOT_MET: "notmet"}


def _quote_with_spans(m: Measure) -> str:
    """The measure's sentence, each condition's span (and the amount) highlighted with its status."""
    spans = [(c.start, c.end, f"pqa-cond pqa-{STATUS_CLASS[c.status]}", c.kind) for c in m.checks
             if c.start is not None and c.end is not None and m.quote_start <= c.start < c.end <= m.quote_end]
    if m.amount_span and m.quote_start <= m.amount_span[0] < m.amount_span[1] <= m.quote_end:
        spans.append((m.amount_span[0], m.amount_span[1], "pqa-amount", "amount"))
    spans.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    out, at = [], m.quote_start
    for a, b, cls, kind in spans:
        if a < at:
            continue  # overlaps one already marked
        out.append(escape(m.context[at:a]))
        out.append(f'<mark class="{cls}" data-kind="{escape(kind)}">{escape(m.context[a:b])}</mark>')
        at = b
    out.append(escape(m.context[at:m.quote_end]))
    return "".join(out)


def measure_html(m: Measure, open_: bool = True) -> str:
    tags = ('<span class="pqa-tag">国家级</span>' if m.national else "") + \
        ('<span class="pqa-tag pqa-money">资金</span>' if m.money else "")
    items = "".join(f'<li class="pqa-check pqa-{STATUS_CLASS[c.status]}" data-status="{c.status}" '
                    f'data-kind="{escape(c.kind)}"><b>{MARK[c.status]}</b> {escape(c.reason)}</li>'
                    for c in m.checks)
    facts = []
    if m.amount:
        facts.append(escape(money_line(m)))
    if m.unit:
        facts.append(f"责任单位:{escape(m.unit)}")
    v = m.validity
    if v.get("status") == "未载明":
        facts.append('期限:<span class="pqa-validity" data-status="未载明">未载明</span>')
    else:
        facts.append(f'期限:{escape(v.get("period", ""))}(至 {escape(v.get("ends", ""))})'
                     f'<span class="pqa-validity" data-status="{escape(v["status"])}">{escape(v["status"])}</span>')
    return (f'<details class="pqa-citation pqa-measure" data-verdict="{escape(m.applicability)}" '
            f'{"open" if open_ else ""}><summary>{tags}《{escape(m.plan_title)}》'
            f'<span class="pqa-path">{escape(m.item_path)}</span> {escape(m.item_title)}</summary>'
            f'<div class="pqa-context">“{_quote_with_spans(m)}”</div><ul class="pqa-checklist">{items}</ul>'
            f'<div class="pqa-facts">{"<br>".join(facts)}</div>'
            f'<a class="pqa-link" href="?clause={escape(m.chunk_id)}" target="_blank">在计划中查看此条款</a>'
            f'</details>')


def match_html(result: MatchResult) -> str:
    """A MatchResult: 适用 and 需确认 open, each measure with its quote (condition spans highlighted), its
    checklist (✓ met / ✗ not met / ? to confirm), amount, responsible unit and validity; 不适用 collapsed with
    the reason."""
    NOT = Applicability.NOT
    p = result.profile
    bits = [p.get("location", ""), p.get("industry", ""), p.get("size", ""), p.get("stage", ""),
            "资质:" + "、".join(p["qualifications"]) if p.get("qualifications") else "",
            "不具备:" + "、".join(p["not_qualifications"]) if p.get("not_qualifications") else "",
            f"成立于{p['founded']}年" if p.get("founded") else "", f"按 {p['on']}" if p.get("on") else ""]
    head = " · ".join(escape(x) for x in bits if x)
    parts = [f'<div class="pqa-answer"><strong>企业情况:</strong>{head}</div>']
    for label in Applicability:
        group = [m for m in result.measures if m.applicability == label]
        if label == NOT:
            rows = "".join(f'<li>《{escape(m.plan_title)}》<span class="pqa-path">{escape(m.item_path)}</span>:'
                           f'{escape(m.why)}</li>' for m in group)
            body = f"<details><summary>展开 {len(group)} 条不适用的措施及原因</summary><ul>{rows}</ul></details>"
        else:
            body = "".join(measure_html(m) for m in group) or "<p>无</p>"
        parts.append(f'<div class="pqa-match-group" data-label="{escape(label)}"><h4>{escape(label)}'
                     f'({len(group)})</h4>{body}</div>')
    parts.append("".join(f"<p class='pqa-note'>{escape(n)}</p>" for n in result.notes))
    return "".join(parts)
