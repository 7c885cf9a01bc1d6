"""Questions about the document itself (文号, 印发日期, 印发机关, 主送单位): answered from the issuing notice and
the news paragraphs that report its issuance — and when no quote states the fact, the answer says so."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..search.corpus import CorpusView
from ..text.patterns import BODY, BODY_SUFFIX
from ..types import Citation, Clause, ClauseKind, Hit, PlanMeta
from .asked import (
    COUNT,
    HOW_LONG,
    MENTION,
    MONEY,
    MONEY_WORDS,
    NOT_THING,
    ORG,
    PLACE,
    SCHOOL,
    UNIT_KIND,
    UNIT_WORDS,
    WHEN,
    AskedNumber,
)
from .intent import ADDRESSEES, ISSUANCE, META_NAMES
from .judged import THING_SHARE, UNJUDGED, Unjudged, clause_notes, mentioning, named_weight, names_thing, offered, states_entity
from .plans import plan_years
from .quotes import QuotePicker

ENTITY = (ORG, PLACE, SCHOOL, MENTION)  # (checked to be stated; retrieval ranks the answer)
# the kinds judged only where a plan names the thing (a count with no measure word, who, where, which school);
# a number asked with its unit keeps the stricter rule it was built with (none stated -> not stated)
CAUTIOUS = (COUNT, ORG, PLACE, SCHOOL)
_YEAR = re.compile(r"((?:19|20)\d\d)年")  # a year as a sentence names it (plans.py reads bare years in titles)
# a signature ending the text: a dated last line (`工业和信息化部2025年8月25日`, `2025年8月25日` under the body's), or
# run on after the last sentence (`…(责任单位:…)上海市人民政府办公厅2025年5月17日`: a body's name, then the date)
_SIGNED = re.compile(rf"^[\u4e00-\u9fff()、 ]{{0,40}}?\d{{4}}年\d{{1,2}}月\d{{1,2}}日$|"
                     rf"[。;;))][\u4e00-\u9fff()、 ]{{0,40}}?{BODY_SUFFIX}\s*\d{{4}}年\d{{1,2}}月\d{{1,2}}日$")
_DATES = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日")


def document_clauses(corpus: CorpusView, quotes: QuotePicker, plans: Sequence[str], text: str,
                     vector: np.ndarray | None, top_k: int) -> list[Hit]:
    """The plans' notices and issuance reports, ranked by how well their best sentence states the fact."""
    clauses = corpus.clauses_of(plans)
    candidates = [c for c in clauses if
                  (c.kind == ClauseKind.NOTICE or (c.kind == ClauseKind.NEWS and ISSUANCE.search(c.text)))]
    # a document issued without a notice is signed and dated where its text ends (`工业和信息化部2025年8月25日`)
    ends: dict[str, Clause] = {}  # plan_id -> its text's last clause (one pass over the plans' clauses)
    for c in clauses:
        if c.kind not in (ClauseKind.NOTICE, ClauseKind.NEWS) and (c.plan_id not in ends or c.order > ends[c.plan_id].order):
            ends[c.plan_id] = c
    signed = [c for c in ends.values() if c.text and _SIGNED.search(c.text.splitlines()[-1])]
    if not candidates + signed:
        return []
    shapes = quotes.wants(text)
    tokens, total = quotes.terms(text)

    sent_to = ADDRESSEES.search(text) is not None

    def value(c: Clause) -> float:
        quote, _ = quotes.best_sentence(c, tokens, total, shapes, vector)
        bonus = quotes.weights.notice_bonus if c.kind == ClauseKind.NOTICE else 0.0
        # (`主送哪些单位` asks whom it was sent to, not who sent it)
        return sum(w for shape, w in shapes if _states(shape, quote) and not (shape is BODY and sent_to)) + bonus

    # (a signature, only when it states an asked fact: not cited for a 文号 its notice gives)
    valued = [(value(c), c) for c in candidates] + [(v, c) for c in signed if (v := value(c)) > 0]
    ranked = sorted(valued, key=lambda vc: (-vc[0], vc[1].order))[:top_k]
    return [Hit.of(c, rank=i, score=round(v, 4)) for i, (v, c) in enumerate(ranked, start=1)]


