"""Support measures as data: one record per sentence that gives something a company could receive.

Extracted at index time (`measures.jsonl` in the index, verified like every other file) with the words of
`data/measure_terms.txt` and the sentence shapes below, which are Chinese policy language in general. Every field
keeps its exact span: `start`/`end` are offsets in the clause's text, so a reader can highlight what each
condition, the amount and the responsible unit are.

A measure: a sentence holding an instrument (补助, 奖励, 贴息, 基金, 用地, 认定, 优先 …) and a giving verb or an
amount, outside a plan's goals and principles. Its recipient is who the sentence gives to (`对…的项目`, `支持…企业`);
its conditions are what the sentence requires of that recipient: a qualification (高新技术企业 …), a size
(中小企业), a stage (初创), an age (成立N年内), a selection (入选…), a threshold (投资额…以上), a place
(落户/注册在…), the field it is in, or a bare `符合条件的`.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable

from ..itempath import reported
from ..text.lexicon import word_bounds
from ..text.patterns import is_owner_line, owner_names
from ..text.sentences import sentence_spans
from ..types import Clause, ClauseKind, PlanMeta
from .amounts import NUM as _NUM
from .amounts import given_sum, read_amount
from .terms import Span, Terms

_KINDS = (ClauseKind.ITEM, ClauseKind.HEADING, ClauseKind.COLUMN_ENTRY, ClauseKind.NEWS)
# headings whose clauses state goals, principles, the plan's thinking, or its background and past results: nothing
# is given there
_NOT_MEASURE = re.compile(r"目标|指导思想|基本原则|发展思路|总体思路|发展定位|背景(?!下)|发展现状|面临的?形势|发展形势|形势分析|"
                          r"取得.{0,4}成[效就]|主要成就")
_GIVES = re.compile(r"给予|奖励|补贴|补助|资助|支持")  # (`对取得重大科技成就的团队给予奖励` is a measure's heading)
_MONEY_UNIT = r"(?:万元|亿元|元|%|％|倍|万|个百分点)"
# conditions: each a span of the sentence
_SELECTION = re.compile(r"(?:首次|初次|新|当年|已|经)?(?:入选|获评|获批|获得|列入|纳入|认定为|通过认定|被认定为|评为|"
                        r"被评为|获认定|取得|承担|牵头承担)[^,，;；。的]{2,30}?(?=的|后|,|，)")
_THRESHOLD = re.compile(rf"(?:总投资|投资额|固定资产投资|设备投资|营业收入|营收|主营业务收入|产值|销售额|销售收入|"
                        rf"合同金额|交易额|研发投入|研发费用|纳税|融资额|估值|增长|年收入)[^,，;；。]{{0,16}}?"
                        rf"(?:{_NUM}\s*{_MONEY_UNIT})(?:以上|及以上|以内|以下)"
                        rf"|(?:达到|超过|不低于|不少于){_NUM}\s*{_MONEY_UNIT}(?:以上)?")
_FOUNDED = re.compile(rf"(?:成立|注册|设立|创办)(?:时间)?(?:不满|不超过|未满|不足|在)?{_NUM}年(?:以内|以下|内)?")
_LOCATION = re.compile(r"(?:新)?(?:落户|注册(?:在|于)|迁入|设立在|设在|位于|在本市注册|在本区注册)[^,，;；。的]{0,12}")
_OTHER = re.compile(r"符合(?:条件|要求|规定|标准)的?|经(?:认定|评审|审核|评估)的?|按(?:照)?(?:有关|相关)?规定")
# `为…企业提供…`, `向企业用户开放`: a service or a resource given to whom the words between name, with no instrument word
_OFFER = re.compile(r"(?<![认作成因行称视以])(?:为|向|面向)([^,，;；。]{1,24}?)[,，]?(?:免费|无偿|优先|定期|按需)?"
                    r"(提供|开放)(?!了)")
# … not a report of what was done (`累计为200余家企业提供…`, `已向…开放`)
_DONE = re.compile(r"已|已经|累计|共|先后|曾")
# not promises: a question (a 问答's interviewer), and eligibility criteria (`专家应当具有…`, `具有…的资金;`)
_QUESTION = re.compile(r"[?？]\s*$")
_OWN_PLACE = re.compile(r"本市|全市|我市|本省|全省|我省")  # a city's or province's own place, named as such
_CRITERIA = re.compile(r"^(?:[(（]?[一二三四五六七八九十\d]+[)）、.]\s*)?(?:具有|具备)|应当?(?:具有|具备|是)|须具备|需具备")
# a number of firms before a qualification or size word
_COUNTED = re.compile(rf"{_NUM}\s*(?:多|余)?(?:家|个|户)[^,，;；。]{{0,4}}$")
# an award or a fund obtained or judged elsewhere (`获得科技奖励`, `申报奖励`, `奖励评审`) is not what the plan gives
_EARNED = re.compile(r"(?<!可)(?<!可以)(?:获得|获|申报|申请)")  # (`可申请贷款贴息` is the plan's promise)
_JUDGED = re.compile(r"评审|评选|评价")
# `对…的X给予`, `为X提供`: where the recipient sits; `支持X`, `鼓励X`: the recipient follows
_TO_OBJECT = re.compile(r"对(?!于|接|标|外|照)|向(?!着)|为(?!了|主|核心|重点|引领|导向|支撑|抓手)")
_SUPPORT_VERB = re.compile(r"支持|鼓励|扶持|引导|推动|帮助")
# a verb phrase before a recipient (`推动各类金融机构`) is what the plan does, not the recipient's field
_ACTION = re.compile(r"^(?:推动|加快|健全|完善|加大|创新|支持|鼓励|引导|推进|建设|打造|培育|发展|提升|强化|实施|开展|组织|"
                     r"引进|吸引|服务|面向|围绕|依托|联合|促进|带动|做好|落实|统筹|发挥|用好|制定|出台|探索|建立|构建)")
# words before a recipient that say nothing of its field
_BLAND = re.compile(r"^(?:相关|重点|优质|优秀|各类|本地|本市|本区|我市|我省|全市|全省|有关|符合条件|一批|骨干|新|其他|"
                    r"各|这些|该|此类|上述|以上|首次|初次|当年|新增|新认定|认定|获批|市级|省级|国家级|区级|[的等和与及、])+$")


@dataclass(frozen=True)
class Condition:
    kind: str  # qualification | size | stage | founded | selection | threshold | location | domain | other
    label: str  # qualification/size/stage label, a place, the years, or the text itself
    text: str
    start: int
    end: int


@dataclass
class SupportMeasure:
    """One support sentence as data; spans are offsets in the clause's text."""

    measure_id: str
    chunk_id: str
    plan_id: str
    item_path: str
    item_title: str
    source: str  # "plan" | "news"
    start: int
    end: int
    sentence: str
    types: list[Span]
    money: bool
    recipient: Span | None
    conditions: list[Condition]
    amount: Span | None
    cap: str = ""  # the cap as written with its unit: `100万元`
    rate: str = ""  # `10%`
    per: str = ""  # `每年`
    unit: Span | None = None  # the responsible unit the clause names
    jurisdiction: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "SupportMeasure":
        d = dict(d)
        d["types"] = [Span(**s) for s in d["types"]]
        d["recipient"] = Span(**d["recipient"]) if d["recipient"] else None
        d["conditions"] = [Condition(**c) for c in d["conditions"]]
        d["amount"] = Span(**d["amount"]) if d["amount"] else None
        d["unit"] = Span(**d["unit"]) if d["unit"] else None
        return cls(**d)


