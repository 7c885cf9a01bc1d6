"""The amount a support sentence gives, as written: the comma parts holding it, its cap, rate and period."""
from __future__ import annotations

import re

from .terms import Span

NUM = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)"  # a number as a plan writes it
# an amount as written: a rate, a cap, a sum — a comma part holding a number with a money unit
_AMOUNT = re.compile(rf"\d+(?:\.\d+)?\s*(?:万元|亿元|元|%|％|倍)|{NUM}(?:万元|亿元)")
_CAP = re.compile(r"(?:最高|最多|上限|不超过|不高于|封顶)[^,，;；。]{0,8}?(\d+(?:\.\d+)?)\s*(万元|亿元|元|%|％)")
_RATE = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
_PER = re.compile(r"每(?:年|家|个|项|人|户|次)|/年|年度")
_SUM = re.compile(rf"\d+(?:\.\d+)?\s*(?:万元|亿元|元)|{NUM}(?:万元|亿元)")  # a sum of money (not a bare rate)
_GIVES_MONEY = re.compile(r"给予|支持|奖励|资助|补助|补贴|安排")


def given_sum(sentence: str, amount: Span | None) -> Span | None:
    """`按核定合同金额给予最高30%、最高2000万元支持`, `支持金额最高可至3000万元`: a sum of money given, with no word of an
    instrument — money all the same (资金): the giving word, in the amount's parts or just before them."""
    if amount is None or not _SUM.search(amount.text):
        return None
    m = _GIVES_MONEY.search(sentence, max(0, amount.start - 8), amount.end)
    return Span("资金", m.group(0), m.start(), m.end()) if m else None


def _merged(spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    if not spans:
        return None
    return min(a for a, _ in spans), max(b for _, b in spans)


def read_amount(sentence: str) -> tuple[Span | None, str, str, str]:
    """The comma parts that hold an amount, as one span; and the cap, the rate and the period as written."""
    parts = [(m.start(), m.end()) for m in re.finditer(r"[^,，;；。:：]+", sentence)]
    with_amount = [(a, b) for a, b in parts if _AMOUNT.search(sentence[a:b])]
    where = _merged(with_amount)
    if where is None:
        return None, "", "", ""
    a, b = where
    cap = _CAP.search(sentence)
    rate = _RATE.search(sentence)
    per = _PER.search(sentence[a:b])
    return (Span("amount", sentence[a:b], a, b), f"{cap.group(1)}{cap.group(2)}" if cap else "",
            f"{rate.group(1)}%" if rate else "", per.group(0) if per else "")