def unstated(text: str, citations: Sequence[Citation], english: bool, plan: PlanMeta | None = None) -> tuple[str, bool]:
    """A lead saying which asked document facts no quote states (no guess from elsewhere), naming the plan when
    the question is about one; and what the web page the plan was collected from says — marked as the page's
    header, not the document's text — when the fact is unstated or the question asks when or by whom it was
    published (a page's 发布日期 answers that; a text's date may be when it was adopted). '' when nothing to say.
    And whether nothing asked is answered: every asked fact unstated, and no page header giving one (the answer is
    then "not stated", its quotes the closest context, as for a number a plan does not state)."""
    asked, missing = [], []
    for intent, shape, name, name_en in META_NAMES:
        if shape is BODY and ADDRESSEES.search(text):
            continue
        if intent.search(text):
            asked.append(name)
            if not any(_states(shape, q) for c in citations for q in c.quotes):
                missing.append((name, name_en))
    page = _page_facts(plan, [n for n in asked if (n in dict(missing) or _PUBLISHED.search(text))], english) \
        if plan is not None else ""
    if not missing:
        return page, False
    nothing = len(missing) == len(asked) and not page
    names = ", ".join(en for _, en in missing) if english else "、".join(cn for cn, _ in missing)
    if plan is None:
        return (f"The text in the library does not state the {names}; the closest passages: \n"
                if english else f"本库收录的文本未载明{names};相关原文如下:\n"), nothing
    title = plan.display_title
    return page + (f"The library's text of 《{title}》 does not state the {names}; the closest passages: \n"
                   if english else f"本库收录的《{title}》文本未载明{names};相关原文如下:\n"), nothing


# a body said to issue a document in a sentence (`中共中央、国务院印发了《…》`), not only on a signature line (not
# `向社会发布`, `将会出台`, `主办发布会`: a body's ending, never 会 or 办 alone); or a news line giving the body its
# news of the issuance comes from (`据济南市人民政府消息,《…》近日印发`)
_ISSUED_BY = re.compile(r"(?:政府|中央|厅|局|委员会|委|部|总署|院)(?:联合)?(?:印发|发布|出台)|"
                        r"据[^,,。;;]{2,30}(?:政府|厅|局|委员会|委|部|总署|院)(?:网站)?消息[^。;;]{0,80}(?:印发|发布|出台)")


def _states(shape: re.Pattern[str], quote: str) -> bool:
    """Does a quote state a document fact of this shape: on one of its lines (a signature, a salutation, a date
    line are lines of a notice), or, for the issuing body, in a sentence saying it issued the document?"""
    return any(shape.search(line) for line in quote.split("\n")) or (shape is BODY and bool(_ISSUED_BY.search(quote)))


def no_effective_date(title: str, english: bool) -> str:
    """The lead of an answer about when a plan takes effect, when no sentence of it says so."""
    return (f"The library's text of 《{title}》 does not say when it takes effect; the closest passages: \n" if english
            else f"本库收录的《{title}》文本未载明施行(生效)日期;相关原文如下:\n")


def _page_facts(plan: PlanMeta, names: Sequence[str], english: bool) -> str:
    # quoted as the page header gives them (`发布日期: …`), marked as the page's, not the document's
    header = [f"“{label}: {value}”" for name in names if name in _PAGE_FACT
              for label, field in [_PAGE_FACT[name]] if (value := getattr(plan, field))]
    if not header:
        return ""
    return ("The web page it was collected from gives (page header, not the document's text): " + "; ".join(header)
            if english else "其来源网页的页眉载明(页面信息,非文件正文):" + ";".join(header)) + "\n"


# which page-header fact answers for a document fact: a page's date for 印发日期, its publisher for 印发机关
# (the header's label, and the PlanMeta field holding its value)
_PAGE_FACT = {"印发日期": ("发布日期", "published"), "印发机关": ("发布机构", "publisher")}
_PUBLISHED = re.compile(r"发布|公布|published|released", re.I)