def _recipient(terms: Terms, sentence: str, instruments: list[Span], amount: Span | None) -> Span | None:
    """Who the sentence gives to. The giving point is the first money instrument or amount (else the first
    instrument); the recipient is the head word (the last recipient word) of `对/向/为…` nearest before it, else the
    first recipient word after a `支持/鼓励/扶持` before it, else the sentence's first company word."""
    # `政府投资基金`, `企业服务`: a recipient word that names the instrument's owner or kind is not a recipient
    starts = {s.start for s in instruments}
    hits = [h for h in terms.spans("recipient", sentence) if h.end not in starts]
    if not hits:
        return None
    choice = _head(terms, sentence, instruments, amount, hits)
    if choice is not None and choice.label not in terms.company:
        # `对接高校、创业企业等`: an enumeration naming a company too is open to companies
        near = [h for h in hits if h.label in terms.company and abs(h.start - choice.end) <= 12
                and not re.search(r"[,，;；。]", sentence[min(h.end, choice.end):max(h.start, choice.start)])]
        if near:
            return near[0]
    return choice


def _head(terms: Terms, sentence: str, instruments: list[Span], amount: Span | None, hits: list[Span]) -> Span | None:
    money = [s.start for s in instruments if s.label in terms.money] + ([amount.start] if amount else [])
    point = min(money) if money else instruments[0].start
    objects = list(_TO_OBJECT.finditer(sentence, 0, point))
    for m in reversed(objects):
        inside = [h for h in hits if h.start >= m.end() and h.end <= point]
        # stop at the comma part's end: `对A,按B给予` keeps A
        brk = re.search(r"[,，;；]", sentence[m.end():point])
        limit = m.end() + brk.start() if brk else point
        inside = [h for h in inside if h.end <= limit] or inside
        if inside:
            return inside[-1]
    if objects and not re.search(r"[,，;；]", sentence[objects[-1].end():point]):
        return None  # `鼓励地方对设施农业建设给予信贷贴息`: given to what `对` names (no recipient word), not to 地方
    for m in reversed(list(_SUPPORT_VERB.finditer(sentence, 0, point + 1))):
        after = [h for h in hits if h.start >= m.end() and h.start - m.end() <= 20]
        if after:
            return after[0]
    company = [h for h in hits if h.label in terms.company]
    # a word of another comma part that no company can be (`…补贴政策,地方要履行法定支出责任`) is not who receives
    part = [h for h in hits if not re.search(r"[,，;；]", sentence[min(h.end, point):max(h.start, point)])]
    return (company or part)[0] if company or part else None


