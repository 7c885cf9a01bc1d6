"""The 政策匹配 tab: a company profile in, every support measure with its verdict per condition out, exported as
Markdown and DOCX (rag/match). Built inside the app's Blocks."""
from __future__ import annotations

import logging
import tempfile
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from rag.errors import BadInputError, PolicyQAError
from rag.match.profile import SIZES, STAGES, Profile, qualification_choices
from rag.match.report import render_docx, render_markdown
from rag.served import CpuThread, Served

from .render import match_html

log = logging.getLogger("policyqa.chat")


def match_tab(served: Served, cpu: CpuThread) -> None:
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
    m_go.click(match, [m_region, m_industry, m_size, m_stage, m_quals, m_lacks, m_founded, m_on],
               [m_out, m_md, m_docx])