_CN_DIGITS = "零一二三四五六七八九十百千万两"
# Units a document may write for the one asked (`几天` — `5个工作日`; `多少人` — `15名`).
UNIT_ALIASES = {"天": "(?:个)?(?:工作)?(?:天|日)", "日": "(?:个)?(?:工作)?(?:天|日)", "人": "(?:人|名)", "名": "(?:人|名)",
                "位": "(?:位|人|名)", "个月": "(?:个)?月", "周": "(?:个)?(?:周|星期)", "岁": "(?:周)?岁"}
# (a thing's own measure word may be stated with the general one, `几家` by `3个`, not `3个月`, `一个`; not 个 by `10家`)
UNIT_ALIASES |= {u: f"(?:{u}|(?<!一)个(?!月|工作日|百分点|小时))" for u in "家 所 座 项 条 种 台 套 件 处 类 支".split()}

_LISTED = re.compile(r"^\s*[((]?\d+[))、.]|(?<=[。;;\n])\s*[((]?\d+[))、.]|第\d+|(?:19|20)\d\d\s*[-—–~至]\s*(?:19|20)\d\d")
_TIMES = "年|天|周|期|岁|个月|小时|次性"


def states_number(text: str, unit: str) -> bool:
    """Does `text` state a number of this unit (`30家`, `一批…` does not; `500万元`, `最高30%`)?"""
    if unit == "率":  # a rate with its unit (`88%`, `1.5倍`, `90Hz`; not `5G`, not a year)
        return re.search(r"\d+(?:\.\d+)?\s*(?:%|‰|倍|个百分点|[A-Za-z]{2,})", text) is not None
    if unit in ("比例", "百分之", "占比"):
        return re.search(rf"\d+(?:\.\d+)?\s*(?:%|倍)|百分之[{_CN_DIGITS}]+|\d+\s*成|[一二三四五六七八九十]成", text) is not None
    if unit == WHEN:  # a year or a date (`到2025年`, `2026年底前`, `6月30日`), or a period's end (`“十四五”末`)
        return re.search(r"(?:19|20)\d\d年|\d{1,2}月(?:\d{1,2}日)?|“十[一-九]五”(?:末|期间|时期)", text) is not None
    if unit == HOW_LONG:  # a length of time (`五年`, `3个月`, `15个工作日`), not a date
        return re.search(rf"(?<![\d年月])(?:\d{{1,3}}|[{_CN_DIGITS}]+)\s*(?:个)?(?:工作)?(?:年|月|日|天|周|小时)(?![\d岁])",
                         _DATES.sub("", re.sub(r"(?:19|20)\d\d年", "", text))) is not None
    if unit == COUNT:  # any count: a number that is no year or date (`18支`, `3000万人`, `1亿亩`), or a Chinese
        # numeral with a measure word (`三级`, `十个`; `一批` and `一系列` count nothing)
        # (not a list's numbering `(1)`, `1.`, `第3条`, a span of years `2024-2026年`, a time `三年`, `一次性`)
        text = _LISTED.sub("", _DATES.sub("", text))
        return re.search(rf"(?<![\d.第])(?!(?:19|20)\d\d年)\d+(?:\.\d+)?(?![\d.]*\s*(?:年|月|日|号|[A-Za-z]))"
                         rf"|(?<![{_CN_DIGITS}第])[{_CN_DIGITS}]+(?!{_TIMES})(?:{UNIT_WORDS}|级|大)(?<!一批)(?<!一次)"
                         rf"|(?:超|逾|近|约|达|破|上)[{_CN_DIGITS}]*[百千万亿]", text) is not None  # `用户超千万`
    if unit == MONEY:  # an amount, or a share or multiple of a cost (`30%`, `不低于1倍`)
        return re.search(rf"[\d{_CN_DIGITS}]+(?:\.\d+)?\s*(?:万亿|万|亿)?元|\d+(?:\.\d+)?\s*%|[\d{_CN_DIGITS}]+\s*倍",
                         text) is not None
    if unit in ("万亿元", "万元", "亿元", "元"):
        return re.search(rf"[\d{_CN_DIGITS}]+(?:\.\d+)?\s*(?:万亿|万|亿)?元", text) is not None
    unit = UNIT_ALIASES.get(unit, unit)
    if unit == "年":  # a count of years, not a year (`20年`, `三年`; `2027年` is a date)
        return re.search(rf"(?<!\d)(?:\d{{1,3}}|[{_CN_DIGITS}]+)\s*(?:余|多)?年", text) is not None
    # (a date is no duration: `9月1日` states no 天 and no 个月)
    return re.search(rf"(?<![年月\d])(?:\d+(?:\.\d+)?|[{_CN_DIGITS}]+)\s*(?:万|亿)?(?:余|多)?{unit}(?!\d+日)",
                     _DATES.sub("", text)) is not None