def _offer(terms: Terms, sentence: str) -> tuple[Span, Span] | None:
    """`为科技服务业企业提供…`, `向企业用户开放…`: (the verb as a 服务 instrument, the company word it names).
    Not `提供了` (a report of what was done)."""
    for m in _OFFER.finditer(sentence):
        # the company word heads the phrase (`为实验室评估提供` gives to an evaluation, not to a lab)
        who = [h for h in terms.spans("recipient", m.group(1)) if h.end == len(m.group(1))]
        if who and who[-1].label in terms.company and not _DONE.search(sentence, max(0, m.start() - 6), m.start(2)):
            return Span("服务", m.group(2), m.start(2), m.end(2)), who[-1].moved(m.start(1))
    return None


def read_conditions(terms: Terms, sentence: str, recipient: Span | None) -> list[Condition]:
    """What the sentence requires of its recipient, each with its span."""
    out: list[Condition] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, label: str, a: int, b: int) -> None:
        if any(a < e and b > s for s, e in taken):
            return
        taken.append((a, b))
        out.append(Condition(kind, label, sentence[a:b], a, b))

    for section in ("qualification", "size", "stage"):
        for h in terms.spans(section, sentence):
            # `惠及200多家科技型中小企业`, `培育100家专精特新企业`: firms counted, not a requirement
            if not _COUNTED.search(sentence, max(0, h.start - 8), h.start):
                add(section, h.label, h.start, h.end)
    for m in _FOUNDED.finditer(sentence):
        add("founded", m.group(0), m.start(), m.end())
    for m in _SELECTION.finditer(sentence):
        add("selection", m.group(0), m.start(), m.end())
    for m in _THRESHOLD.finditer(sentence):
        add("threshold", m.group(0), m.start(), m.end())
    for m in _LOCATION.finditer(sentence):
        if m.end() - m.start() >= 3:
            add("location", m.group(0), m.start(), m.end())
    for m in _OTHER.finditer(sentence):
        add("other", m.group(0), m.start(), m.end())
    if recipient is not None:
        # the recipient's field: the words right before it, back to a break or a condition
        a = recipient.start
        stop = max([0] + [m.end() for m in re.finditer(r"[,，;；。、:：(（)）“”《》]|对|为|向|支持|鼓励|扶持|的", sentence[:a])]
                   + [e for s, e in taken if e <= a])
        words = sentence[stop:a]
        if 2 <= len(words) <= 16 and not _BLAND.match(words) and not _ACTION.match(words):
            add("domain", words + recipient.text, stop, recipient.end)
    out.sort(key=lambda c: c.start)
    return out


