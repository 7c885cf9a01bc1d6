"""The leads an answer's text starts with (rag/answer/compose.py)."""
from __future__ import annotations

from rag.answer.compose import which_one


def test_plans_named_alike_are_listed_and_a_title_two_share_carries_each_ones_plan_id():
    lead = which_one(["甲计划", "乙方案"], english=False, plan_ids=["a-2023", "b-2024"])
    assert "《甲计划》、《乙方案》" in lead and "a-2023" not in lead  # distinct titles need no id
    # one document received twice, under two headers: the two are told apart by their ids
    twice = which_one(["同一意见", "同一意见"], english=False, plan_ids=["c-2023", "c-2024"])
    assert "《同一意见》(c-2023)、《同一意见》(c-2024)" in twice
    assert which_one(["A", "B"], english=True).startswith("The question may mean any of these documents: 《A》、《B》")
