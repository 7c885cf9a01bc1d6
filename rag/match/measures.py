"""Support measures as data: one record per sentence that gives something a company could receive.

Extracted at index time (`measures.jsonl` in the index, verified like every other file) with the words of
`data/measure_terms.txt` and the sentence shapes of `shapes.py`, which are Chinese policy language in general. Every field
keeps its exact span: `start`/`end` are offsets in the clause's text, so a reader can highlight what each
condition, the amount and the responsible unit are.

A measure: a sentence holding an instrument (补助, 奖励, 贴息, 基金, 用地, 认定, 优先 …) and a giving verb or an
amount, outside a plan's goals and principles. Its recipient is who the sentence gives to (`对…的项目`, `支持…企业`);
its conditions are what the sentence requires of that recipient: a qualification (高新技术企业 …), a size
(中小企业), a stage (初创), an age (成立N年内), a selection (入选…; a title it must hold, 重点企业), a threshold
(投资额…以上), a place (落户/注册在…), an attribute rating it (成效突出的), the field it is in, or a bare `符合条件的`.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable

from ..itempath import reported, spoken_preamble
from ..text.lexicon import word_bounds
from ..text.patterns import is_owner_line, owner_names
from ..text.sentences import sentence_spans
from ..types import Clause, ClauseKind, PlanMeta
from . import shapes as sh
from .amounts import given_sum, read_amount
from .terms import Span, Terms

_KINDS = (ClauseKind.ITEM, ClauseKind.HEADING, ClauseKind.COLUMN_ENTRY, ClauseKind.NEWS)


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
    first recipient word after a `支持/鼓励/扶持` before it, else the sentence's first company word; failing all, the
    same from a later money instrument (`…信贷投放力度不减,做好脱贫人口小额信贷工作`: 脱贫人口)."""
    # `政府投资基金`, `企业服务`: a recipient word that names the instrument's owner or kind is not a recipient
    starts = {s.start for s in instruments}
    if not (hits := [h for h in terms.spans("recipient", sentence) if h.end not in starts]):
        return None
    points = [(instruments, amount)] + [([m], None) for m in [i for i in instruments if i.label in terms.money][1:]]
    choice = next((c for ins, amt in points if (c := _head(terms, sentence, ins, amt, hits)) is not None), None)
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
    objects = list(sh.TO_OBJECT.finditer(sentence, 0, point))
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
    for m in reversed(list(sh.SUPPORT_VERB.finditer(sentence, 0, point + 1))):
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
    for m in sh.OFFER.finditer(sentence):
        # the company word heads the phrase (`为实验室评估提供` gives to an evaluation, not to a lab)
        who = [h for h in terms.spans("recipient", m.group(1)) if h.end == len(m.group(1))]
        if who and who[-1].label in terms.company and not sh.DONE.search(sentence, max(0, m.start() - 6), m.start(2)):
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
            if not sh.COUNTED.search(sentence, max(0, h.start - 8), h.start):
                add(section, h.label, h.start, h.end)
    for m in sh.FOUNDED.finditer(sentence):
        add("founded", m.group(0), m.start(), m.end())
    for m in sh.SELECTION.finditer(sentence):
        add("selection", m.group(0), m.start(), m.end())
    for m in sh.THRESHOLD.finditer(sentence):
        add("threshold", m.group(0), m.start(), m.end())
    for m in sh.LOCATION.finditer(sentence):
        if m.end() - m.start() >= 3:
            add("location", m.group(0), m.start(), m.end())
    for m in sh.OTHER.finditer(sentence):
        add("other", m.group(0), m.start(), m.end())
    for kind, a, b in _merits(terms, sentence, recipient):
        add(kind, sentence[a:b], a, b)
    if recipient is not None:
        # the recipient's field: the words right before it (and before a title it must hold), back to a break or condition
        titled = next((c for c in out if c.kind == "selection" and c.end == recipient.end), None)
        a = titled.start if titled else recipient.start
        stop = max([0] + [m.end() for m in sh.FIELD_STOP.finditer(sentence[:a])] + [e for s, e in taken if e <= a])
        # what the plan does is no part of the field (a whole word: not 保障性…)
        while (verb := sh.ACTION.match(sentence[stop:a])) and stop + verb.end() in word_bounds(sentence) \
                and sentence[stop + verb.end()] not in "性型化":
            stop += verb.end()
        words = sentence[stop:a]
        if 2 <= len(words) <= 16 and not sh.BLAND.match(words):
            if titled:
                add("domain", words, stop, a)
            else:
                add("domain", words + recipient.text, stop, recipient.end)
    out.sort(key=lambda c: c.start)
    return out