_PARTS = re.compile(r"[^,,;;]+")
_MONEY_PART = re.compile(rf"{MONEY_WORDS}|元")


def _money_parts(sentence: str) -> str:
    """The parts of a sentence (between commas) that state an amount with money in view (`按投资额的10%给予补助`,
    `最高100万元`, not `其中企业专家占比50%`), each with the two parts before it; '' when none."""
    parts = _PARTS.findall(sentence)
    keep: set[int] = set()
    for i, part in enumerate(parts):
        if states_number(part, MONEY) and _MONEY_PART.search(part):
            keep.update(range(max(0, i - 2), i + 1))
    return ",".join(parts[i] for i in sorted(keep))


def not_stated_lead(titles: Sequence[str], unit: str, english: bool) -> str:
    what = UNIT_KIND.get(unit, "数量")
    what_en = {"金额": "an amount", "比例": "a ratio", ORG: "a responsible body", PLACE: "a place",
               SCHOOL: "a university", MENTION: "anything on this"}.get(what, "a number")
    names = "、".join(f"《{t}》" for t in titles)
    if unit == MENTION:
        return (f"{names} does not mention this; the closest passage: \n" if english
                else f"{names}未提及所问的内容。与问题最接近的原文如下,仅供参考:\n")
    return (f"{names} does not state {what_en} for this; the closest passage (it states none): \n"
            if english else f"{names}未载明所问的{what}。与问题最接近的原文(其中没有这个{what})如下,仅供参考:\n")


MIN_WHOLE = 4  # characters of a thing the plans write whole


