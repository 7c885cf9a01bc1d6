"""The number an English question asks for (rag/answer/english.py)."""
from __future__ import annotations

from rag.answer.asked import COUNT, HOW_LONG, MONEY, WHEN
from rag.answer.english import asked_english


def test_the_kind_asked_and_the_thing_it_is_asked_of():
    many = asked_english("How many 5G base stations does the digital economy plan target by 2025?")
    assert many is not None and many.unit == COUNT and many.thing == "5G base stations"
    money = asked_english("How much municipal funding does a new key laboratory receive?")
    assert money is not None and money.unit == MONEY and money.thing == "municipal"  # (money's words name no thing)
    platform = asked_english("How much funding can a newly built platform receive at most?")
    assert platform is not None and platform.thing == "can a newly built platform receive at most"
    assert asked_english("How long a transition period do existing providers get?").unit == HOW_LONG
    assert asked_english("How many years may a platform keep the title?").unit == HOW_LONG
    assert asked_english("By what deadline must the measures be issued?").unit == WHEN
    area = asked_english("How large, in square kilometres, is the Nutrition and Health Valley?")
    assert area is not None and area.unit == "平方公里" and "Nutrition and Health Valley" in area.thing
    share = asked_english("By what percentage does the outline plan to raise the minimum wage?")
    assert share is not None and share.unit == "比例" and "minimum wage" in share.thing
    staff = asked_english("What is the minimum number of permanent staff a new key lab must have?")
    assert staff is not None and staff.unit == COUNT and staff.thing == "permanent staff a new key lab"
    target = asked_english("What subscriber target for satellite communications does the guidance set for 2030?")
    assert target is not None and target.unit == COUNT and target.thing == "subscriber"  # (a target: a number)
    for verb in ("What industries does the plan target?", "What targeted support does the plan give?",
                 "What is the target date for completion?", "How does the plan reduce the number of approvals?"):
        assert asked_english(verb) is None, verb  # (a target as a verb, an adjective, a date; a number reduced)


def test_questions_asking_no_number_of_money_are_not_judged():
    assert asked_english("How much low-rent youth apartment space does Pudong plan to provide?") is None  # no money
    assert asked_english("How much does the plan say about data security?") is None
    assert asked_english("What support does the plan give to SMEs?") is None
    assert asked_english("When does the regulation take effect?") is None  # a document fact


def test_a_minimum_or_a_floor_area_asks_for_a_number():
    from rag.answer.intent import NUMBER, QUANTITY

    assert QUANTITY.search("the minimum lab floor area required") and QUANTITY.search("the maximum term of office")
    assert NUMBER.search("面积须在一千平方米以上") and NUMBER.search("固定人员须在四十人以上")
