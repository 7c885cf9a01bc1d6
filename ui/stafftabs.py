"""The staff tabs of the chat: 检索测试 (what retrieval finds for a query, and why) and 统计 (admin: questions per
day, no-answer share, latency, 👎, questions left unanswered; CSV export). Built inside the app's Blocks."""
from __future__ import annotations

import tempfile
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from rag.errors import BadInputError
from rag.ingest.readers import SUPPORTED_SUFFIXES
from rag.served import CpuThread, Served
from rag.settings import MODES, Settings
from rag.staff import documents, records
from rag.staff.db import Database
from rag.writer import BusyError

from .chat import plan_choices
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


def outline_preview(found: dict[str, Any]) -> str:
    rows = "".join(f'<li style="margin-left:{1.2 * o["depth"]}em"><span class="pqa-path">{escape(o["item_path"])}</span> '
                   f'{escape(o["item_title"] or "")}</li>' for o in found["outline"])
    warnings = "".join(f"<li>{escape(w)}</li>" for w in found["warnings"])
    return (f'<div id="d-outline"><p>《{escape(found["title"] or "(无标题)")}》:{found["clauses"]} 个条款;'
            f'建议编号 {escape(found["plan_id"])},地区 {escape(found["region"] or "未识别")}。</p>'
            f'{"<ul>" + warnings + "</ul>" if warnings else ""}<ul>{rows}</ul></div>')


def staff_tabs(served: Served, cpu: CpuThread, store: ChatStore, plans: list[tuple[str, str]]) -> tuple[Any, ...]:
    """Lays out the tabs (call inside `gr.Tabs`); returns the admin tabs (statistics, documents: hidden until an
    admin's page loads) and the retrieval tab's plan filter (refreshed on load)."""
    exports = Path(tempfile.mkdtemp(prefix="policyqa-stats-"))

    def admin(request: gr.Request) -> tuple[Any, Settings, Database]:
        """(the admin's account, the data directory's settings, the database), or the event fails for anyone
        else (checked here, on the server, whatever the page shows)."""
        account = store.account(getattr(request, "username", None))
        if account is None or not account.admin or served.settings is None or store.db is None:
            raise gr.Error("仅管理员账号可以增删文档。")
        return account, served.settings, store.db

    def preview(upload: Any, plan_id: str, region: str, request: gr.Request) -> tuple[str, str, str]:
        _, settings, _ = admin(request)
        if upload is None:
            return '<div class="pqa-noanswer">请先选择文件。</div>', plan_id, region
        path = documents.staged(Path(upload).name, Path(upload).read_bytes())
        try:
            found = documents.preview(settings, path, plan_id.strip() or None, region.strip() or None,
                                      Path(upload).name)
        except BadInputError as exc:
            return f'<div class="pqa-noanswer">{escape(str(exc))}</div>', plan_id, region
        finally:
            documents.discard(path)
        return outline_preview(found), found["plan_id"], found["region"]

    def accept(upload: Any, plan_id: str, region: str, request: gr.Request,
               progress: gr.Progress = gr.Progress()) -> tuple[str, Any]:  # noqa: B008  (Gradio's own idiom)
        account, settings, db = admin(request)
        if upload is None or not plan_id.strip():
            return '<div class="pqa-noanswer">请先上传并预览文档。</div>', gr.Dropdown()
        path = documents.staged(Path(upload).name, Path(upload).read_bytes())
        steps = iter([0.1, 0.3, 0.6, 0.8, 0.9, 0.95, 0.97, 0.99])
        try:
            # (in this event's own thread, not the answer thread: Gradio's progress bar belongs to the event)
            done = documents.accept(settings, served, db, account, path, Path(upload).name,
                                    plan_id.strip(), region.strip() or None,
                                    lambda msg: progress(next(steps, 0.99), desc=msg))
        except (BadInputError, BusyError) as exc:
            return f'<div class="pqa-noanswer">{escape(str(exc))}</div>', gr.Dropdown()
        finally:
            documents.discard(path)
        return (f'<div id="d-done">已入库:《{escape(done["title"])}》({escape(done["plan_id"])},{done["clauses"]} 个条款),'
                f'现在即可提问。</div>', gr.Dropdown(choices=plan_choices(served)))

    def remove(plan_id: str, confirm: str, request: gr.Request) -> tuple[str, Any]:
        _, settings, db = admin(request)
        if not plan_id or confirm.strip() != plan_id:
            return '<div class="pqa-noanswer">请在确认框中输入要删除的计划编号。</div>', gr.Dropdown()
        try:
            done = documents.remove(settings, served, db, plan_id)  # (beside the answer thread)
        except (BadInputError, BusyError) as exc:
            return f'<div class="pqa-noanswer">{escape(str(exc))}</div>', gr.Dropdown()
        return (f'<div id="d-removed">已删除 {escape(plan_id)};原文件保存在 {escape(done["kept_in"])}。</div>',
                gr.Dropdown(choices=plan_choices(served), value=None))

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
        path = exports / "policyqa-log.csv"  # (one file, rewritten: the same log for every admin)
        path.write_text(records.log_csv(result["log"]), encoding="utf-8-sig", newline="")
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
    with gr.Tab("文档管理", id="documents", visible=False) as docs_tab:
        gr.Markdown("上传 PDF、DOCX、HTML、Markdown 或文本文件;先预览解析出的提纲和建议的编号、地区,确认后入库并更新索引"
                    "(只为新文档计算向量),完成后即可提问,无需重启。")
        d_file = gr.File(label="文档", file_types=list(SUPPORTED_SUFFIXES), elem_id="d-file")
        with gr.Row():
            d_plan = gr.Textbox(label="计划编号(预览后给出建议)", elem_id="d-plan")
            d_region = gr.Textbox(label="地区(预览后给出建议)", elem_id="d-region")
        with gr.Row():
            d_preview = gr.Button("预览", elem_id="d-preview")
            d_accept = gr.Button("确认入库", variant="primary", elem_id="d-accept")
        d_out = gr.HTML(elem_id="d-result")
        gr.Markdown("删除计划:选择计划并在确认框中再输入一次它的编号(原文件移到数据目录的 removed/ 下,不会丢失)。")
        with gr.Row():
            d_pick = gr.Dropdown(choices=plans, value=None, label="计划", elem_id="d-pick")
            d_confirm = gr.Textbox(label="确认:输入计划编号", elem_id="d-confirm")
            d_remove = gr.Button("删除", variant="stop", elem_id="d-remove")
        d_removed = gr.HTML(elem_id="d-removed-out")
    d_preview.click(preview, [d_file, d_plan, d_region], [d_out, d_plan, d_region])
    d_accept.click(accept, [d_file, d_plan, d_region], [d_out, d_pick])
    d_remove.click(remove, [d_pick, d_confirm], [d_removed, d_pick])
    r_go.click(search, [r_query, r_k, r_plans, r_mode], r_out)
    r_query.submit(search, [r_query, r_k, r_plans, r_mode], r_out)
    s_go.click(stats, None, [s_out, s_csv])
    return stats_tab, docs_tab, r_plans