def stating_clause(corpus: CorpusView, quotes: QuotePicker, plans: Sequence[str], question: str,
                   asked: AskedNumber, places_in: Callable[[str], Sequence[Any]] | None = None,
                   glosses: Callable[[str], list[frozenset[str]]] | None = None) -> Hit | Unjudged | None:
    """The clause of these plans whose sentence best states the asked number — a number of the asked unit in a
    sentence that, with the one before it and the item's heading, names the counted thing (at least THING_SHARE
    of its words, weighted) — or None when none does. The counted thing's words are its terms: not the words
    naming the plans asked about (they are in every clause of them), not single characters (`干`, `拿`).
    `glosses`: an English question's thing as groups of the library words each of its phrases may mean (its
    question is judged only where a plan names the thing, `english.py`); a Chinese one's words are one each."""
    naming = frozenset().union(*(corpus.title_terms(pid) for pid in plans))

    def kept(t: str) -> bool:
        return len(t) > 1 and not any(t in n for n in naming) and \
            not (asked.unit in (MONEY, WHEN, HOW_LONG, COUNT, *ENTITY) and NOT_THING.fullmatch(t))

    if glosses is None:
        every = {t for t in corpus.tokenize(asked.thing) if kept(t)}
        thing = {t for t in every if not any(t != u and t in u for u in every)}  # `第一次`, not also `第一` and `一次`
        # … though a word's parts may say a number's thing too (`复合型` -> 复合, the text's `培养复合人才`)
        parts = asked.unit not in ENTITY
        groups = [frozenset({t} | {u for u in every if parts and u != t and u in t}) for t in sorted(thing)]
    else:
        # (a composed sense, `水产 养殖`, is no one word of a text; a sense naming the plan is none of the thing's,
        # the phrase's other senses may be: `projects` is 项目 as well as a title's 计划)
        groups = list({g: None for g in (frozenset(t for t in senses if kept(t) and " " not in t)
                                         for senses in glosses(asked.thing)) if g})
        thing = set().union(*groups) if groups else set()
    # the year a number is asked for (`到2027年…多少`), unless the year is in a plan's title (it names the plan)
    titles = "".join(corpus.title(pid) for pid in plans)
    years = {y for y in _YEAR.findall(question) if y not in titles}
    if glosses is not None:  # (an English question's bare years; not those of the plans' own period and dates)
        own = set().union(*(plan_years(corpus.plans[pid]) for pid in plans))
        years |= {y for y in re.findall(r"\b((?:19|20)\d\d)\b", question) if y not in titles and y not in own}
    if asked.unit == MENTION:  # (support a plan might give: else a paraphrase may be what it says otherwise)
        return mentioning(corpus, plans, words) if (words := offered(asked.thing)) else UNJUDGED
    scoped = corpus.clauses_of(plans)
    written = "\n".join(c.text for c in scoped) if glosses is not None or asked.unit in (WHEN, HOW_LONG) else ""
    if glosses is not None:  # an English phrase's senses the plans never use weigh nothing it must be named by (the
        groups = [frozenset(t for t in g if t in written) or g for g in groups]  # rare `剧本` of `scenarios`: 场景)
    need = named_weight(corpus, groups, lambda _: True)
    # a time is stated for the thing only where its most telling word (of those the plans use) is: `先行区`, not a
    # goal naming 合成生物学; a word of the question's own (`陆续` for the text's `先后`) is no such word
    used = [g for g in groups if any(t in written for t in g)] if asked.unit in (WHEN, HOW_LONG) else []
    key = max(used, key=lambda g: named_weight(corpus, [g], lambda _: True)) if used else None
    tokens, total = quotes.terms(question)
    shapes = quotes.wants(question)
    best: tuple[float, Clause] | None = None
    # the thing as the plans write it, whole (`数字化转型促进中心`): a sentence stating its number names it
    whole = re.sub(r"^[个项家名位座条所批只台套]|[^\w]+$", "", asked.thing) if glosses is None else ""
    whole = whole if len(whole) >= MIN_WHOLE and any(whole in c.text for c in scoped) else ""

    def skip(clause: Clause) -> bool:
        # (a news report's amount counts for money asked by name: `钱塘区…给予1000万元启动资金` is reported news)
        return clause.kind == ClauseKind.NOTICE or (clause.kind == ClauseKind.NEWS and asked.unit not in (MONEY, *ENTITY))

    if (asked.unit in CAUTIOUS or glosses is not None) and not names_thing(corpus, scoped, groups, need, skip):
        return UNJUDGED  # the question's words for the thing are not the plan's: nothing to judge by
    for clause in scoped:
        if skip(clause) or (asked.unit not in ENTITY and not states_number(clause.text, asked.unit)):
            continue
        spans = corpus.sentences(clause.chunk_id)
        notes = clause_notes(clause) if asked.unit == ORG else ""
        for i, (_, a, b) in enumerate(spans):
            sentence = clause.text[a:b]
            before = clause.text[spans[i - 1][1]:spans[i - 1][2]] if i else ""  # (an article may name it there)
            if asked.unit in ENTITY:  # the answer may be in the sentence, the one before, or the clause's note
                if not states_entity(f"{before} {sentence}", asked.unit, thing, places_in, notes):
                    continue
            elif not states_number(sentence, asked.unit):
                continue
            if asked.unit == MONEY:  # an amount is stated where the sentence's parts speak of money, and
                sentence = _money_parts(sentence)  # only those parts, with the two before each, name its thing
                if not sentence:
                    continue
            # the sentence must be about the counted thing (an article may name it in the sentence before)
            words = set(corpus.tokenize(clause.item_title + before + sentence))
            if need and named_weight(corpus, groups, words.__contains__) < THING_SHARE * need \
                    or (key is not None and not key & words) \
                    or (whole and whole not in before + clause.text[a:b]):
                continue
            # … and of the asked year: the years it names, else the last year named before it in the clause
            # (`到2030年,…食品工业产值突破1500亿元` is no answer to `到2027年产值多少`)
            context = set(_YEAR.findall(sentence)) or set(_YEAR.findall(clause.text[:a])[-1:])
            if years and context and not years & context and asked.unit != WHEN:  # (when asks for the year)
                continue
            fit = quotes.fit(sentence, tokens, total, shapes)
            if best is None or fit > best[0]:
                best = (fit, clause)
    return Hit.of(best[1], rank=1, score=round(best[0], 4)) if best else None