def _merits(terms: Terms, sentence: str, recipient: Span | None) -> list[tuple[str, int, int]]:
    """What judges a recipient rather than describing it, so the company must confirm it: a title it must hold
    (`重点企业`, `优质企业`: a selection) and an attribute that rates it (`成效突出的`, `有影响力的`, `创新性强、融合性广的`)."""
    out: list[tuple[str, int, int]] = []
    whom = terms.spans("recipient", sentence)
    if recipient is not None:  # the recipient and those listed with it (`科研平台、优质企业、项目`), not what else is named
        whom = [r for r in whom
                if not re.search(r"[,，;；。]", sentence[min(r.end, recipient.end):max(r.start, recipient.start)])]
    titles = terms.table["merit"].get("称号", ())
    for r in whom:
        title = next((t for t in titles if sentence.endswith(t, 0, r.start)), None)
        if title is not None and not sentence.startswith(("库", "名单", "目录", "清单"), r.end):  # (not `重点企业库`)
            out.append(("selection", r.start - len(title), r.end))
    rated = terms.table["merit"].get("评价", ())
    for m in re.finditer("的", sentence):
        if not any(m.end() <= r.start <= m.end() + 12 and not re.search(r"[,，;；。]", sentence[m.end():r.start])
                   for r in whom):
            continue  # not a recipient's attribute
        a = max([x.end() for x in sh.ATTRIBUTE_START.finditer(sentence, 0, m.start())], default=0)
        if 2 <= m.start() - a <= 24 and any(w in sentence[a:m.start()] for w in rated):
            out.append(("other", a, m.start()))
    return out


def measures_of(clause: Clause, terms: Terms, places: dict[int, list[dict[str, str]]] | None = None,
                jurisdiction: list[dict[str, str]] | None = None) -> list[SupportMeasure]:
    """The support measures of one clause. `places`: for a news paragraph or a transcript's answer, sentence start
    -> the places its sentences are about."""
    text = clause.text
    owner = owner_names(text)
    unit = Span("unit", text[owner[0]:owner[1]], *owner) if owner else None
    out = []
    spans = sentence_spans(text)
    for a, b in spans:
        sentence = text[a:b]
        if is_owner_line(sentence) or len(sentence) < 6 or sh.QUESTION.search(sentence) or sh.IN_PLACE.search(sentence):
            continue
        instruments = terms.spans("instrument", sentence)
        if instruments:  # (word boundaries only where they can matter)
            bounds = word_bounds(sentence)
            instruments = [s for s in instruments if s.start in bounds  # `用地` is not in `农用地`, `券` not in `证券`
                           and not sh.EARNED.search(sentence, max(0, s.start - 4), s.start)
                           and not sh.NOT_GIVEN.match(sentence, s.end)]
        if (offered := None if instruments else _offer(terms, sentence)) is not None:
            instruments = [offered[0]]
        amount, cap, rate, per = read_amount(sentence)
        given = None if instruments else given_sum(sentence, amount)
        if given is not None and not sh.DONE.search(sentence, 0, given.start):  # (not `累计支持…亿元`)
            instruments = [given]
        if not instruments:
            continue
        giving = terms.spans("giving", sentence)
        if sh.CRITERIA.search(sentence) and amount is None and \
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
    # a list item's head (`一是降低融资成本。`) before a measure (past an owner line) only heads it; alone it gives
    starts = {m.start for m in out}
    heads = {m.start for m in out if sh.LIST_HEAD.match(m.sentence)}
    nxt = {a: next((c for c, d in spans[i + 1:] if not is_owner_line(text[c:d])), -1) for i, (a, _) in enumerate(spans)
           if a in heads}
    return [m for m in out if not (m.start in heads and nxt[m.start] in starts - heads)]


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
        if (clause.kind not in _KINDS and not spoken_preamble(clause)) or clause.chunk_id in twins:
            continue
        if any(sh.NOT_MEASURE.search(h) and not sh.GIVES.search(h) for h in (clause.item_title, *clause.parents)):
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
                inside = [] if sh.QUESTION.search(said) else [p for p in juris.places_in(said) if own.code in p.parents]
                if inside:
                    current = [{"code": p.code, "name": gaz.full_name(p)} for p in inside]
                elif sh.OWN_PLACE.search(said):
                    current = region
                places[a] = current
        out.extend(measures_of(clause, terms, places, region))
    return out
