"""Markdown, as crawlers export policy pages: a header block (`# title`, `**发布日期**: …`, `**原文链接**: [url](url)`,
`---`, `## 政策全文`), the page's text with its headings in bold, and sometimes a footer (`**更新时间**: …`) or a
download list (`【原文下载】`).

Read with markdown-it's token stream, so every line of text keeps its source line number and loses its markup
(bold, links, list bullets). The header and footer become metadata (`PageHeader`, provenance "header") and
are set aside with their reason — never clause text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..text.normalize import normalize_line
from .noise import Dropped

# Keys a crawler header uses -> the metadata field they fill (None: not metadata, ignored).
HEADER_KEYS: dict[str, str | None] = {
    "发布日期": "published", "发布时间": "published", "成文日期": "published",
    "发布机构": "publisher", "发文机关": "publisher", "发布单位": "publisher",
    "原文链接": "source_url", "原文地址": "source_url", "来源": "source_url", "链接": "source_url",
    "文件名称": "title", "标题": "title", "文件编号": "doc_number", "发文字号": "doc_number",
    "检索时间": None, "检索关键词": None, "关键词": None, "分类": None, "主题分类": None, "文档类型": None,
    "更新时间": None, "索引号": None, "基本信息": None,
}
_KEY_VALUE = re.compile(r"^\s*([\u4e00-\u9fff]{2,6})\s*[:：]\s*(.*)$")
_URL = re.compile(r"https?://[^\s)\]）]+")
_RULE = re.compile(r"^\s*(?:-{2,}|\*{3,}|_{3,})\s*$")
_SECTION_LABEL = re.compile(r"^(?:政策全文|正文|全文|原文|政策原文|文件全文)$")
_DOWNLOADS = re.compile(r"^【(?:原文|附件|文件|相关)?下载[^】]{0,6}】")
_LEFTOVER_MARKUP = re.compile(r"\*{2,}|_{2,}")
_NOT_A_NAME = re.compile(r"^(?:暂无|无|未知|-+|/)$")


@dataclass
class PageHeader:
    """What a crawler's header says about the page (each fact's provenance is "header")."""

    heading: str | None = None  # the page's `# ` heading
    fields: dict[str, str] = field(default_factory=dict)  # published, publisher, source_url, title, doc_number


@dataclass
class MarkdownPage:
    lines: list[str]  # the text, one entry per source line ('' where a line held markup or nothing)
    header: PageHeader
    set_aside: list[Dropped]


def looks_like_markdown(text: str) -> bool:
    """A crawler export: an ATX heading or a `**key**:` line among the first lines."""
    head = [line for line in text.splitlines()[:12] if line.strip()]
    return any(line.lstrip().startswith("#") or re.match(r"^\s*(?:[-*]\s*)?\*\*[^*]{1,10}\*\*\s*[:：]", line)
               for line in head)


def _inline(children: list[Any]) -> list[str]:
    """An inline token's text without markup: one string per source line (soft breaks split lines)."""
    out = [""]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            out.append("")
        elif child.type in ("text", "code_inline"):
            out[-1] += child.content
        elif child.type == "image":
            out[-1] += child.content or ""
    return [_LEFTOVER_MARKUP.sub("", line) for line in out]


def _blocks(text: str) -> list[tuple[int, str, str]]:
    """(line number, kind, text) of every line of text: kind is h1, heading, para or rule."""
    from markdown_it import MarkdownIt

    from .readers import html_to_text

    tokens = MarkdownIt("commonmark").parse(text)
    out: list[tuple[int, str, str]] = []
    kind = "para"
    marker = ""  # an ordered list item's number (`1.`): markup to Markdown, the item's number to the document
    for tok in tokens:
        if tok.type == "heading_open":
            kind = "h1" if tok.tag == "h1" else "heading"
        elif tok.type == "paragraph_open":
            kind = "para"
        elif tok.type == "list_item_open" and tok.info:
            marker = f"{tok.info}{tok.markup}"
        elif tok.type == "hr" and tok.map:
            out.append((tok.map[0] + 1, "rule", ""))
        elif tok.type == "inline" and tok.map:
            for offset, line in enumerate(_inline(tok.children or [])):
                out.append((tok.map[0] + 1 + offset, kind, (marker if offset == 0 else "") + line))
            marker = ""
        elif tok.type in ("html_block", "code_block", "fence") and tok.map:
            body = html_to_text(tok.content) if tok.type == "html_block" else tok.content
            for offset, line in enumerate(body.splitlines()):
                out.append((tok.map[0] + 1 + offset, "para", line))
    return [(no, kind, line) if not _RULE.match(line) else (no, "rule", "") for no, kind, line in out]


