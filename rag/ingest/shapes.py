"""Which shape a document's body has, where the body starts, and the parsers of the shapes other than the
plan's parts and sections (`body.py`): chapters and articles (办法, 规定, 细则), Q&A transcripts (问答实录), and a
body with no numbering at all (a statement, a speech, a news page). Every shape's clauses carry contract paths:
`第二章第十条`, `问答3`, `第4段`. A document with text in it is never refused for lack of numbering."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..text.sentences import ENDS
from ..types import ClauseKind
from .body import MAX_TITLE_CHARS, PART, BodyParser, Draft, join_lines
from .clean import Line

CN_COUNT = "一二三四五六七八九十百零〇"
CHAPTER = re.compile(rf"^第([{CN_COUNT}]{{1,4}})章(.*)$")
SUBSECTION = re.compile(rf"^第([{CN_COUNT}]{{1,4}})节(.*)$")
ARTICLE = re.compile(rf"^第([{CN_COUNT}]{{1,4}})条(.*)$")
# A reporter's or an asker's question: `新华社:这次《若干措施》…怎么样确定的?` (a short name, a colon, a question), with
# its courtesy after it (`…?谢谢。`); a turn marked as asked (`问:`, `1.问:`, `问题3:`, `提问1:`, `Q2:`, `【问】`, `记者问:`,
# `记者提问:`, `中国日报记者:`, `彭博社记者(英文):`, `澎湃新闻记者 张三:`, an online interview's `网友“小王”:`) whatever it
# ends with (`请介绍一下有关情况。`), or taken by a news outlet that asks in so many words (`东方卫视:请介绍一下…。`,
# `【新民晚报记者】请问…`; not an answer's lead `二是推进线上申报:…提出申请。`, `1.网上申报:…`). A host's turn that
# invites questions (`主持人:还有哪位记者朋友提问?`) is none; one that asks (`主持人:请问王局长,…?`) is one.
_OUTLET = "(?<!作)社|报|(?<!平)台|(?<!联)网|新闻|卫视|电视|广播|财经|周刊|杂志|客户端|频道|传媒"
_ASKS_AT_ONCE = "(?=.*?(?:请问|请介绍|请谈|请您|请说|想问|想请|想了解|我的问题))"  # (an outlet's turn: it asks)
_NOT_LEAD = rf"(?![{CN_COUNT}]+[是、]|\d|\(|第)"  # (an answer's or a plan's numbered lead is no speaker)
QUESTION = re.compile(r"^(?![^:]{0,20}主持人[^:]{0,20}:.*(?:提问|记者朋友))"
                      rf"(?:(?:(?:\d{{1,2}}[.、]|[{CN_COUNT}]{{1,3}}、)?\s*(?:问|提问|问题|(?:问题?|提问)\s*[{CN_COUNT}\d]{{1,3}}|"
                      rf"Q\s*\d{{0,3}})|[^:。,;!?“”《》]{{0,18}}(?:记者|网友)(?!朋友|们)(?:\s+[\u4e00-\u9fff]{{2,4}}|“[^”]{{1,8}}”)?"
                      rf"(?:\([^()]{{1,12}}\))?(?:提?问)?|{_NOT_LEAD}[^:。,;!?“”《》()]{{1,18}}(?:{_OUTLET})(?:记者)?"
                      rf"(?:\([^()]{{1,12}}\))?(?=:{_ASKS_AT_ONCE})):.+|(?:Q|问题)\s*\d{{1,3}}\.\s*.+|[(【\[](?:问|提问)[)】\]].+|"
                      rf"[(【\[][^()【】\[\]:]{{1,20}}(?:记者|网友|{_OUTLET})[)】\]]:?{_ASKS_AT_ONCE}.+|"
                      r"[^:。,;!?“”《》()]{2,15}:.+\?(?:[^?]{0,3}(?:谢谢|感谢)[^?]{0,6})?)$")
# A question printed as a numbered heading, as a 解读 or a 问答 page numbers them (`1.什么是概念验证?`, `三、如何申报?`,
# `(二)哪些企业可以申请?`, `问题一:…?`): the number's style (group 1) and the question (group 2)
_NUMBER_LABEL = (rf"(\d{{1,2}}(?:\.(?!\d)|、)|[{CN_COUNT}]{{1,3}}、|\([{CN_COUNT}\d]{{1,3}}\)|"
                 rf"问题?\s*[{CN_COUNT}\d]{{1,3}}[、.:]?)")
NUMBERED_QUESTION = re.compile(rf"^{_NUMBER_LABEL}\s*([^。]{{4,120}}\?)$")
_NUMBERED = re.compile(rf"^{_NUMBER_LABEL}")  # any heading numbered so, asking or not
# a speaker's turn in a transcript (`主持人:`, `张三(市发展改革委副主任):`), a sentence after the name
TURN = re.compile(r"^[^:。,;!?“”《》()\n]{1,15}(?:\([^()\n]{1,20}\))?:.*[。!?;…”]$")
# a speaker's name on a line of its own (a page's bold label `**新华社记者:**` above the turn it introduces): an asker,
# the host, a news outlet, or a person (a name of two to four characters, or any name with a bracketed title)
SPEAKER_ALONE = re.compile(rf"^{_NOT_LEAD}(?:[^:。,;!?“”《》()\n]{{0,18}}(?:记者|网友|主持人|{_OUTLET})|问|提问|答|"
                           r"[\u4e00-\u9fff]{2,4}|[^:。,;!?“”《》()\n]{1,20}\([^()\n]{1,20}\)):$")
MIN_ARTICLES = 3  # article lines that make a document one of articles
MIN_QUESTIONS = 2

PARTS, ARTICLES, QA, PARAGRAPHS = "parts and sections", "chapters and articles", "questions and answers", \
    "paragraphs without numbering"


@dataclass(frozen=True)
class Shape:
    name: str
    start: int  # index of the body's first line
    numbered: str = ""  # a transcript whose questions are numbered headings: their numbers' style (`_style`)


def _style(label: str) -> str:
    """A heading number's style: `1.`/`1、` digits, `一、` a part, `(一)` in brackets, `问题一` a question's."""
    return "digits" if label[0].isdigit() else "bracket" if label[0] == "(" else "asked" if label[0] == "问" \
        else "part"


# a question on a line of its own, unnumbered and unmarked (a 解读 page's bold `《若干措施》出台的背景是什么?`) …
BARE_QUESTION = re.compile(r"^[^。;:!]{4,80}\?$")
# … read as one only on a page whose first lines call it questions and answers
_QA_PAGE = re.compile(r"问答|解读|答记者问|问与答|答问|Q&A", re.I)
MIN_BARE = 3  # such questions, each followed by its answer, that make a page of them


def numbered_questions(lines: Sequence[str]) -> str:
    """The style of numbers a document gives its questions, when at least MIN_QUESTIONS of its numbered headings of
    one style ask (`1.什么是概念验证?`) and they are most of that style's headings (a 解读 page's questions, not a
    plan's odd heading in question form, nor a page mixing `一、什么是…?` with `二、主要内容`); "bare" for a 问答 or 解读
    page asking at least MIN_BARE questions on lines of their own with no number at all, each before its answer, and
    whose questions are not turns (a reporter's courtesy and question may be two lines); "" when it has none."""
    asked: Counter[str] = Counter(_style(m.group(1)) for t in lines if (m := NUMBERED_QUESTION.match(t)))
    if asked:
        style, count = asked.most_common(1)[0]
        headings = sum(1 for t in lines if (m := _NUMBERED.match(t)) and _style(m.group(1)) == style)
        if count >= MIN_QUESTIONS and 2 * count > headings:
            return style
    if sum(1 for t in lines if QUESTION.match(t)) >= MIN_QUESTIONS:
        return ""
    bare = [i for i, t in enumerate(lines[:-1]) if _bare(t) and not BARE_QUESTION.match(lines[i + 1])]
    return "bare" if len(bare) >= MIN_BARE and _QA_PAGE.search(" ".join(lines[:3])) else ""


def _bare(text: str) -> bool:
    return bool(BARE_QUESTION.match(text)) and not _NUMBERED.match(text) and not QUESTION.match(text)


def asked_heading(text: str, style: str) -> str | None:
    """The question a heading of this style asks (without its number), or None."""
    if style == "bare":
        return text if _bare(text) else None
    m = NUMBERED_QUESTION.match(text) if style else None
    return m.group(2) if m is not None and _style(m.group(1)) == style else None


def detect(lines: Sequence[str]) -> Shape:
    """The body's shape, by the structure its lines show, and where it starts."""
    articles = [i for i, t in enumerate(lines) if ARTICLE.match(t)]
    parts = [i for i, t in enumerate(lines) if (m := PART.match(t)) and m.group(1) == "一"]
    numbered = numbered_questions(lines) if len(articles) < MIN_ARTICLES else ""
    questions = [i for i, t in enumerate(lines) if QUESTION.match(t) or asked_heading(t, numbered) is not None]
    if len(articles) >= MIN_ARTICLES:
        first = next((i for i, t in enumerate(lines) if CHAPTER.match(t) and i <= articles[0]), articles[0])
        return Shape(ARTICLES, first)
    # (a first part that is itself a question heading, `一、什么是概念验证?`, starts a page of them)
    if len(questions) >= MIN_QUESTIONS and (not parts or questions[0] < parts[0]
                                             or (questions[0] == parts[0] and numbered == "part")):
        return Shape(QA, questions[0], numbered)
    if parts:
        return Shape(PARTS, parts[0])
    return Shape(PARAGRAPHS, -1)  # the caller finds where the front matter ends


def shaped(lines: list[Line]) -> tuple[list[Line], Shape]:
    """The body's lines and shape (`detect`). A transcript that sets each speaker's name on a line of its own has
    every such name (`SPEAKER_ALONE`) joined to the line it introduces (the name's line number), when at least
    MIN_QUESTIONS of them introduce a question and the document then reads as a transcript; else the lines are as
    they were (a plan's `主要任务:` above its list, its `1.网上申报:` above what it says, stay lines of their own)."""
    alone = [i for i, line in enumerate(lines[:-1]) if SPEAKER_ALONE.match(line.text)]
    if sum(1 for i in alone if QUESTION.match(lines[i].text + lines[i + 1].text)) >= MIN_QUESTIONS:
        out: list[Line] = []
        starts = set(alone)
        for i, line in enumerate(lines):
            if i - 1 in starts and out and out[-1].no == lines[i - 1].no:
                out[-1] = Line(out[-1].no, out[-1].text + line.text)
            else:
                out.append(line)
        if (shape := detect([line.text for line in out])).name == QA:
            return out, shape
    return lines, detect([line.text for line in lines])


def paragraph_start(lines: Sequence[str], is_front: Callable[[str], bool]) -> int:
    """For a body without numbering: the first paragraph that closes like a sentence and is not front matter
    (notice, title, a date line)."""
    for i, text in enumerate(lines):
        if text[-1] in ENDS and not is_front(text):
            return i
    return 0


class ArticleParser:
    """Chapters (`第二章 职责`), their sections (`第一节`) and articles (`第十条 …`); every following line (a 款,
    a numbered 项 `(一)…`) stays in its article."""

    def __init__(self) -> None:
        self.chapter: tuple[str, str] | None = None
        self.section: tuple[str, str] | None = None
        self.drafts: list[Draft] = []
        self.order = 0
        self.warnings: list[str] = []
        self._pending: list[str] = []  # lines continuing the last draft, joined onto its text by `_settle`

    def _settle(self) -> None:
        if self.drafts and self._pending:
            last = self.drafts[-1]
            last.text = join_lines(last.text, self._pending)
        self._pending = []

    def _path(self) -> str:
        return "".join(level[0] for level in (self.chapter, self.section) if level)

    def _titles(self) -> tuple[str, ...]:
        return tuple(level[1] for level in (self.chapter, self.section) if level)

    def _open(self, path: str, title: str, kind: ClauseKind, text: str, parents: tuple[str, ...]) -> None:
        self._settle()
        self.order += 1
        self.drafts.append(Draft(path, title, kind, parents, text, self.order))

    def feed(self, text: str) -> None:
        if m := CHAPTER.match(text):
            self.chapter, self.section = (f"第{m.group(1)}章", m.group(2).strip()), None
            self._open(self._path(), m.group(2).strip(), ClauseKind.HEADING, "", ())
        elif m := SUBSECTION.match(text):
            self.section = (f"第{m.group(1)}节", m.group(2).strip())
            self._open(self._path(), m.group(2).strip(), ClauseKind.HEADING, "", self._titles()[:-1])
        elif m := ARTICLE.match(text):
            self._open(self._path() + f"第{m.group(1)}条", "", ClauseKind.ITEM, m.group(2).strip(), self._titles())
        elif self.drafts:
            self._pending.append(text)
        else:
            self._open(self._path(), "", ClauseKind.HEADING, text, ())

    def finish(self) -> list[Draft]:
        """Chapter headings are carried by their articles' parents; one with nothing under it becomes a
        title-only clause, so no heading is lost."""
        self._settle()
        bare = {d.path for d in self.drafts if not d.text}
        starting: Counter[str] = Counter()  # a bare draft's path -> how many drafts' paths start with it
        for d in self.drafts:
            starting.update(d.path[:end] for end in range(len(d.path) + 1) if d.path[:end] in bare)
        out = []
        for d in self.drafts:
            if not d.text and starting[d.path] == 1:  # only its own
                d.text = d.title
            if d.text:
                out.append(d)
        return out


class QAParser:
    """A transcript: each question with the answers that follow it is one clause, `问答N`. `numbered`: the style of
    the numbers its questions carry as headings, if they do (`numbered_questions`)."""

    def __init__(self, numbered: str = "") -> None:
        self.numbered = numbered
        self.drafts: list[Draft] = []
        self.warnings: list[str] = []
        self._answers: list[str] = []  # lines after the last question, joined onto it by `_settle`

    def _settle(self) -> None:
        if self.drafts and self._answers:
            self.drafts[-1].text += "\n" + "\n".join(self._answers)
        self._answers = []

    def feed(self, text: str) -> None:
        heading = asked_heading(text, self.numbered)
        if heading is not None or QUESTION.match(text) or not self.drafts:
            self._settle()
            asked = heading if heading is not None else text.split(":", 1)[1] if ":" in text else text
            title = asked if len(asked) <= MAX_TITLE_CHARS else asked[:MAX_TITLE_CHARS] + "…"
            n = len(self.drafts) + 1
            self.drafts.append(Draft(f"问答{n}", title, ClauseKind.ITEM, (), text, n))
        else:
            self._answers.append(text)

    def finish(self) -> list[Draft]:
        self._settle()
        return self.drafts


class ParagraphParser:
    """A body without numbering: every paragraph is its own clause, `第N段`."""

    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.warnings: list[str] = []

    def feed(self, text: str) -> None:
        n = len(self.drafts) + 1
        self.drafts.append(Draft(f"第{n}段", "", ClauseKind.ITEM, (), text, n))

    def finish(self) -> list[Draft]:
        return self.drafts


ShapeParser = BodyParser | ArticleParser | QAParser | ParagraphParser
PARSERS: dict[str, type[ShapeParser]] = {PARTS: BodyParser, ARTICLES: ArticleParser, QA: QAParser,
                                         PARAGRAPHS: ParagraphParser}


def parser_for(shape: Shape, wrapped: bool = False) -> ShapeParser:
    """`wrapped`: the lines come from a PDF text layer (line breaks are not paragraph breaks)."""
    if shape.name == PARTS:
        return BodyParser(paragraphs=not wrapped)
    return QAParser(shape.numbered) if shape.name == QA else PARSERS[shape.name]()
