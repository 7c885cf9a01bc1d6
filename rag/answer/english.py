"""The number an English question asks for (`how many …`, `how much funding`, `what percentage`, `by when`): the
same kinds as a Chinese question's (`asked.asked_number`), with its thing in English. `facts.stating_clause`
reads that thing through the dictionary (`text.bridge`): each English phrase is one group of the library words it
may mean, and a sentence names the phrase when it holds one of them. The clause stating the number then answers
first. An English question is never said to be unstated: read through a dictionary's senses, that was said of 5
of 36 stated numbers (`eval/unseen/dev_english_numbers.jsonl`)."""
from __future__ import annotations

import re

from ..text.bridge import content_words
from .asked import ASKS_EFFECTIVE, COUNT, HOW_LONG, MONEY, WHEN, AskedNumber

_MONEY_WORDS = (r"(?:funding|funds?|money|subsid(?:y|ies)|grants?|rewards?|awards?|capital|investments?|budgets?|"
                r"fees?|costs?|prices?|yuan|financing|loans?|bonus(?:es)?|compensation|allowances?)")
_MONEY = re.compile(rf"\b{_MONEY_WORDS}\b|\bsupport\b", re.I)
_AUX_WORDS = r"(?:does|do|did|will|would|is|are|was|were|must|should|can|could|has|have|had)"
_AUX = re.compile(rf"\b(?:{_AUX_WORDS}|in|under|for|to)\b|[,?;]", re.I)  # where the asked thing ends

_IN_FORCE = re.compile(r"\b(?:effective|in force|implemented|valid)\b", re.I)  # when a document applies: its fact

_EN_ASKED = (  # (first match wins: `how many years` is a length of time, `how much … square kilometres` an area)
    (re.compile(r"\b(?:what|which) (?:percentage|share|proportion|ratio)\b|\bby what percent(?:age)?\b|"
                r"\bhow many percent", re.I), "比例"),
    (re.compile(r"\bhow (?:much|big|large)\b[^?.;]{0,60}?\b(?:square kilomet(?:re|er)s?|km2|km²)|"
                r"\bhow many (?:square kilomet(?:re|er)s?|km2|km²)", re.I), "平方公里"),
    (re.compile(r"\bhow long\b|\bhow many (?:years|months|days|weeks)\b", re.I), HOW_LONG),
    # (`how much` asks money only of money: `how much … apartment space` is no amount of it)
    (re.compile(rf"\bhow much\b(?=(?:\W+(?!{_AUX_WORDS}\b)[a-z&-]+){{0,4}}?\W+{_MONEY_WORDS}\b)|"
                rf"\bwhat (?:minimum |maximum |total )?(?:amount|sum|registered capital|budget)\b|\bhow many yuan\b", re.I),
     MONEY),
    (re.compile(r"\bby when\b|\bby what (?:date|deadline|year|time)\b|\bwhat (?:date|deadline)\b|\bin what year\b|"
                r"\bwhen (?:will|must|should|is|are)\b", re.I), WHEN),
    (re.compile(r"\bhow many\b|\bwhat (?:is |are )?(?:the )?(?:minimum |maximum |total |required )?number of\b|"
                r"\btargets? (?:for|of) the number of\b", re.I), COUNT),
    # a target asked by name (`what satellite user target does … set for 2030`): a number, of what the words before it
    # name (not `what industries does the plan target`, `what targeted support`, `what is the target date`)
    (re.compile(r"\bwhat\b(?P<thing>(?:(?!\b(?:does|do|did|is|are|was|were|will|would)\b)[^?.;]){0,60}?)\btargets?\b"
                r"(?!\s+(?:dates?|years?|deadlines?|groups?)\b)", re.I), COUNT),
)


def asked_english(question: str) -> AskedNumber | None:
    """(unit, what it is asked of) for an English question asking a number, a time or a length of time; None for
    any other question, and for when a document takes effect (a document fact)."""
    if ASKS_EFFECTIVE.search(question) or _IN_FORCE.search(question):
        return None
    for pattern, unit in _EN_ASKED:
        if (m := pattern.search(question)) is not None:
            # the thing: the words right after the asking ones (`how many 5G base stations` does …), else the
            # question's other words (`by what percentage does … raise the minimum wage`)
            # (money's own words name no thing: `how much funding` asks the amount of whatever the rest names)
            drop = _MONEY if unit == MONEY else None
            before = _AUX.split(m.groupdict().get("thing") or "", maxsplit=1)[0]  # (a target's: `what user target`)
            head = _without(f"{before} {_AUX.split(question[m.end():], maxsplit=1)[0]}", drop)
            rest = head if content_words(head) else _without(f"{question[:m.start()]} {question[m.end():]}", drop)
            return AskedNumber(unit, " ".join(rest.split()).strip(" ?"))
    return None


def _without(text: str, words: re.Pattern[str] | None) -> str:
    return words.sub(" ", text) if words is not None else text
