"""The Gradio chat for staff: 问答 (multi-turn, cited answers), 政策匹配 (a company profile -> support measures)
and 计划 (outline and metadata of each plan).

Callbacks are a few lines each and call the same Answerer as the CLI and the API. Nothing here reads a path
from user input.
"""
from __future__ import annotations

import logging
import re
import tempfile
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from rag.answer.answerer import Answerer
from rag.errors import BadInputError, PolicyQAError
from rag.match.profile import SIZES, STAGES, Profile, qualification_choices
from rag.match.report import render_docx, render_markdown
from rag.served import CpuThread, Served
from rag.settings import PROJECT_ROOT, Settings
from rag.staff.accounts import login
from rag.staff.db import Database
from rag.types import Turn

from .chat import safe_answer
from .render import CSS, answer_html, clause_html, match_html, meta_markdown, outline_html

log = logging.getLogger("policyqa.chat")

# The chat's framework routes that would take a visitor's files (or fetch URLs for them): no component here
# takes a file, so they are closed (rag/guards.py ClosedRoutes). Downloads of our own exports stay open.
CLOSED_ROUTES = re.compile(r"^/gradio_api/(upload|upload_progress|process_recording|proxy=|vibe-|undo-vibe|"
                           r"run-history|dev/)|^/(upload|proxy=)")
CHAT_QUEUE = 64
CHAT_EVENTS = ("/gradio_api/queue/join", "/gradio_api/call/", "/gradio_api/run/")  # what runs a callback
# system fonts only: the default theme loads Google Fonts, which would tell a third party of every visit
THEME = gr.themes.Default(font=["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei",
                                "system-ui", "sans-serif"],
                          font_mono=["ui-monospace", "Consolas", "monospace"])

EXAMPLES = [
    "济南对入选新型智慧城市试点示范的项目补助多少?",  # a fact with a number
    "我们是杭州一家做VR头显的中小企业,有什么政策?",  # a region
    "各省市的元宇宙产业规模目标分别是多少?",  # a comparison
    "四川元宇宙行动计划是哪些部门联合印发的?",  # metadata
    "濟南怎樣推動元宇宙和文化旅遊結合?",  # traditional characters
    "How big is the Chongqing Metaverse Center that Yongchuan plans to build?",  # English
    "上海对元宇宙企业有什么补贴?",  # a region without a plan
]


