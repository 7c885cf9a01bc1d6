"""Cleaned lines -> zones (相关报道, 印发通知, title, 前言, body) -> clauses with item paths.

This is where a clause's `item_path` is born; nothing downstream recomputes it.
Path labels follow the contract: part `一、`, section `(一)`, item `1.`, sub-item `(1)`, column `专栏N`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import IngestError
from .noise import Dropped, is_end_of_article, noise_reason, source_attribution
from .textnorm import normalize_line
from .types import Clause

CN_NUM = "一二三四五六七八九十"
PART = re.compile(rf"^([{CN_NUM}]{{1,3}})、(.*)$")
SECTION = re.compile(rf"^\(([{CN_NUM}]{{1,3}})\)(.*)$")
ITEM = re.compile(r"^(\d{1,3})(?:\.(?!\d)|、)(.*)$")
SUBITEM = re.compile(r"^\((\d{1,3})\)(.*)$")
COLUMN = re.compile(r"^专栏(\d{1,3})(.*)$")
GOAL = re.compile(r"^——+(.*)$")
COLUMN_ENTRY = re.compile(r"^([^:。;,]{2,30}):(.+)$")

PREAMBLE, NOTICE, NEWS = "前言", "印发通知", "相关报道"
_TITLE_WORDS = re.compile(r"计划|规划|方案|意见|办法|措施|纲要|细则|政策")
_YEAR_RANGE_LINE = re.compile(r"^\(\d{4}\s*[-—–~至]\s*\d{4}年?\)$")
_NOTICE_MARK = re.compile(r"关于印发.*通知|印发给你们|现予印发|现印发|请认真贯彻|请结合实际")
# A news report's voice: `据济南市人民政府消息…近日印发`, `…等5部门联合印发了`.
_NEWS_MARK = re.compile(r"^据|近日印发|日前印发|联合印发|正式印发|发布了|记者|消息")
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{2,12}[〔\[【(]\d{4}[〕\]】)]\d{1,4}号")
_SENTENCE_END = "。!?;:”’)》」』"
_CLOSES_PARAGRAPH = "。!?;"
# A `?` or U+FFFD inside Chinese text: a character lost to a bad decode (`院?;I建`, `发展?I造`).
_DAMAGED = re.compile(r"[\u4e00-\u9fff][?\ufffd][^\u4e00-\u9fff\s]{0,3}[\u4e00-\u9fff]")
_MIN_DEDUPE_CHARS = 20  # shorter repeats (a signature, a heading) are different roles, not copies
_MAX_TITLE_CHARS = 60


_LABEL = re.compile(rf"[{CN_NUM}]{{1,3}}、|\([{CN_NUM}]{{1,3}}\)|\d{{1,3}}\.|\(\d{{1,3}}\)|专栏\d{{1,3}}|前言|印发通知|相关报道")


def split_path(item_path: str) -> list[str]:
    """`二、(一)3.(1)` -> [`二、`, `(一)`, `3.`, `(1)`]; raises BadInputError for text that is not a path."""
    labels = _LABEL.findall(item_path)
    if "".join(labels) != item_path:
        from .errors import BadInputError

        raise BadInputError(f"not an item path: {item_path!r} (expected labels like 二、(一)3.(1) or 专栏4)")
    return labels


def path_within(path: str, prefix: str) -> bool:
    """True when `path` is `prefix` or lies inside it, compared label by label (`专栏1` is not in `专栏10`)."""
    a, b = split_path(path), split_path(prefix)
    return a[: len(b)] == b


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the text as read
    text: str


@dataclass
class ParsedDocument:
    """Everything the parser learned from one document."""

    clauses: list[Clause]
    cleaned: list[Line]  # kept lines, in order: the cleaned plan text
    dropped: list[Dropped]
    news: list[Line] = field(default_factory=list)
    notice: list[Line] = field(default_factory=list)
    title_lines: list[Line] = field(default_factory=list)
    preamble: list[Line] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def cleaned_text(self) -> str:
        return "\n".join(line.text for line in self.cleaned)


def clean_lines(raw: str) -> tuple[list[Line], list[Dropped], list[str]]:
    """Normalise every line and drop page furniture. Returns (kept, dropped, source attributions)."""
    kept: list[Line] = []
    dropped: list[Dropped] = []
    sources: list[str] = []
    body_started = False
    end_marker: str | None = None
    for no, raw_line in enumerate(raw.splitlines(), start=1):
        text = normalize_line(raw_line)
        if not text:
            continue
        if end_marker is not None:
            dropped.append(Dropped(no, text, f"after the end-of-article marker «{end_marker}»"))
            continue
        m = PART.match(text)
        if m and m.group(1) == "一":
            body_started = True
        if body_started and is_end_of_article(text):
            end_marker = text
            dropped.append(Dropped(no, text, "end-of-article marker"))
            continue
        source = source_attribution(text)
        if source:
            sources.append(source)
            dropped.append(Dropped(no, text, "source attribution (kept as the plan's `source`)"))
            continue
        reason = noise_reason(text)
        if reason:
            dropped.append(Dropped(no, text, reason))
            continue
        kept.append(Line(no, text))
    return kept, dropped, sources


def _is_heading(text: str) -> bool:
    return any(rx.match(text) for rx in (PART, SECTION, ITEM, SUBITEM, COLUMN, GOAL))


def reflow(lines: list[Line]) -> list[Line]:
    """Rejoin paragraphs that a PDF wrapped at the page width.

    A line at (nearly) the full text width that does not close a sentence continues on the next line,
    unless the next line starts a heading. Short lines (titles, headings, signatures) are never joined.
    """
    if len(lines) < 3:
        return lines
    lengths = sorted(len(line.text) for line in lines)
    width = lengths[int(len(lengths) * 0.9)]
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if (prev is not None and len(prev.text) >= 0.8 * width and prev.text[-1] not in _SENTENCE_END
                and not _is_heading(line.text)):
            out[-1] = Line(prev.no, join_continuation(prev.text, line.text))
        else:
            out.append(line)
    return out


def _is_title_line(text: str) -> bool:
    if _YEAR_RANGE_LINE.match(text):
        return True
    return (
        len(text) <= _MAX_TITLE_CHARS
        and text[-1] not in "。,;:!?"
        and _TITLE_WORDS.search(text) is not None
        and "通知" not in text
        and "印发" not in text
    )


def _is_preamble_line(text: str) -> bool:
    return (
        text[-1] in "。;!"
        and not _NOTICE_MARK.search(text)
        and not _NEWS_MARK.search(text)
    )


def split_title(content: str) -> tuple[str, str]:
    """`攻克虚拟拍摄技术。围绕…` -> (`攻克虚拟拍摄技术`, `围绕…`); a bare heading -> (heading, '')."""
    content = content.strip()
    m = re.match(rf"^(.{{1,{_MAX_TITLE_CHARS}}}?)。(.*)$", content, flags=re.S)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    if len(content) <= _MAX_TITLE_CHARS:
        return content, ""
    return "", content


def join_continuation(prev: str, new: str) -> str:
    """A line that continues a clause (a PDF page break, a paragraph split by the page) joins it directly.

    Only two Latin letters or digits meeting at the join get a space between them (`4K` + `UHD`).
    """
    if prev and prev[-1].isascii() and prev[-1].isalnum() and new[:1].isascii() and new[:1].isalnum():
        return prev + " " + new
    return prev + new


@dataclass
class _Draft:
    path: str
    title: str
    kind: str
    parents: tuple[str, ...]
    text: str
    order: int


class _BodyParser:
    """Walks the body lines keeping the stack of open headings (part, section, item|column, sub-item)."""

    def __init__(self) -> None:
        self.levels: list[tuple[str, str] | None] = [None, None, None, None]
        self.in_column = False
        self.drafts: list[_Draft] = []
        self.open: _Draft | None = None
        self.headings: list[_Draft] = []  # every heading, to give text-less leaves a clause
        self.order = 0
        self.warnings: list[str] = []
        self._last_item: int | None = None
        self._last_section: int | None = None

    def path(self) -> str:
        return "".join(level[0] for level in self.levels if level)

    def parents(self) -> tuple[str, ...]:
        titles = [level[1] for level in self.levels if level]
        return tuple(titles[:-1])

    def _set(self, depth: int, label: str, title: str) -> None:
        self.levels[depth] = (label, title)
        for d in range(depth + 1, len(self.levels)):
            self.levels[d] = None
        self.open = None
        self.order += 1
        kind = "item" if depth >= 2 else "heading"
        self.headings.append(_Draft(self.path(), title, kind, self.parents(), title, self.order))

    def _new(self, title: str, kind: str, text: str) -> None:
        self.order += 1
        draft = _Draft(self.path(), title, kind, self.parents() if kind in ("item", "heading") else
                       tuple(level[1] for level in self.levels if level), text, self.order)
        self.drafts.append(draft)
        self.open = draft

    def _heading(self, depth: int, label: str, content: str, kind: str) -> None:
        title, text = split_title(content)
        self._set(depth, label, title)
        if text:
            self._new(title, kind, text)

    def feed(self, line: Line) -> None:
        text = line.text
        if m := PART.match(text):
            self.in_column = False
            self._last_section = self._last_item = None
            self._heading(0, f"{m.group(1)}、", m.group(2), "heading")
        elif m := SECTION.match(text):
            self.in_column = False
            self._check_sequence("section", CN_NUM.index(m.group(1)[-1]) + 1 if len(m.group(1)) == 1 else None)
            self._heading(1, f"({m.group(1)})", m.group(2), "heading")
        elif m := COLUMN.match(text):
            self.in_column = True
            self._set(2, f"专栏{m.group(1)}", m.group(2).strip())
        elif m := ITEM.match(text):
            self.in_column = False
            self._check_sequence("item", int(m.group(1)))
            self._heading(2, f"{m.group(1)}.", m.group(2), "item")
        elif (m := SUBITEM.match(text)) and self.levels[2] is not None and not self.in_column:
            self._heading(3, f"({m.group(1)})", m.group(2), "item")
        elif m := GOAL.match(text):
            title, body = split_title(m.group(1))
            self._new(title, "goal", body or title)
        elif self.in_column and (m := COLUMN_ENTRY.match(text)):
            self._new(m.group(1).strip(), "column_entry", m.group(2).strip())
        elif self.open is not None and self.open.path == self.path():
            self.open.text = join_continuation(self.open.text, text)
        else:
            here = [level for level in self.levels if level]
            if not here:
                raise ValueError("body text before the first heading")
            kind = "item" if self.levels[2] or self.levels[3] else "heading"
            self._new(here[-1][1], kind, text)

    def _check_sequence(self, what: str, number: int | None) -> None:
        if number is None:
            return
        last = self._last_section if what == "section" else self._last_item
        if last is not None and number not in (last + 1, 1):
            self.warnings.append(f"{what} {number} follows {what} {last} at {self.path() or 'the start'}")
        if what == "section":
            self._last_section = number
        else:
            self._last_item = number

    def finish(self) -> list[_Draft]:
        """Headings with no text anywhere below them become title-only clauses, so no item is lost."""
        paths = [d.path for d in self.drafts] + [h.path for h in self.headings]
        for heading in self.headings:
            if heading.title and sum(path_within(p, heading.path) for p in paths) == 1:
                self.drafts.append(heading)
        return sorted(self.drafts, key=lambda d: d.order)


def _locate_body(lines: list[Line], name: str) -> int:
    for i, line in enumerate(lines):
        m = PART.match(line.text)
        if m and m.group(1) == "一":
            return i
    raise IngestError(name, "no plan structure found (no part heading such as `一、总体要求`)")


def parse_document(raw: str, plan_id: str, name: str, wrapped: bool = False) -> ParsedDocument:
    """Parse a whole document's text into clauses. `name` is used in error messages.

    `wrapped`: the text comes from a PDF text layer, whose lines are cut at the page width.
    """
    kept, dropped, sources = clean_lines(raw)
    if wrapped:
        kept = reflow(kept)
    if not kept:
        raise IngestError(name, "no text left after cleaning")
    start = _locate_body(kept, name)

    i = start - 1
    preamble: list[Line] = []
    while i >= 0 and _is_preamble_line(kept[i].text) and not _is_title_line(kept[i].text) and len(preamble) < 3:
        preamble.insert(0, kept[i])
        i -= 1
    title_lines: list[Line] = []
    while i >= 0 and _is_title_line(kept[i].text) and len(title_lines) < 3:
        title_lines.insert(0, kept[i])
        i -= 1
    front = kept[: i + 1]
    notice_start = next((k for k, line in enumerate(front)
                         if _NOTICE_MARK.search(line.text) or DOC_NUMBER.fullmatch(line.text)), len(front))
    news, notice = front[:notice_start], front[notice_start:]
    body = kept[start:]

    # A repeated paragraph outside the body (a page summary repeating the preamble, a repeated headline)
    # is one clause, not two: keep the copy that belongs to the plan, or else the first.
    seen: dict[str, int] = {line.text: line.no for line in preamble + body}
    removed: set[int] = set()
    for zone in (notice, news):
        for line in zone:
            if len(line.text) < _MIN_DEDUPE_CHARS:
                continue
            if line.text in seen:
                dropped.append(Dropped(line.no, line.text, f"duplicate of line {seen[line.text]}"))
                removed.add(line.no)
            else:
                seen[line.text] = line.no
    news = [line for line in news if line.no not in removed]
    notice = [line for line in notice if line.no not in removed]
    if not body[1:]:
        raise IngestError(name, "no plan structure found (a part heading but nothing under it)")

    parser = _BodyParser()
    for line in body:
        parser.feed(line)
    drafts = parser.finish()
    if not any(d.kind in ("item", "column_entry", "goal") for d in drafts) and len(drafts) < 3:
        raise IngestError(name, "no plan structure found (no numbered items or sections)")

    clauses: list[Clause] = []
    order = 0

    def add(path: str, title: str, kind: str, text: str, parents: tuple[str, ...] = ()) -> None:
        nonlocal order
        order += 1
        clauses.append(Clause(plan_id, path, title, text, kind, parents, order))

    headline = news[0].text if news and news[0].text[-1] not in _CLOSES_PARAGRAPH and len(news[0].text) <= 80 else ""
    for paragraph in _paragraphs(news):
        add(NEWS, headline, "news", paragraph)
    if notice:
        notice_title = next((line.text for line in notice if "通知" in line.text and "关于" in line.text), NOTICE)
        add(NOTICE, notice_title, "notice", "\n".join(line.text for line in notice))
    if preamble:
        add(PREAMBLE, PREAMBLE, "preamble", "\n".join(line.text for line in preamble))
    for d in drafts:
        add(d.path, d.title, d.kind, d.text, d.parents)

    cleaned = [line for line in kept if line.no not in removed]
    warnings = parser.warnings + [f"line {line.no}: characters damaged in the source, kept as they are: "
                                  f"…{m.group(0)}…" for line in cleaned
                                  for m in _DAMAGED.finditer(line.text)]
    return ParsedDocument(clauses, cleaned, sorted(dropped, key=lambda d: d.line_no), news, notice,
                          title_lines, preamble, sources, warnings)


def _paragraphs(lines: list[Line]) -> list[str]:
    """News lines as paragraphs: a line without closing punctuation (headline, byline) joins the next."""
    out: list[str] = []
    pending: list[str] = []
    for line in lines:
        pending.append(line.text)
        if line.text[-1] in _CLOSES_PARAGRAPH:
            out.append("\n".join(pending))
            pending = []
    if pending:
        out.append("\n".join(pending))
    return out
