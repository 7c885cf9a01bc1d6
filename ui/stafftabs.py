"""The staff tabs of the chat: 检索测试 (what retrieval finds for a query, and why) and 统计 (admin: questions per
day, no-answer share, latency, 👎, questions left unanswered; CSV export). Built inside the app's Blocks."""
from __future__ import annotations

import csv
import tempfile
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from rag.served import CpuThread, Served
from rag.settings import MODES
from rag.staff import records

from .conversations import REASON_LABELS, ChatStore


def retrieval_html(served: Served, query: str, hits: list[Any], plans: list[str], mode: str, k: int) -> str:
    """Each hit's rank, clause, fused score, BM25 and dense ranks and the query's words found in it, with the
    filters applied."""
    corpus = served.answerer.corpus
    words = list(dict.fromkeys(corpus.tokenize(query)))
    scope = "、".join(f"《{corpus.title(p)}》" for p in plans) if plans else "全部计划"
    head = (f'<p class="pqa-filters">检索模式:{escape(mode)};返回前 {k} 条;范围:{escape(scope)};'
            f'查询分词:{escape(" / ".join(words)) or "(无)"}</p>')
    if not hits:
        return head + '<div class="pqa-noanswer">没有找到相关条款。</div>'
    rows = []
    for h in hits:
        clause_words = set(corpus.tokenize(h.text))
        matched = [w for w in words if w in clause_words]
        rank = lambda r: "—" if r is None else str(r)  # noqa: E731  (not in that retriever's candidates)
        rows.append(f"<tr><td>{h.rank}</td><td>《{escape(corpus.title(h.plan_id))}》<br>"
                    f'<span class="pqa-path">{escape(h.item_path)}</span> {escape(h.item_title)}</td>'
                    f"<td>{h.score:.4f}</td><td>{rank(h.lexical_rank)}</td><td>{rank(h.dense_rank)}</td>"
                    f"<td>{escape(' / '.join(matched)) or '—'}</td><td>{escape(h.text[:120])}</td></tr>")
    return (head + '<table class="pqa-retrieval"><thead><tr><th>名次</th><th>条款</th><th>融合得分</th>'
            "<th>BM25 名次</th><th>向量名次</th><th>命中词</th><th>原文(节选)</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def stats_html(result: dict[str, Any]) -> str:
    days = "".join(f"<tr><td>{escape(d)}</td><td>{n}</td></tr>" for d, n in result["per_day"].items())
    down = "".join(f"<li>{escape(f['question'])} — {escape(REASON_LABELS.get(f['reason'] or '', '未说明'))}"
                   f"{'(应引用 ' + escape(str(f['plan_id'])) + ' ' + escape(str(f['item_path'])) + ')' if f['chunk_id'] else ''}"
                   f"{':' + escape(f['comment']) if f['comment'] else ''}</li>" for f in result["thumbs_down"])
    unanswered = "".join(
        f"<li>{escape(g['question'])}({g['count']} 次{',相近:' + escape('、'.join(g['variants'])) if g['variants'] else ''})</li>"
        for g in result["top_unanswered"])
    latency = result["latency_ms"]
    return (f'<div id="stats-summary"><p>共 {result["questions"]} 个问题;未作答占比 '
            f'{result["no_answer_share"]:.1%};延迟 p50 {latency["p50"]} ms,p95 {latency["p95"]} ms。</p>'
            f'<h4>每日问题数</h4><table class="pqa-retrieval"><tr><th>日期</th><th>问题数</th></tr>{days}</table>'
            f'<h4>👎 反馈({len(result["thumbs_down"])})</h4><ul id="stats-down">{down}</ul>'
            f'<h4>未作答的问题(按语义归并)</h4><ul id="stats-unanswered">{unanswered}</ul></div>')


def staff_tabs(served: Served, cpu: CpuThread, store: ChatStore, plans: list[tuple[str, str]]) -> tuple[Any, ...]:
    """Lays out the two tabs (call inside `gr.Tabs`); returns the statistics tab, shown to admins only."""
    exports = Path(tempfile.mkdtemp(prefix="policyqa-stats-"))

    def search(query: str, k: float, selected: list[str], mode: str) -> str:
        query = (query or "").strip()
        if not query:
            return ""
        k = int(k)
        chosen = [p for p in selected or [] if p in served.answerer.corpus.plans]
        hits = cpu.run(served.answerer.retriever.search, query, k=k, plans=chosen or None, mode=mode)
        return retrieval_html(served, query, hits, chosen, mode, k)

    def stats(request: gr.Request) -> tuple[str, Any]:
        if store.db is None or not store.is_admin(getattr(request, "username", None)):
            return '<div class="pqa-noanswer">仅管理员可见。</div>', gr.DownloadButton(visible=False)
        result = cpu.run(records.stats, store.db, served.answerer.retriever.embed_query)
        path = Path(tempfile.mkdtemp(dir=exports)) / "policyqa-log.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=["at", "user", "route", "question", "no_answer", "latency_ms"])
            writer.writeheader()
            writer.writerows(result["log"])
        return stats_html(result), gr.DownloadButton(value=str(path), visible=True)

    with gr.Tab("检索测试", id="retrieval"):
        gr.Markdown("输入查询,查看检索到的条款及其 BM25 名次、向量名次、融合得分和命中词(不生成答案)。")
        with gr.Row():
            r_query = gr.Textbox(label="查询", scale=6, elem_id="r-query")
            r_k = gr.Slider(1, 20, value=10, step=1, label="返回条数", scale=2, elem_id="r-k")
            r_mode = gr.Radio(list(MODES), value="hybrid", label="模式", scale=2, elem_id="r-mode")
        r_plans = gr.Dropdown(choices=plans, value=[], multiselect=True, label="限定计划", elem_id="r-plans")
        r_go = gr.Button("检索", variant="primary", elem_id="r-go")
        r_out = gr.HTML(elem_id="r-result")
    with gr.Tab("统计", id="stats", visible=False) as stats_tab:
        s_go = gr.Button("刷新统计", variant="primary", elem_id="s-go")
        s_csv = gr.DownloadButton("导出 CSV", visible=False, elem_id="s-csv")
        s_out = gr.HTML(elem_id="s-result")
    r_go.click(search, [r_query, r_k, r_plans, r_mode], r_out)
    r_query.submit(search, [r_query, r_k, r_plans, r_mode], r_out)
    s_go.click(stats, None, [s_out, s_csv])
    return stats_tab, r_plans
