"""The Gradio chat for staff: 问答 (multi-turn, cited answers), 政策匹配 (a company profile -> support measures)
and 计划 (outline and metadata of each plan).

Callbacks are a few lines each and call the same Answerer as the CLI and the API. Nothing here reads a path
from user input.
"""
from __future__ import annotations

import logging
import re
import tempfile
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from rag.answer.answerer import Answerer
from rag.limits import MAX_DOCUMENT_BYTES
from rag.served import CpuThread, Served
from rag.settings import PROJECT_ROOT, Settings
from rag.staff.accounts import login
from rag.staff.db import Database
from rag.types import Turn

from .chat import plan_choices, safe_answer
from .conversations import REASON_LABELS, ChatStore
from .matchtab import match_tab
from .render import CSS, answer_html, clause_html, meta_markdown, outline_html
from .stafftabs import staff_tabs

log = logging.getLogger("policyqa.chat")

# The chat's framework routes that would take a visitor's files (or fetch URLs for them): no component here
# takes a file, so they are closed (rag/guards.py ClosedRoutes). Downloads of our own exports stay open.
CLOSED_ROUTES = re.compile(r"^/gradio_api/(upload|upload_progress|process_recording|proxy=|vibe-|undo-vibe|"
                           r"run-history|dev/)|^/(upload|proxy=)")
# with accounts the chat needs a login, and Gradio requires it for its upload routes too: the 文档管理 tab (admins
# only: the callback checks) takes a document through them; anything else stays closed
CLOSED_WITH_LOGIN = re.compile(r"^/gradio_api/(process_recording|proxy=|vibe-|undo-vibe|run-history|dev/)|"
                               r"^/(upload|proxy=)")
CHAT_QUEUE = 64
LOGINS_PER_MINUTE = 30.0  # (a burst of 5)
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