def build_ui(served: Served | Answerer, cpu: CpuThread | None = None) -> gr.Blocks:
    """The chat over `served`: every callback reads the answerer being served when it runs, so an index swapped
    in while serving (rag/served.py) is what the next question sees."""
    cpu = cpu or CpuThread()
    served = served if isinstance(served, Served) else Served(served)

    def plan_choices() -> list[tuple[str, str]]:
        return [(m.display_title, pid) for pid, m in sorted(served.answerer.corpus.plans.items())]

    plans = plan_choices()

    def which(result: Any) -> Any:
        """The plans the last question may mean, as buttons (hidden when it named one or none)."""
        corpus = served.answerer.corpus
        titles = [corpus.title(pid) for pid in result.candidates]
        choices = [(t if titles.count(t) == 1 else f"{t}({pid})", pid) for t, pid in zip(titles, result.candidates)]
        return gr.Radio(choices=choices, value=None, visible=bool(choices))

    def ask(message: str, chat: list[Any], turns: list[Any],
            selected: list[str]) -> tuple[list[Any], list[Any], str, Any]:
        message = (message or "").strip()
        if not message:
            return chat, turns, "", gr.Radio(visible=False)
        answerer = served.answerer
        result = safe_answer(answerer, cpu, message, [Turn(q, a) for q, a in turns], selected)
        # the chat shows HTML (our own, escaped); the user's words are escaped too
        chat = chat + [{"role": "user", "content": escape(message)},
                       {"role": "assistant", "content": answer_html(result, answerer.places.covered_regions())}]
        return chat, turns + [(message, result)], "", which(result)

    def ask_of(plan_id: str, chat: list[Any], turns: list[Any]) -> tuple[list[Any], list[Any], Any]:
        """The last question again, of the one plan picked among its candidates."""
        answerer = served.answerer
        corpus = answerer.corpus
        if not plan_id or not turns or plan_id not in corpus.plans:
            return chat, turns, gr.Radio(visible=False)
        message = turns[-1][0]
        result = safe_answer(answerer, cpu, message, [Turn(q, a) for q, a in turns[:-1]], [plan_id])
        chat = chat + [{"role": "user", "content": f"{escape(message)}(只问《{escape(corpus.title(plan_id))}》)"},
                       {"role": "assistant", "content": answer_html(result, answerer.places.covered_regions())}]
        return chat, turns + [(message, result)], gr.Radio(visible=False)

    exports = Path(tempfile.mkdtemp(prefix="policyqa-exports-"))

    def match(region: str, industry: str, size: str, stage: str, quals: list[str], lacks: list[str],
              founded: str, on: str) -> tuple[str, Any, Any]:
        hidden = (gr.DownloadButton(visible=False), gr.DownloadButton(visible=False))
        try:
            when = date.fromisoformat(on.strip()) if (on or "").strip() else date.today()
        except ValueError:
            return f'<div class="pqa-noanswer">日期格式应为 YYYY-MM-DD,收到 {escape(on)}</div>', *hidden
        try:
            profile = Profile.parse(region, industry, size, stage, quals or [], lacks or [], founded or None)
            result = cpu.run(served.answerer.matcher.match, profile, on=when)
        except BadInputError as exc:
            return f'<div class="pqa-noanswer">{escape(str(exc))}</div>', *hidden
        except PolicyQAError:
            log.exception("company match failed")
            return '<div class="pqa-noanswer">抱歉,系统暂时无法完成匹配,请稍后再试或联系管理员。</div>', *hidden
        # each result its own folder (file names are ours, never the user's words)
        folder = Path(tempfile.mkdtemp(dir=exports))
        md, docx = folder / "政策匹配结果.md", folder / "政策匹配结果.docx"
        md.write_text(render_markdown(result), encoding="utf-8")
        docx.write_bytes(render_docx(result))
        return (match_html(result), gr.DownloadButton(value=str(md), visible=True),
                gr.DownloadButton(value=str(docx), visible=True))

    def clear() -> tuple[list[Any], list[Any], str, Any]:
        return [], [], "", gr.Radio(choices=[], visible=False)

    def show_plan(plan_id: str) -> tuple[str, str]:
        corpus = served.answerer.corpus
        if plan_id not in corpus.plans:  # a plan the library no longer has (the index was rebuilt)
            return "", ""
        meta = corpus.plans[plan_id]
        clauses = corpus.clauses_of([plan_id])
        return meta_markdown(meta), outline_html(clauses)

    def open_linked(request: gr.Request) -> tuple[Any, ...]:
        """A citation link (`?clause=<chunk_id>`) opens the 计划 tab on that clause."""
        corpus = served.answerer.corpus
        choices = plan_choices()  # the plans served now (new plans appear without a restart)
        chunk = request.query_params.get("clause") if request else None
        clause = corpus.clause(chunk or "")
        filter_box = gr.Dropdown(choices=choices)
        if clause is None:
            first = choices[0][1]
            return gr.Tabs(), "", gr.Dropdown(choices=choices, value=first), filter_box, *show_plan(first)
        title = corpus.title(clause.plan_id)
        return (gr.Tabs(selected="plans"), clause_html(clause, title),
                gr.Dropdown(choices=choices, value=clause.plan_id), filter_box, *show_plan(clause.plan_id))

    with gr.Blocks(title="PolicyQA 政策问答", analytics_enabled=False) as demo:
        gr.Markdown("## PolicyQA 政策问答\n答案只由计划原文引用组成,每条引用注明计划与条款编号。")
        turns = gr.State([])
        with gr.Tabs() as tabs:
            with gr.Tab("问答", id="chat"):
                selected = gr.Dropdown(choices=plans, value=[], multiselect=True, label="限定计划(可多选,不选则全部)",
                                       elem_id="plan-filter")
                chat = gr.Chatbot(label="对话", height=520, buttons=["copy", "copy_all"], elem_id="chat",
                                  sanitize_html=False)
                candidates = gr.Radio(choices=[], visible=False, label="问题可能指以下文件,点选一份只问这一份",
                                      elem_id="candidates")
                with gr.Row():
                    box = gr.Textbox(placeholder="输入问题,例如:济南对入选新型智慧城市试点示范的项目补助多少?",
                                     show_label=False, scale=8, elem_id="question")
                    send = gr.Button("提问", variant="primary", scale=1, elem_id="ask")
                    reset = gr.Button("清空", scale=1)
                gr.Examples(EXAMPLES, inputs=box, label="示例问题")
            with gr.Tab("政策匹配", id="match"):
                gr.Markdown("填写企业情况(除所在地外都可留空;留空的条件记为“? 需确认”,不会被当作不满足)。每条措施列出原文、"
                            "逐项条件(✓ 已满足 / ✗ 不满足 / ? 需确认)、金额、责任单位和期限;资金类措施在前。")
                with gr.Row():
                    m_region = gr.Textbox(label="所在地(必填)", placeholder="如 杭州市、历下区、永川", elem_id="m-region")
                    m_industry = gr.Textbox(label="行业/业务", placeholder="如 VR头显、服务器整机研发制造",
                                            elem_id="m-industry")
                    m_size = gr.Dropdown(choices=[""] + list(SIZES), value="", label="规模", elem_id="m-size")
                    m_stage = gr.Dropdown(choices=[""] + list(STAGES), value="", label="阶段", elem_id="m-stage")
                with gr.Row():
                    m_quals = gr.CheckboxGroup(choices=qualification_choices(), label="已具备的资质",
                                               elem_id="m-quals")
                    m_lacks = gr.CheckboxGroup(choices=qualification_choices(), label="确认不具备的资质",
                                               elem_id="m-lacks")
                with gr.Row():
                    m_founded = gr.Textbox(label="成立年份", placeholder="如 2019", elem_id="m-founded")
                    m_on = gr.Textbox(label="按哪天判断是否到期", value=date.today().isoformat(), elem_id="m-on")
                m_go = gr.Button("匹配", variant="primary", elem_id="m-go")
                with gr.Row():
                    m_md = gr.DownloadButton("导出 Markdown", visible=False, elem_id="m-export-md")
                    m_docx = gr.DownloadButton("导出 Word(DOCX)", visible=False, elem_id="m-export-docx")
                m_out = gr.HTML(elem_id="m-result")
            with gr.Tab("计划", id="plans"):
                linked = gr.HTML(elem_id="linked-clause")
                pick = gr.Dropdown(choices=plans, value=plans[0][1], label="计划", elem_id="plan-pick")
                meta = gr.Markdown(elem_id="plan-meta")
                outline = gr.HTML(elem_id="plan-outline")
        send.click(ask, [box, chat, turns, selected], [chat, turns, box, candidates])
        box.submit(ask, [box, chat, turns, selected], [chat, turns, box, candidates])
        candidates.input(ask_of, [candidates, chat, turns], [chat, turns, candidates])
        reset.click(clear, None, [chat, turns, box, candidates])
        m_go.click(match, [m_region, m_industry, m_size, m_stage, m_quals, m_lacks, m_founded, m_on],
                   [m_out, m_md, m_docx])
        pick.change(show_plan, pick, [meta, outline])
        demo.load(open_linked, None, [tabs, linked, pick, selected, meta, outline])
    # the chat's own wait is bounded too: past CHAT_QUEUE waiting events a visitor is told the queue is full
    demo.queue(max_size=CHAT_QUEUE, api_open=False)
    return demo


