"""Shapes of document facts in cleaned text: 文号, dates, issuing bodies, addressees, responsibility lines.

Ingestion reads a plan's metadata with them and the answerer recognises a sentence that states such a fact;
both take the shapes from here.
"""
from __future__ import annotations

import re

# A 文号 with its issuer's abbreviation, as a notice prints it: `川经信信安〔2023〕142号`, `永川府发[2022]22号`.
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{2,12}[〔\[【(]\d{4}[〕\]】)]\d{1,4}号")
# The bare number part, as a quote may hold it: `〔2023〕142号`.
DOC_NUMBER_SHAPE = re.compile(r"〔\d{4}〕\d+号|\[\d{4}\]\d+号")
# A date written out, anywhere in a sentence: `2023年9月12日`, `9月12日`.
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日")
# When a document takes effect or expires: `自2026年1月1日起实施`, `有效期至2030年12月31日`.
EFFECTIVE = re.compile(r"起(?:施行|实施|执行|生效)|有效期(?:至|为|到)|自发布之日起|自印发之日起")
# A date alone on a line, as it closes a notice.
DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
# What an issuing or responsible body's name ends with.
BODY_SUFFIX = r"(?:政府|厅|局|委员会|委|部|总署|署|办公室|办|中心|院|会|室)"
# A sentence naming a body (a signature line, `…等5部门联合印发`).
BODY = re.compile(r"(?:政府|厅|局|委员会|委|部|部门|办公室|办|中心|院|会|室|(?<![部签])署)(?:$|等|联合)")
# A line that is one body's name (a notice's signature).
ORG_NAME = re.compile(rf"^[\u4e00-\u9fff()]{{2,30}}{BODY_SUFFIX}$")  # 公安部, 海关总署, 四川省经济和信息化厅
# Whom a notice is addressed to: `各市(州)经济和信息化局……:`.
SALUTATION = re.compile(r"^各[^。;;]{2,}[::]$")
# Who is responsible for an item, in every form the documents use: `(责任单位:…)`, `牵头单位:…`, `牵头部门`,
# `责任部门`, `配合单位`, a bracketed `(市发展改革委牵头)` / `(市科委负责)`, and an item closing on its bodies alone,
# bracketed (`(市商务委、市经济信息化委)`: each a government body's name, not `(以下简称市科委)`).
_OWNER_WORDS = r"责任单位|牵头单位|牵头部门|责任部门|配合单位|主责部门|责任主体"
_GOV_BODY = r"[\u4e00-\u9fff]{0,18}?(?:政府|厅|局|委员会|委|部门|部|办公室|办)"  # (the first a city's, a province's …)
_BODIES = re.compile(rf"[((](?:市|区|省|县|国家|各){_GOV_BODY}(?:[、,][\u4e00-\u9fff]{_GOV_BODY})*等?[))]")
OWNER = re.compile(rf"{_OWNER_WORDS}|[\u4e00-\u9fff、]{{2,40}}(?:牵头|负责)[))]|^\s*{_BODIES.pattern}\s*$")
OWNER_LINE = re.compile(rf"[((](?:{_OWNER_WORDS})[::][^))]*[))]|[((][\u4e00-\u9fff、,;]{{2,60}}(?:牵头|负责)[))]")
_OWNER_START = re.compile(rf"^(?:{_OWNER_WORDS})[::]")