def build_ui(served: Served | Answerer, cpu: CpuThread | None = None, store: ChatStore | None = None) -> gr.Blocks:
    """The chat over `served`: every callback reads the answerer being served when it runs, so an index swapped
    in while serving (rag/served.py) is what the next question sees. `store`: where conversations and feedback
    are saved (rag/staff; without one the chat keeps nothing and offers no 👍/👎 form)."""
    cpu = cpu or CpuThread()
    served = served if isinstance(served, Served) else Served(served)
    store = store or ChatStore(None)
    saving = store.db is not None

    plans = plan_choices(served)

    def which(result: Any) -> Any:
        """The plans the last question may mean, as buttons (hidden when it named one or none)."""
        corpus = served.answerer.corpus
        titles = [corpus.title(pid) for pid in result.candidates]
        choices = [(t if titles.count(t) == 1 else f"{t}({pid})", pid) for t, pid in zip(titles, result.candidates)]
        return gr.Radio(choices=choices, value=None, visible=bool(choices))

    def user(request: gr.Request | None) -> str | None:
        return getattr(request, "username", None) if request is not None else None

    def shown(question: str, result: Any) -> list[dict[str, str]]:
        # the chat shows HTML (our own, escaped); the user's words are escaped too
        return [{"role": "user", "content": question},
                {"role": "assistant", "content": answer_html(result, served.answerer.places.covered_regions())}]

    def answered(question: str, result: Any, chat: list[Any], turns: list[Any], conv: str | None, ids: list[int],
                 request: gr.Request | None) -> tuple[Any, ...]:
        conv, turn_id = store.save(user(request), conv, result)
        listed = gr.Radio(choices=store.choices(user(request)), value=conv)
        return chat + shown(question, result), turns + [(result.question, result)], conv, ids + [turn_id], listed

    def ask(message: str, chat: list[Any], turns: list[Any], selected: list[str], conv: str | None, ids: list[int],
            request: gr.Request) -> tuple[Any, ...]:
        message = (message or "").strip()
        if not message:
            return chat, turns, "", gr.Radio(visible=False), conv, ids, gr.Radio()
        result = safe_answer(served.answerer, cpu, message, [Turn(q, a) for q, a in turns], selected)
        chat, turns, conv, ids, listed = answered(escape(message), result, chat, turns, conv, ids, request)
        return chat, turns, "", which(result), conv, ids, listed

    def ask_of(plan_id: str, chat: list[Any], turns: list[Any], conv: str | None, ids: list[int],
               request: gr.Request) -> tuple[Any, ...]:
        """The last question again, of the one plan picked among its candidates."""
        corpus = served.answerer.corpus
        if not plan_id or not turns or plan_id not in corpus.plans:
            return chat, turns, gr.Radio(visible=False), conv, ids, gr.Radio()
        message = turns[-1][0]
        result = safe_answer(served.answerer, cpu, message, [Turn(q, a) for q, a in turns[:-1]], [plan_id])
        label = f"{escape(message)}(只问《{escape(corpus.title(plan_id))}》)"
        chat, turns, conv, ids, listed = answered(label, result, chat, turns, conv, ids, request)
        return chat, turns, gr.Radio(visible=False), conv, ids, listed

    def clear() -> tuple[Any, ...]:
        return [], [], "", gr.Radio(choices=[], visible=False), None, [], gr.Radio(value=None)

    def resume(conv: str, request: gr.Request) -> tuple[Any, ...]:
        """A saved conversation back in the chat, its turns the context of the next question."""
        turns, ids = store.load(user(request), conv) if conv else ([], [])
        chat = [m for t in turns for m in shown(escape(t.question), t.answer)]
        return chat, [(t.question, t.answer) for t in turns], conv or None, ids, gr.Radio(visible=False)

    def rated(ids: list[int], chat: list[Any], data: gr.LikeData, request: gr.Request) -> tuple[Any, ...]:
        at = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn = ids[at // 2] if 0 <= at // 2 < len(ids) else None
        if turn is None:
            return gr.Column(visible=False), None, "这条回答未保存,无法反馈。", ""
        feedback = store.feedback(user(request), turn, "up" if data.liked is True else "down")
        if data.liked is True:
            return gr.Column(visible=False), None, "已记录 👍,谢谢。", ""
        question = chat[(at // 2) * 2]["content"] if (at // 2) * 2 < len(chat) else ""
        return gr.Column(visible=True), feedback, "已记录 👎。请说明哪里不对,并可选出应当引用的条款。", question

    def find_clauses(query: str) -> Any:
        query = (query or "").strip()
        hits = cpu.run(served.answerer.retriever.search, query, k=8) if query else []
        corpus = served.answerer.corpus
        return gr.Radio(choices=[(f"《{corpus.title(h.plan_id)}》{h.item_path}:{h.text[:50]}", h.chunk_id) for h in hits],
                        value=None)

    def send_feedback(feedback: int | None, reason: str | None, chunk: str | None, comment: str,
                      request: gr.Request) -> tuple[Any, ...]:
        if feedback is None:
            return gr.Column(visible=False), "", None
        clause = served.answerer.corpus.clause(chunk) if chunk else None
        done = store.complete(user(request), feedback, reason or None, clause, comment or "")
        where = f"(应引用 {done['plan_id']} {done['item_path']})" if done["chunk_id"] else ""
        return gr.Column(visible=False), f"反馈已保存{where},将作为评测用例持续检验。", None

    exports = Path(tempfile.mkdtemp(prefix="policyqa-conversations-"))

    def export(conv: str | None, request: gr.Request) -> tuple[Any, Any]:
        """The current conversation's files, rewritten in its own folder (one pair per conversation, not per
        question; Gradio's copies are dropped from its cache after an hour: `delete_cache`)."""
        folder = exports / (conv or "none")
        folder.mkdir(exist_ok=True)
        files = store.export(user(request), conv, folder)
        if files is None:
            return gr.DownloadButton(visible=False), gr.DownloadButton(visible=False)
        return gr.DownloadButton(value=str(files[0]), visible=True), gr.DownloadButton(value=str(files[1]), visible=True)

    def show_plan(plan_id: str) -> tuple[str, str]:
        corpus = served.answerer.corpus
        if plan_id not in corpus.plans:  # a plan the library no longer has (the index was rebuilt)
            return "", ""
        meta = corpus.plans[plan_id]
        clauses = corpus.clauses_of([plan_id])
        return meta_markdown(meta), outline_html(clauses)

    def open_linked(request: gr.Request) -> tuple[Any, ...]:
        """A citation link (`?clause=<chunk_id>`) opens the 计划 tab on that clause; the user's conversations and
        (for an admin) the statistics tab appear."""
        corpus = served.answerer.corpus
        choices = plan_choices(served)  # the plans served now (new plans appear without a restart)
        chunk = request.query_params.get("clause") if request else None
        clause = corpus.clause(chunk or "")
        filters = (gr.Dropdown(choices=choices), gr.Dropdown(choices=choices))
        account = store.account(user(request))
        open_server = store.db is not None and not store.db.has_users()
        who = (f'<div id="whoami-{account.name}">当前用户:{escape(account.name)}({"管理员" if account.admin else "工作人员"})'
               ' · <a href="logout">退出</a></div>') if account is not None else (
            '<div id="whoami-open" class="pqa-noanswer">未配置账号:能访问本机此端口的任何人都可使用问答和 API。'
            "添加管理员:<code>policyqa users add NAME --role admin</code></div>" if open_server
            else '<div id="whoami-open"></div>')
        staff = (gr.Radio(choices=store.choices(user(request))), gr.Tab(visible=store.is_admin(user(request))),
                 gr.Tab(visible=account is not None and account.admin), who)
        if clause is None:
            first = choices[0][1]
            return gr.Tabs(), "", gr.Dropdown(choices=choices, value=first), *filters, *show_plan(first), *staff
        title = corpus.title(clause.plan_id)
        return (gr.Tabs(selected="plans"), clause_html(clause, title), gr.Dropdown(choices=choices, value=clause.plan_id),
                *filters, *show_plan(clause.plan_id), *staff)

    with gr.Blocks(title="PolicyQA 政策问答", analytics_enabled=False, delete_cache=(3600, 3600)) as demo:
        gr.Markdown("## PolicyQA 政策问答\n答案只由计划原文引用组成,每条引用注明计划与条款编号。")
        whoami = gr.HTML(elem_id="whoami")  # (filled when the page loads: the tests wait for it)
        turns, conv, ids, feedback = gr.State([]), gr.State(None), gr.State([]), gr.State(None)
        with gr.Tabs() as tabs:
            with gr.Tab("问答", id="chat"), gr.Row():
                with gr.Column(scale=1, min_width=200, visible=saving):
                    new_conv = gr.Button("新对话", elem_id="new-conversation")
                    convs = gr.Radio(choices=[], label="我的对话", elem_id="conversations")
                    exp_md = gr.DownloadButton("导出 Markdown", visible=False, elem_id="c-export-md")
                    exp_docx = gr.DownloadButton("导出 Word(DOCX)", visible=False, elem_id="c-export-docx")
                with gr.Column(scale=4):
                    selected = gr.Dropdown(choices=plans, value=[], multiselect=True,
                                           label="限定计划(可多选,不选则全部)", elem_id="plan-filter")
                    chat = gr.Chatbot(label="对话", height=520, buttons=["copy", "copy_all"], elem_id="chat",
                                      sanitize_html=False, feedback_options=("Like", "Dislike") if saving else ())
                    candidates = gr.Radio(choices=[], visible=False, label="问题可能指以下文件,点选一份只问这一份",
                                          elem_id="candidates")
                    fb_note = gr.Markdown(elem_id="fb-note")
                    with gr.Column(visible=False, elem_id="feedback-panel") as fb_panel:
                        fb_reason = gr.Radio(choices=[(v, k) for k, v in REASON_LABELS.items()], label="哪里不对",
                                             elem_id="fb-reason")
                        with gr.Row():
                            fb_query = gr.Textbox(label="搜索应当引用的条款", scale=5, elem_id="fb-query")
                            fb_search = gr.Button("搜索条款", scale=1, elem_id="fb-search")
                        fb_clause = gr.Radio(choices=[], label="选出应当引用的条款(可不选)", elem_id="fb-clause")
                        fb_comment = gr.Textbox(label="补充说明(可选)", elem_id="fb-comment")
                        fb_send = gr.Button("提交反馈", variant="primary", elem_id="fb-send")
                    with gr.Row():
                        box = gr.Textbox(placeholder="输入问题,例如:济南对入选新型智慧城市试点示范的项目补助多少?",
                                         show_label=False, scale=8, elem_id="question")
                        send = gr.Button("提问", variant="primary", scale=1, elem_id="ask")
                        reset = gr.Button("清空", scale=1)
                    gr.Examples(EXAMPLES, inputs=box, label="示例问题")
            match_tab(served, cpu)
            with gr.Tab("计划", id="plans"):
                linked = gr.HTML(elem_id="linked-clause")
                pick = gr.Dropdown(choices=plans, value=plans[0][1], label="计划", elem_id="plan-pick")
                meta = gr.Markdown(elem_id="plan-meta")
                outline = gr.HTML(elem_id="plan-outline")
            stats_tab, docs_tab, r_plans = staff_tabs(served, cpu, store, plans)
        asked = [chat, turns, box, candidates, conv, ids, convs]
        exported = [exp_md, exp_docx]
        send.click(ask, [box, chat, turns, selected, conv, ids], asked).then(export, conv, exported)
        box.submit(ask, [box, chat, turns, selected, conv, ids], asked).then(export, conv, exported)
        candidates.input(ask_of, [candidates, chat, turns, conv, ids], [chat, turns, candidates, conv, ids, convs]
                         ).then(export, conv, exported)
        reset.click(clear, None, asked).then(export, conv, exported)
        new_conv.click(clear, None, asked).then(export, conv, exported)
        convs.input(resume, convs, [chat, turns, conv, ids, candidates]).then(export, conv, exported)
        chat.like(rated, [ids, chat], [fb_panel, feedback, fb_note, fb_query])
        fb_search.click(find_clauses, fb_query, fb_clause)
        fb_query.submit(find_clauses, fb_query, fb_clause)
        fb_send.click(send_feedback, [feedback, fb_reason, fb_clause, fb_comment], [fb_panel, fb_note, feedback])
        pick.change(show_plan, pick, [meta, outline])
        demo.load(open_linked, None, [tabs, linked, pick, selected, r_plans, meta, outline, convs, stats_tab, docs_tab,
                                      whoami])
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
        async def auth(name: str, password: str) -> bool:  # (scrypt and the database off the event loop)
            import anyio.to_thread

            return await anyio.to_thread.run_sync(lambda: login(db, name, password) is not None)
    app = gr.mount_gradio_app(app, build_ui(served, cpu, ChatStore(db)), path="/", css=CSS, allowed_paths=[], theme=THEME,
                              auth=auth, auth_message="PolicyQA:请用您的账号登录", max_file_size=MAX_DOCUMENT_BYTES,
                              blocked_paths=[str(settings.home), str(settings.corpus), str(Path.cwd()),
                                             str(PROJECT_ROOT)])
    chat_events = Admission(app, prefixes=CHAT_EVENTS + ("/gradio_api/upload",), rate=settings.rate_limit, queue=0,
                            keys=settings.api_keys)
    # password guessing: a few logins a minute per address (each costs a scrypt hash)
    chat_events = Admission(chat_events, prefixes=("/login",), rate=LOGINS_PER_MINUTE, queue=0, keys=frozenset(),
                            methods=frozenset({"POST"}))
    closed = CLOSED_WITH_LOGIN if auth is not None else CLOSED_ROUTES
    return PinnedOrigins(ClosedRoutes(chat_events, closed), settings.cors_origins)


__all__ = ["build_ui", "serving_app", "CSS"]
