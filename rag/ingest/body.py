"""The numbered body of a plan, line by line: headings open levels (part, section, item or column, sub-item),
text joins the open heading. This is where a clause's `item_path` is born; nothing downstream recomputes it.

Path labels follow the contract: part `一、`, section `(一)`, item `1.`, sub-item `(1)`, column `专栏N`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..itempath import CN_NUM, path_within, split_path
from ..text.sentences import ENDS
from ..types import ClauseKind

PART = re.compile(rf"^([{CN_NUM}]{{1,3}})、(.*)$")
SECTION = re.compile(rf"^\(([{CN_NUM}]{{1,3}})\)(.*)$")
ITEM = re.compile(r"^(\d{1,3})(?:\.(?!\d)|、)(.*)$")
SUBITEM = re.compile(r"^\((\d{1,3})\)(.*)$")
COLUMN = re.compile(r"^专栏(\d{1,3})(.*)$")
GOAL = re.compile(r"^——+(.*)$")
COLUMN_ENTRY = re.compile(r"^([^:。;,]{2,30}):(.+)$")
MAX_TITLE_CHARS = 60


def is_heading(text: str) -> bool:
    return any(rx.match(text) for rx in (PART, SECTION, ITEM, SUBITEM, COLUMN, GOAL))


def split_title(content: str) -> tuple[str, str]:
    """`攻克虚拟拍摄技术。围绕…` -> (`攻克虚拟拍摄技术`, `围绕…`); a bare heading -> (heading, '')."""
    content = content.strip()
    m = re.match(rf"^(.{{1,{MAX_TITLE_CHARS}}}?)。(.*)$", content, flags=re.S)
    if m:
        return m.group(1).strip(), m.group(2).strip()
    if len(content) <= MAX_TITLE_CHARS:
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
class Draft:
    path: str
    title: str
    kind: ClauseKind
    parents: tuple[str, ...]
    text: str
    order: int
    extra: list[str] = field(default_factory=list)  # paragraphs after the first, joined into `text` too


class BodyParser:
    """Walks the body lines keeping the stack of open headings (part, section, item|column, sub-item)."""

    def __init__(self, paragraphs: bool = True) -> None:
        """`paragraphs`: the source's line breaks are paragraph breaks (not a PDF's, cut at the page width)."""
        self.paragraphs = paragraphs
        self.levels: list[tuple[str, str] | None] = [None, None, None, None]
        self.in_column = False
        self.drafts: list[Draft] = []
        self.open: Draft | None = None
        self.headings: list[Draft] = []  # every heading, to give text-less leaves a clause
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
        kind = ClauseKind.ITEM if depth >= 2 else ClauseKind.HEADING
        self.headings.append(Draft(self.path(), title, kind, self.parents(), title, self.order))

    def _new(self, title: str, kind: ClauseKind, text: str) -> None:
        self.order += 1
        enclosing = self.parents() if kind in (ClauseKind.ITEM, ClauseKind.HEADING) else \
            tuple(level[1] for level in self.levels if level)
        draft = Draft(self.path(), title, kind, enclosing, text, self.order)
        self.drafts.append(draft)
        self.open = draft

    def _heading(self, depth: int, label: str, content: str, kind: ClauseKind) -> None:
        title, text = split_title(content)
        self._set(depth, label, title)
        if text:
            self._new(title, kind, text)

    def feed(self, text: str) -> None:
        if PART.match(text) or SECTION.match(text):
            self._closing_paragraph()
        if m := PART.match(text):
            self.in_column = False
            self._last_section = self._last_item = None
            self._heading(0, f"{m.group(1)}、", m.group(2), ClauseKind.HEADING)
        elif m := SECTION.match(text):
            self.in_column = False
            self._check_sequence("section", CN_NUM.index(m.group(1)[-1]) + 1 if len(m.group(1)) == 1 else None)
            self._heading(1, f"({m.group(1)})", m.group(2), ClauseKind.HEADING)
        elif m := COLUMN.match(text):
            self.in_column = True
            self._set(2, f"专栏{m.group(1)}", m.group(2).strip())
        elif m := ITEM.match(text):
            self.in_column = False
            self._check_sequence("item", int(m.group(1)))
            self._heading(2, f"{m.group(1)}.", m.group(2), ClauseKind.ITEM)
        elif (m := SUBITEM.match(text)) and self.levels[2] is not None and not self.in_column:
            self._heading(3, f"({m.group(1)})", m.group(2), ClauseKind.ITEM)
        elif m := GOAL.match(text):
            title, body = split_title(m.group(1))
            self._new(title, ClauseKind.GOAL, body or title)
        elif self.in_column and (m := COLUMN_ENTRY.match(text)):
            self._new(m.group(1).strip(), ClauseKind.COLUMN_ENTRY, m.group(2).strip())
        elif self.open is not None and self.open.path == self.path():
            self.open.text = join_continuation(self.open.text, text)
            self.open.extra.append(text)
        else:
            here = [level for level in self.levels if level]
            if not here:
                raise ValueError("body text before the first heading")
            kind = ClauseKind.ITEM if self.levels[2] or self.levels[3] else ClauseKind.HEADING
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

    def _closing_paragraph(self) -> None:
        """`(一)…。` … `(六)…。` each one paragraph, then `成绩来之不易…`: a paragraph after the last of a run of
        one-paragraph units closes their heading, so it takes the heading's path, not the last unit's."""
        if not self.drafts or not self.paragraphs:
            return
        last = self.drafts[-1]
        parent = last.path[: -len(split_path(last.path)[-1])] if last.path else ""
        siblings = [d for d in self.drafts if d.kind == last.kind and d.path != parent
                    and d.path[: len(parent)] == parent and len(split_path(d.path)) == len(split_path(last.path))]
        if (not last.extra or not parent or not last.parents or last.kind not in (ClauseKind.ITEM, ClauseKind.HEADING)
                or len(siblings) < 3 or any(d.extra for d in siblings[:-1])):
            return
        first = last.text[: len(last.text) - len("".join(last.extra))]
        closing = "".join(last.extra)
        if not first or first[-1] not in ENDS or not last.text.endswith(closing):
            return  # (a line broken inside a sentence, by a PDF page, is a continuation)
        last.text, last.extra = first, []
        self.order += 1
        self.drafts.append(Draft(parent, last.parents[-1], ClauseKind.HEADING, last.parents[:-1], closing, self.order))

    def finish(self) -> list[Draft]:
        """Headings with no text anywhere below them become title-only clauses, so no item is lost."""
        self._closing_paragraph()
        paths = [d.path for d in self.drafts] + [h.path for h in self.headings]
        for heading in self.headings:
            if heading.title and sum(path_within(p, heading.path) for p in paths) == 1:
                self.drafts.append(heading)
        return sorted(self.drafts, key=lambda d: d.order)


