"""Cleaned lines -> zones (相关报道, 印发通知, title, 前言, body) -> clauses with item paths.

The body's headings and paths are read by `body.py`; this module finds where the body starts, what comes
before it, and assembles the document's clauses.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import IngestError
from ..itempath import NEWS, NOTICE, OPENING, PREAMBLE
from ..text.patterns import DATE_LINE, DOC_NUMBER, ORG_NAME
from ..text.sentences import ENDS
from ..types import Clause, ClauseKind
from .body import MAX_TITLE_CHARS
from .clean import Line, clean_lines, reflow
from .identity import is_central
from .noise import Dropped
from .shapes import PARAGRAPHS, PARTS, QA, TURN, paragraph_start, parser_for, shaped

_TITLE_WORDS = re.compile(r"计划|规划|方案|意见|办法|措施|纲要|细则|政策")
_YEAR_RANGE_LINE = re.compile(r"^\(\d{4}\s*[-—–~至]\s*\d{4}年?\)$")
TITLE_DATE = re.compile(r"^\((\d{4})年(\d{1,2})月(\d{1,2})日\)$")  # `(2023年1月2日)` under a title: when it was adopted
# (A notice title may break over two lines: `国务院关于印发` / `“十四五”数字经济发展规划的通知`.)
_NOTICE_MARK = re.compile(r"关于印发.*通知|关于印发$|印发给你们|现予印发|现印发|请认真贯彻|请结合实际")
# A news report's voice: `据济南市人民政府消息…近日印发`, `…等5部门联合印发了`, a dateline `新华社北京12月14日电`.
_NEWS_MARK = re.compile(r"^据|近日印发|日前印发|联合印发|正式印发|印发了|发布了|记者|消息|^\S{2,12}?\d{1,2}月\d{1,2}日电")
# A `?` or U+FFFD inside Chinese text: a character lost to a bad decode (`院?;I建`, `发展?I造`).
# (A question mark between two Chinese characters is punctuation, not damage.)
_DAMAGED = re.compile(r"[\u4e00-\u9fff](?:\?[^\u4e00-\u9fff\s]{1,3}|\ufffd[^\u4e00-\u9fff\s]{0,3})[\u4e00-\u9fff]")
_MIN_DEDUPE_CHARS = 20  # shorter repeats (a signature, a heading) are different roles, not copies
PROGRESS_FROM_BYTES = 1024 * 1024  # a document this long tells `progress` how far its parsing got


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
    shape: str = PARTS

    @property
    def cleaned_text(self) -> str:
        return "\n".join(line.text for line in self.cleaned)


def _is_title_line(text: str) -> bool:
    if _YEAR_RANGE_LINE.match(text) or TITLE_DATE.match(text):
        return True
    return (
        len(text) <= MAX_TITLE_CHARS
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


def _is_front(text: str) -> bool:
    """Notice, title or date lines that come before an unnumbered body."""
    return bool(_NOTICE_MARK.search(text) or DOC_NUMBER.search(text) or _is_title_line(text)
                or DATE_LINE.match(text))


def parse_document(raw: str, plan_id: str, name: str, wrapped: bool = False,
                   set_aside: list[Dropped] | None = None,
                   progress: Callable[[str], None] | None = None) -> ParsedDocument:
    """Parse a whole document's text into clauses. `name` is used in error messages.

    `wrapped`: the text comes from a PDF text layer, whose lines are cut at the page width.
    `set_aside`: lines the reader already set aside (a page header or footer), kept with the dropped ones.
    `progress`: for a document over PROGRESS_FROM_BYTES, told its size, then each tenth of its body parsed.
    """
    if progress is not None and (size := len(raw.encode("utf-8", "replace"))) > PROGRESS_FROM_BYTES:
        progress(f"parsing {name}: {size / 1024 / 1024:.1f} MB")
    else:
        progress = None  # a short document is parsed in silence
    kept, dropped, sources = clean_lines(raw)
    dropped += set_aside or []
    if wrapped:
        kept = reflow(kept)
    if not kept:
        raise IngestError(name, "no text left after cleaning")
    kept, shape = shaped(kept)
    start = shape.start if shape.name != PARAGRAPHS else paragraph_start([line.text for line in kept], _is_front)

    i = start - 1
    preamble: list[Line] = []
    # a transcript's turns before its first question — the host's opening, an official's statement, whatever their
    # lines hold — are its own text from the first turn on: its 前言, not a news report about it (a report or a
    # meeting's account above the first turn stays one)
    opening = next((k for k in range(start) if TURN.match(kept[k].text) and not _NOTICE_MARK.search(kept[k].text)
                    and not kept[k].text.startswith("据")), None) if shape.name == QA else None
    if opening is not None:
        preamble, i = kept[opening:start], opening - 1
    else:
        while i >= 0 and _is_preamble_line(kept[i].text) and not _is_title_line(kept[i].text) and len(preamble) < 3:
            preamble.insert(0, kept[i])
            i -= 1
    title_lines: list[Line] = []
    # above an unnumbered body, any short line that does not close like a sentence is its heading
    headed = _is_title_line if shape.name != PARAGRAPHS else lambda t: len(t) <= MAX_TITLE_CHARS and t[-1] not in ENDS
    while i >= 0 and headed(kept[i].text) and len(title_lines) < 3:
        title_lines.insert(0, kept[i])
        i -= 1
    # the issuers printed on their own line above the title (`中共中央 国务院` / `关于…的意见`)
    if title_lines and i >= 0 and (ORG_NAME.match(kept[i].text) or is_central(kept[i].text)) \
            and len(kept[i].text) <= 30 and not DATE_LINE.match(kept[i].text) and not _NOTICE_MARK.search(kept[i].text):
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
    parser = parser_for(shape, wrapped)
    tenths = {len(body) * k // 10: k * 10 for k in range(1, 11)} if progress is not None else {}
    for n, line in enumerate(body, start=1):
        parser.feed(line.text)
        if progress is not None and n in tenths:
            progress(f"parsing {name}: {tenths[n]}% ({n} of {len(body)} lines)")
    drafts = parser.finish()
    if not drafts:
        raise IngestError(name, "no text left in the body after cleaning")

    clauses: list[Clause] = []
    order = 0

    def add(path: str, title: str, kind: ClauseKind, text: str, parents: tuple[str, ...] = ()) -> None:
        nonlocal order
        order += 1
        clauses.append(Clause(plan_id=plan_id, item_path=path, item_title=title, text=text, kind=kind,
                              parents=parents, order=order))

    headline = news[0].text if news and news[0].text[-1] not in ENDS and len(news[0].text) <= 80 else ""
    for paragraph in _paragraphs(news):
        add(NEWS, headline, ClauseKind.NEWS, paragraph)
    if notice:
        notice_title = next((line.text for line in notice if "通知" in line.text and "关于" in line.text), NOTICE)
        add(NOTICE, notice_title, ClauseKind.NOTICE, "\n".join(line.text for line in notice))
    elif any(TITLE_DATE.match(line.text) or DOC_NUMBER.search(line.text) for line in title_lines):
        # no notice, but the title block records who adopted it and when (`中共中央 国务院` / `关于…的意见` /
        # `(2021年1月4日)`): that block is the document's own issuing record
        named = next((line.text for line in title_lines if _TITLE_WORDS.search(line.text)), NOTICE)
        add(NOTICE, named, ClauseKind.NOTICE, "\n".join(line.text for line in title_lines))
    if preamble:
        add(PREAMBLE, OPENING if opening is not None else PREAMBLE, ClauseKind.PREAMBLE,
            "\n".join(line.text for line in preamble))
    for d in drafts:
        add(d.path, d.title, d.kind, d.text, d.parents)

    cleaned = [line for line in kept if line.no not in removed]
    warnings = parser.warnings + [f"line {line.no}: characters damaged in the source, kept as they are: "
                                  f"…{m.group(0)}…" for line in cleaned
                                  for m in _DAMAGED.finditer(line.text)]
    return ParsedDocument(clauses, cleaned, sorted(dropped, key=lambda d: d.line_no), news, notice,
                          title_lines, preamble, sources, warnings, shape.name)


def _paragraphs(lines: list[Line]) -> list[str]:
    """News lines as paragraphs: a line without closing punctuation (headline, byline) joins the next."""
    out: list[str] = []
    pending: list[str] = []
    for line in lines:
        pending.append(line.text)
        if line.text[-1] in ENDS:
            out.append("\n".join(pending))
            pending = []
    if pending:
        out.append("\n".join(pending))
    return out