def measures_of(clause: Clause, terms: Terms, places: dict[int, list[dict[str, str]]] | None = None,
                jurisdiction: list[dict[str, str]] | None = None) -> list[SupportMeasure]:
    """The support measures of one clause. `places`: for a news paragraph or a transcript's answer, sentence start
    -> the places its sentences are about."""
    text = clause.text
    owner = owner_names(text)
    unit = Span("unit", text[owner[0]:owner[1]], *owner) if owner else None
    out = []
    for a, b in sentence_spans(text):
        sentence = text[a:b]
        if is_owner_line(sentence) or len(sentence) < 6 or _QUESTION.search(sentence):
            continue
        instruments = terms.spans("instrument", sentence)
        if instruments:  # (word boundaries only where they can matter)
            bounds = word_bounds(sentence)
            instruments = [s for s in instruments if s.start in bounds  # `用地` is not in `农用地`, `券` not in `证券`
                           and not _EARNED.search(sentence, max(0, s.start - 4), s.start)
                           and not _JUDGED.match(sentence, s.end)]
        offered = None if instruments else _offer(terms, sentence)
        if offered is not None:
            instruments = [offered[0]]
        amount, cap, rate, per = read_amount(sentence)
        given = None if instruments else given_sum(sentence, amount)
        if given is not None and not _DONE.search(sentence, 0, given.start):  # (not `累计支持…亿元`)
            instruments = [given]
        if not instruments:
            continue
        giving = terms.spans("giving", sentence)
        if _CRITERIA.search(sentence) and amount is None and \
                all(any(g.start < i.end and g.end > i.start for i in instruments) for g in giving):
            continue  # eligibility criteria, nothing given in the sentence (`获得…奖励` names an award, gives none)
        recipient = offered[1] if offered is not None else _recipient(terms, sentence, instruments, amount)
        strong = any(s.label in terms.table["strong"] for s in instruments)
        if offered is None and not strong and not ((giving or amount) and recipient is not None
                                                   and recipient.label in terms.company):
            continue  # `打造…平台`, `推动…试点示范`: a task, not something given
        conditions = read_conditions(terms, sentence, recipient)
        where = (places or {}).get(a, jurisdiction or [])
        digest = hashlib.sha256(f"{clause.chunk_id}\x1f{a}".encode()).hexdigest()[:12]
        out.append(SupportMeasure(
            measure_id=digest, chunk_id=clause.chunk_id, plan_id=clause.plan_id, item_path=clause.item_path,
            item_title=clause.item_title, source="news" if clause.kind == ClauseKind.NEWS else "plan",
            start=a, end=b, sentence=sentence,
            types=[s.moved(a) for s in instruments],
            money=any(s.label in terms.money for s in instruments) or (amount is not None and bool(giving)),
            recipient=recipient.moved(a) if recipient else None,
            conditions=[Condition(c.kind, c.label, c.text, c.start + a, c.end + a) for c in conditions],
            amount=amount.moved(a) if amount else None, cap=cap, rate=rate, per=per, unit=unit,
            jurisdiction=list(where)))
    return out


def extract_library(clauses: Iterable[Clause], plans: dict[str, PlanMeta], terms: Terms,
                    twins: dict[str, str],
                    kept: Callable[[Clause], list[SupportMeasure] | None] | None = None) -> list[SupportMeasure]:
    """Every support measure of the library, each placed in its plan's region (full name) or, when `reported`, in the
    places its sentences name inside that region. `kept`: a clause's measures as an earlier build extracted them,
    when they are sure to be the same (rag/indexing/reuse.py)."""
    from ..regions import Jurisdictions

    juris = Jurisdictions(plans.values())
    gaz = juris.gazetteer
    regions = {pid: [{"code": place.code, "name": gaz.full_name(place)}] for pid, place in juris.plan_place.items()}
    out: list[SupportMeasure] = []
    for clause in clauses:
        if clause.kind not in _KINDS or clause.chunk_id in twins:
            continue
        if any(_NOT_MEASURE.search(h) and not _GIVES.search(h) for h in (clause.item_title, *clause.parents)):
            continue
        earlier = kept(clause) if kept is not None else None
        if earlier is not None:
            out.extend(earlier)
            continue
        region = regions.get(clause.plan_id, [])
        places = None
        own = juris.plan_place.get(clause.plan_id)
        if reported(clause) and own is not None and own.level >= 0:
            # each sentence is of the place it (or one before it) names; a question places nothing, `本市` is the region
            places, current = {}, region
            for a, b in sentence_spans(clause.text):
                said = clause.text[a:b]
                inside = [] if _QUESTION.search(said) else [p for p in juris.places_in(said) if own.code in p.parents]
                if inside:
                    current = [{"code": p.code, "name": gaz.full_name(p)} for p in inside]
                elif _OWN_PLACE.search(said):
                    current = region
                places[a] = current
        out.extend(measures_of(clause, terms, places, region))
    return out
