"""A phrase quoted slightly wrong, found by the part the plans hold (rag/answer/quotes.py `nearly_quoted`)."""
from __future__ import annotations

from types import SimpleNamespace

from rag.answer.nearly import nearly_quoted

TEXTS = ["(十一)不得将专家库入库专家作为荣誉称号加以使用和宣传。", "为规范上海市科技专家库的建设和管理,制定本办法。",
         "专家库实行动态管理。"]


def _corpus():
    return SimpleNamespace(clauses_of=lambda _: [SimpleNamespace(text=t) for t in TEXTS],
                           title=lambda _: "上海市科技专家库管理办法")


def test_the_longest_part_the_plans_hold_not_the_plans_title():
    assert nearly_quoted(_corpus(), "上海市科技专家库入库专家", ["p"], 5) == "专家库入库专家"
    assert nearly_quoted(_corpus(), "上海市科技专家库的使用费用", ["p"], 5) is None  # title and one character
    assert nearly_quoted(_corpus(), "专家库入库专家", ["p"], 5) is None  # held whole: nothing to look for
    assert nearly_quoted(_corpus(), "元宇宙+智慧城市", ["p"], 5) is None  # no part held
    assert nearly_quoted(_corpus(), "Key Laboratory", ["p"], 5) is None  # not a Chinese phrase


def test_a_part_too_common_or_too_short_is_no_quote():
    assert nearly_quoted(_corpus(), "专家库动态", ["p"], 5) is None  # 专家库 is under five characters
    common = SimpleNamespace(clauses_of=lambda _: [SimpleNamespace(text="专家库入库专家") for _ in range(6)],
                             title=lambda _: "某办法")
    assert nearly_quoted(common, "上海市科技专家库入库专家", ["p"], 5) is None  # held by more than top_k clauses