def _key_value(line: str) -> tuple[str, str] | None:
    m = _KEY_VALUE.match(line)
    if m and m.group(1) in HEADER_KEYS:
        return m.group(1), m.group(2).strip()
    return None


def _take_header(blocks: list[tuple[int, str, str]], header: PageHeader, set_aside: list[Dropped]) -> int:
    """Read the header block at the top; returns the index of the first block of the page's text."""
    i = 0
    seen_key = False
    while i < len(blocks):
        no, kind, line = blocks[i]
        stripped = line.strip()
        if not stripped and kind != "rule":
            i += 1
            continue
        if kind == "h1" and header.heading is None and not seen_key:
            header.heading = normalize_line(stripped)
            set_aside.append(Dropped(no, stripped, "page heading (kept as the title candidate)"))
        elif kind == "heading" and stripped in ("基本信息",):
            set_aside.append(Dropped(no, stripped, "crawler header"))
        elif (pair := _key_value(stripped)) is not None:
            seen_key = True
            _record(header, *pair)
            set_aside.append(Dropped(no, stripped, "crawler header (kept as metadata)"))
        elif kind == "rule" and (seen_key or header.heading):
            set_aside.append(Dropped(no, "---", "crawler header rule"))
            i += 1
            break
        else:
            break
        i += 1
    while i < len(blocks) and (not blocks[i][2].strip() or _SECTION_LABEL.match(blocks[i][2].strip())):
        if blocks[i][2].strip():
            set_aside.append(Dropped(blocks[i][0], blocks[i][2].strip(), "crawler section label"))
        i += 1
    return i


def _record(header: PageHeader, key: str, value: str) -> None:
    name = HEADER_KEYS[key]
    if name is None or not value or _NOT_A_NAME.match(value):
        return
    if name == "source_url":
        m = _URL.search(value)
        if not m:
            return
        value = m.group(0)
    header.fields.setdefault(name, value if name == "source_url" else normalize_line(value))


def _take_footer(blocks: list[tuple[int, str, str]], start: int, set_aside: list[Dropped]) -> int:
    """The end of the page's text: before a download list, or before a closing rule followed only by header-like
    lines (`**更新时间**: …`)."""
    end = len(blocks)
    for j in range(start, len(blocks)):
        if _DOWNLOADS.match(blocks[j][2].strip()):
            end = j
            break
    rules = [j for j in range(start, end) if blocks[j][1] == "rule"]
    if rules and all(not b[2].strip() or _key_value(b[2].strip()) for b in blocks[rules[-1] + 1:end]):
        end = rules[-1]
    for no, kind, line in blocks[end:]:
        if line.strip() or kind == "rule":
            set_aside.append(Dropped(no, line.strip() or "---", "page footer or download links"))
    return end


def read_markdown(text: str) -> MarkdownPage:
    blocks = _blocks(text)
    header = PageHeader()
    set_aside: list[Dropped] = []
    start = _take_header(blocks, header, set_aside)
    end = _take_footer(blocks, start, set_aside)
    lines = [""] * len(text.splitlines())
    for no, kind, line in blocks[start:end]:
        if kind == "rule":
            set_aside.append(Dropped(no, "---", "horizontal rule"))
        elif no - 1 < len(lines):
            lines[no - 1] = line
    return MarkdownPage(lines, header, set_aside)