def serving_app(served: Served, settings: Settings, db: Database | None = None) -> Any:
    """The one ASGI app `policyqa serve` runs: the chat at /, the API at /api and /health, sharing one model and
    index (followed on disk: `served`). Gradio serves no file of the server (no allowed_paths; the project,
    corpus and data directory are explicitly blocked), takes no upload, and sends cross-origin headers only for
    `POLICYQA_CORS_ORIGINS`. The chat's events are rate-limited per client as the API's requests are. With
    accounts in `db` when the server starts, the chat asks for a user name and password (Gradio's login)."""
    from rag.api import create_app
    from rag.guards import Admission, ClosedRoutes, PinnedOrigins

    cpu = CpuThread()
    app = create_app(served, cpu, settings, db)
    auth = None
    if db is not None and db.has_users():
        def auth(name: str, password: str) -> bool:
            return login(db, name, password) is not None
    app = gr.mount_gradio_app(app, build_ui(served, cpu), path="/", css=CSS, allowed_paths=[], theme=THEME,
                              auth=auth, auth_message="PolicyQA:请用您的账号登录",
                              blocked_paths=[str(settings.home), str(settings.corpus), str(Path.cwd()),
                                             str(PROJECT_ROOT)])
    chat_events = Admission(app, prefixes=CHAT_EVENTS, rate=settings.rate_limit, queue=0, keys=settings.api_keys)
    return PinnedOrigins(ClosedRoutes(chat_events, CLOSED_ROUTES), settings.cors_origins)


__all__ = ["build_ui", "serving_app", "CSS"]