# a sentence leading a list (`应具备以下基本条件:`, `包括:`), and a list item (`(二)…`, `2.…`, `三、…`)
LIST_LEAD = re.compile(r"(?:以下|如下|下列)[^。;;]{0,16}[::]|(?:包括|分为)[::]")
LIST_ITEM = re.compile(r"\s*(?:[((][一二三四五六七八九十\d]{1,3}[))]|\d{1,2}[.、.](?!\d)|[一二三四五六七八九十]{1,3}、)")
# a point's heading closing the sentence that leads to it (`…体现在3个方面:一是规模质效全面跃升。`; not a point
# said whole in its own sentence, `三是营收增长12%。`), and a sentence opening the next point
POINT_END = re.compile(r"[::][一二三四五六七八九十]是[^。;;::,,]{2,20}[。;;]?$")
POINT_START = re.compile(r"\s*[一二三四五六七八九十]是")
POINT_HEAD = re.compile(r"\s*[一二三四五六七八九十]是[^。;;::,,\d]{2,20}[。;;]?$")  # a point's heading alone (no number)
# an enumeration opened after a colon (`扮演多重角色:首先,…;`, `主要开展两项工作:一是…;`), each with the sentences that
# go on with it (`其次,…`/`同时,…`/`最后,…`; `第二,…`; `二是…`)
ENUMERATIONS = ((re.compile(r"[::]\s*首先"), re.compile(r"\s*(?:其次|再次|然后|同时|此外|最后)[,,]")),
                (re.compile(r"[::]\s*第一[,,、]"), re.compile(r"\s*第[二三四五六七八九十][,,、]")),
                (re.compile(r"[::]\s*[一1]是"), re.compile(r"\s*[二三四五六七八九十]是")))


def owner_names(text: str) -> tuple[int, int] | None:
    """[start, end) of the names in the first responsibility note of `text` (`(责任单位:市财政局)` -> `市财政局`,
    `(市发展改革委牵头)` -> `市发展改革委牵头`); None when there is none."""
    m = OWNER_LINE.search(text)
    if m is None:
        return None
    start, end = m.start() + 1, m.end() - 1  # inside the brackets
    label = _OWNER_START.match(text[start:end])  # `^` holds only at a string's start
    return start + (label.end() if label else 0), end


def is_owner_line(sentence: str) -> bool:
    """`(责任单位:…)`, `(市发展改革委牵头)`: says who is responsible, never what is done."""
    s = sentence.strip()
    bodies = _BODIES.fullmatch(s) is not None  # (an item's closing bracket of bodies alone)
    return bodies or _OWNER_START.match(s.strip("(()) ")) is not None or OWNER_LINE.fullmatch(s) is not None  # noqa: B005


# four or more items named one after another (`在生产制造、智慧城市、文化旅游、教育培训、医疗健康等领域`)
_ENUMERATION = re.compile(r"(?:[^、,,。;;:: ]{1,8}、){3,}[^、,,。;;:: 等]{1,8}")


def enumerations(sentence: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in _ENUMERATION.finditer(sentence))


def only_listed(word: str, sentence: str, lists: tuple[tuple[int, int], ...]) -> bool:
    """Every occurrence of `word` is one item of an enumeration: the sentence names it among many, it does not
    treat it (a goal listing fields, beside the task devoted to one)."""
    if not lists:
        return False
    at = [m.start() for m in re.finditer(re.escape(word), sentence)]
    return bool(at) and all(any(a <= i < b for a, b in lists) for i in at)


def restates(sentence: str, title: str) -> bool:
    """The sentence is the item's title again, or a part of it, give or take a speaker's name (`第一财经:` + the
    question of a transcript's item) — or goes on where a title cut short with `…` stops (`…领域的专…`)."""
    if len(title) < 8:
        return False
    head, colon, rest = sentence.partition(":")
    body = rest if colon and len(head) <= 12 else sentence
    cut = title[:-1] if title.endswith("…") else ""
    return (title in sentence and len(sentence) <= len(title) + 12) or (len(body) >= 8 and body in title) \
        or (len(cut) >= 8 and any(cut.endswith(body[:k]) for k in range(8, len(body))))


def barred(sentence: str, title: str, asks_owner: bool = False) -> bool:
    """Never quoted for its own sake: a responsibility line (unless asked), a transcript's question (the title)."""
    return (is_owner_line(sentence) and not asks_owner) or restates(sentence, title)
