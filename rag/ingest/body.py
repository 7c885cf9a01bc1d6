"""The numbered body of a plan, line by line: headings open levels (part, section, item or column, sub-item),
text joins the open heading. This is where a clause's `item_path` is born; nothing downstream recomputes it.

Path labels follow the contract: part `一、`, section `(一)`, item `1.`, sub-item `(1)`, column `专栏N`.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..itempath import CN_NUM, split_path
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


def join_lines(text: str, lines: Iterable[str]) -> str:
    """Lines that continue a clause (a PDF page break, a paragraph split by the page) join it directly.

    Only two Latin letters or digits meeting at a join get a space between them (`4K` + `UHD`). All the lines
    are joined in one pass: a clause of many lines is not copied again for every line.
    """
    parts = [text]
    end = text[-1:]
    for new in lines:
        if end.isascii() and end.isalnum() and new[:1].isascii() and new[:1].isalnum():
            parts.append(" ")
        parts.append(new)
        end = new[-1:] or end
    return "".join(parts)


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
    """Walks the body lines keeping the stack of open headings (part, section, item|column, sub-item).

    Linear in the body's length: the drafts a closing paragraph compares with are counted as they are made
    (`_siblings`), not searched for, and `finish` counts the paths under each heading in one pass.
    """

    def __init__(self, paragraphs: bool = True) -> None:
        """`paragraphs`: the source's line breaks are paragraph breaks (not a PDF's, cut at the page width)."""
        self.paragraphs = paragraphs
        self.levels: list[tuple[str, str] | None] = [None, None, None, None]
        self.in_column = False
        self.drafts: list[Draft] = []
        self.open: Draft | None = None
        self._pending: list[str] = []  # lines continuing the open draft, joined onto its text by `_settle`
        self.headings: list[Draft] = []  # every heading, to give text-less leaves a clause
        self.order = 0
        self.warnings: list[str] = []
        self._last_item: int | None = None
        self._last_section: int | None = None
        # (kind, depth in labels, a proper prefix of the path) -> [drafts with it, of them with `extra`]
        self._siblings: dict[tuple[ClauseKind, int, str], list[int]] = {}

    def _add(self, draft: Draft) -> None:
        self.drafts.append(draft)
        self._count(draft, drafts=1, with_extra=0)

    def _count(self, draft: Draft, drafts: int, with_extra: int) -> None:
        """Count `draft` under every proper prefix of its path: once when it is made, and in `with_extra` (+1, -1)
        when its paragraphs after the first start or are taken away."""
        depth = len(split_path(draft.path))
        for end in range(len(draft.path)):
            counts = self._siblings.setdefault((draft.kind, depth, draft.path[:end]), [0, 0])
            counts[0] += drafts
            counts[1] += with_extra

    def _settle(self) -> None:
        if self.open is not None and self._pending:
            self.open.text = join_lines(self.open.text, self._pending)
        self._pending = []

    def path(self) -> str:
        return "".join(level[0] for level in self.levels if level)

    def parents(self) -> tuple[str, ...]:
        titles = [level[1] for level in self.levels if level]
        return tuple(titles[:-1])

    def _set(self, depth: int, label: str, title: str) -> None:
        self._settle()
        self.levels[depth] = (label, title)
        for d in range(depth + 1, len(self.levels)):
            self.levels[d] = None
        self.open = None
        self.order += 1
        kind = ClauseKind.ITEM if depth >= 2 else ClauseKind.HEADING
        self.headings.append(Draft(self.path(), title, kind, self.parents(), title, self.order))

    def _new(self, title: str, kind: ClauseKind, text: str) -> None:
        self._settle()
        self.order += 1
        enclosing = self.parents() if kind in (ClauseKind.ITEM, ClauseKind.HEADING) else \
            tuple(level[1] for level in self.levels if level)
        draft = Draft(self.path(), title, kind, enclosing, text, self.order)
        self._add(draft)
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
            self._pending.append(text)
            self.open.extra.append(text)
            if len(self.open.extra) == 1:
                self._count(self.open, drafts=0, with_extra=1)
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
        one-paragraph units closes their heading, so it takes the heading's path, not the last unit's.

        The units are the drafts of the last one's kind and depth whose path starts with its heading's path; the
        last draft is always the latest of them, so `_siblings` holds how many there are and how many have more
        than one paragraph."""
        self._settle()
        if not self.drafts or not self.paragraphs:
            return
        last = self.drafts[-1]
        if (not last.extra or not last.path or not last.parents
                or last.kind not in (ClauseKind.ITEM, ClauseKind.HEADING)):
            return
        labels = split_path(last.path)
        parent = last.path[: -len(labels[-1])]
        siblings, with_extra = self._siblings.get((last.kind, len(labels), parent), [0, 0])
        if not parent or siblings < 3 or with_extra > 1:  # (the last one has `extra`: it is one of them)
            return
        first = last.text[: len(last.text) - len("".join(last.extra))]
        closing = "".join(last.extra)
        if not first or first[-1] not in ENDS or not last.text.endswith(closing):
            return  # (a line broken inside a sentence, by a PDF page, is a continuation)
        last.text, last.extra = first, []
        self._count(last, drafts=0, with_extra=-1)
        self.order += 1
        self._add(Draft(parent, last.parents[-1], ClauseKind.HEADING, last.parents[:-1], closing, self.order))

    def finish(self) -> list[Draft]:
        """Headings with no text anywhere below them become title-only clauses, so no item is lost.

        A heading has nothing below it when its path is the only one, among the drafts' and headings' paths,
        that lies within it (label by label): each path counts once for every label prefix it has."""
        self._settle()
        self._closing_paragraph()
        labels: dict[str, tuple[str, ...]] = {}
        within: Counter[tuple[str, ...]] = Counter()
        for path in [d.path for d in self.drafts] + [h.path for h in self.headings]:
            split = labels.get(path)
            if split is None:
                split = labels[path] = tuple(split_path(path))
            within.update(split[:n] for n in range(len(split) + 1))
        for heading in self.headings:
            if heading.title and within[labels[heading.path]] == 1:
                self.drafts.append(heading)
        return sorted(self.drafts, key=lambda d: d.order)
