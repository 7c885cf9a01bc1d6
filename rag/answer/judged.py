"""Facts of a plan's body that are not numbers, judged stated or not: who (a body), where (a place), which school,
and whether a plan mentions something at all. `facts.stating_clause` reads them.

A who/where/which-school question is judged only where a plan names the thing asked about in the question's own
words (half of their weight in one sentence, with the sentence before and the item's heading); a paraphrase whose
words the plan does not use is not judged (`UNJUDGED`) and is answered as usual. Stated: a sentence about the
thing that also names a body (or the clause carries a `(责任单位:…)` note), a place or a school besides the thing
itself. Whether a plan mentions something is judged only for support it might give (the measure vocabulary's
instruments, `data/measure_terms.txt`): mentioned when one of that instrument's words is in the plans asked
about. Anything else a yes/no question asks (`可以换成股份吗`) is answered as usual: its words may be a paraphrase.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from ..match.terms import default_terms
from ..search.corpus import CorpusView
from ..text.lexicon import word_bounds
from ..text.patterns import OWNER_LINE
from ..types import Clause, ClauseKind, Hit
from .asked import ORG, PLACE, SCHOOL

THING_SHARE = 0.5  # a sentence is about the thing asked when it names at least half of its words (by weight)


class Unjudged:
    """`stating_clause`'s answer when it cannot tell: the plans never name the thing asked about in the question's
    words (a paraphrase), so whether they state its number, body or place is not judged — answered as usual."""


UNJUDGED = Unjudged()

# what names a body: an administrative body (`市委宣传部`, `省工业和信息化厅`, `国家发展改革委`, `中央网信办`) —
# not a word that merely ends like one (`布局`, `东部`, `机会`, `数据中心`)
_BODY = re.compile(r"[\u4e00-\u9fff]{2,}?(?:部|厅|局|委员会|委|办公室|办|总署|署|政府)")
_NOT_BODY = re.compile(r"(?:布|格|全|大|结|开|当|时|邮|赛|棋|定)局$|[东西南北中内外全底顶头]部$|(?:专家|学术|评审|咨询)委员会$")
# what names a place besides the gazetteer's places: a park or zone, a place relative to the country or city
_ZONE = re.compile(r"[\u4e00-\u9fff]{2,}(?:园区|新区|片区|开发区|高新区|自贸区|产业园|科学城|科技城)")
_HERE = re.compile(r"境内|境外|国内|海外|本市|当地")
_SCHOOL = re.compile(r"[\u4e00-\u9fff]{2,}(?:大学|学院)")


def names_thing(corpus: CorpusView, scoped: Sequence[Clause], groups: Sequence[frozenset[str]], need: float,
                skip: Callable[[Clause], bool]) -> bool:
    """Does some sentence (with the one before it and its item's heading) of these clauses — those the judging
    loop reads (`skip`) — name the thing (`groups`: its words, each a set of alternatives)? With no word of the
    thing left (all name the plan), nothing is judged."""
    if not need:
        return False
    for clause in scoped:
        if skip(clause):
            continue
        spans = corpus.sentences(clause.chunk_id)
        for i, (_, a, b) in enumerate(spans):
            text = clause.item_title + (clause.text[spans[i - 1][1]:spans[i - 1][2]] if i else "") + clause.text[a:b]
            if named_weight(corpus, groups, text.__contains__) >= THING_SHARE * need:
                return True
    return False


def named_weight(corpus: CorpusView, groups: Sequence[frozenset[str]], held: Callable[[str], bool]) -> float:
    """The weight of the thing's words a text names: of each group (a Chinese question's word; the library words
    an English phrase may mean), the heaviest of its words the text holds."""
    return sum(max((corpus.terms.weight(t) for t in g if held(t)), default=0.0) for g in groups)


def states_entity(text: str, kind: str, thing: set[str], places_in: Callable[[str], Sequence[Any]] | None = None,
                  notes: str = "") -> bool:
    """Does `text` name a body, a place or a school — not counting the words of the thing asked about (`组建江苏省元
    宇宙产业发展专家委员会` names no body but the committee asked about)? A body's responsibility note (`notes`,
    the clause's `(责任单位:…)`) names one; `places_in`: the gazetteer's places in a text."""
    if kind == ORG and notes:
        return True
    for word in sorted(thing, key=len, reverse=True):
        if not (kind == PLACE and _HERE.fullmatch(word)):  # `境内用户数据在哪里处理`: `在境内` answers it
            text = text.replace(word, "|")
    if kind == ORG:
        return any(not _NOT_BODY.search(m.group(0)) for m in _BODY.finditer(text))
    if kind == SCHOOL:
        return _SCHOOL.search(text) is not None
    return bool(_ZONE.search(text) or _HERE.search(text) or (places_in is not None and places_in(text)))


def clause_notes(clause: Clause) -> str:
    """The clause's responsibility notes (`(责任单位:市委宣传部)`), read once per clause."""
    return " ".join(OWNER_LINE.findall(clause.text))


def offered(text: str) -> set[str]:
    """The support a yes/no question asks about, as every word of its instruments (`有没有税收优惠` -> 税收优惠 减税
    免税 … 所得税: the measure vocabulary's words for tax relief); empty when it names none."""
    terms = default_terms()
    labels = {span.label for span in terms.spans("instrument", text, word_bounds(text))}
    return {w for label in labels for w in terms.table["instrument"][label] if len(w) > 1}


def mentioning(corpus: CorpusView, plans: Sequence[str], words: set[str]) -> Hit | None:
    """A clause of these plans (not a notice) holding one of the instrument's words, or None when none does
    (`江苏…有没有税收优惠`: no word for tax relief anywhere in the plan). Words are read as the measure vocabulary reads
    them, longest first: `保险` inside `养老保险` (social insurance) is no financing."""
    scoped, terms = corpus.clauses_of(plans), default_terms()
    holding = next((c for c in scoped if c.kind != ClauseKind.NOTICE and any(w in c.text for w in words)
                    and any(s.text in words for s in terms.spans("instrument", c.text))), None)
    return Hit.of(holding, rank=1, score=0.0) if holding is not None else None
