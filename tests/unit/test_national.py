"""A library past the seed five: a national plan (全国) applies in every region, marked as national; a new
region's plan makes that region covered. Built with the fake encoder: nothing here depends on the model."""
from __future__ import annotations

import numpy as np
import pytest
from support import CALIBRATION, PROJECT_ROOT

from rag.answer.answerer import Answerer
from rag.answer.scope import Calibration
from rag.match.profile import Profile
from rag.match.result import Applicability
from rag.search.corpus import CorpusView
from rag.types import NoAnswer

MORE = PROJECT_ROOT / "tests" / "data" / "corpus-more"
SATCOM = "china-satcom-2025"


@pytest.fixture(scope="session")
def mixed(tmp_path_factory) -> Answerer:
    from conftest import seed_and

    # the satcom opinion's region is found in its text (a ministry -> 全国); the food plan's id and region are derived
    # (shanghai-2026, 上海市)
    retriever = seed_and(tmp_path_factory.mktemp("mixed"), [(MORE / f"{SATCOM}.txt", SATCOM),
                                                            (MORE / "shanghai-food-2026.txt", None)])
    return Answerer(retriever, CorpusView(retriever.index), Calibration.load(CALIBRATION))


def test_a_national_plan_covers_every_place(mixed):
    assert mixed.corpus.plans[SATCOM].region.name == "全国"
    assert mixed.corpus.plans["shanghai-2026"].region.name == "上海市"
    hangzhou = mixed.places.places_in("杭州")[0]
    cover = mixed.jurisdictions.coverage(hangzhou)
    assert set(cover.covering) == {"zhejiang-2023", SATCOM}
    assert "全国" in mixed.places.covered_regions() and "上海市" in mixed.places.covered_regions()


def test_a_place_question_may_be_answered_from_a_national_plan_marked_as_such(mixed):
    answer = mixed.answer("杭州的卫星通信企业能获得哪些支持?")
    assert not answer.no_answer and answer.citations[0].plan_id == SATCOM
    assert answer.answer.startswith("(全国性文件)《工业和信息化部关于优化业务准入促进卫星通信产业发展的指导意见》")
    plain = mixed.answer("卫星通信业务准入有哪些新的开放措施?")  # no place named: no mark needed
    assert plain.citations[0].plan_id == SATCOM and "(全国性文件)" not in plain.answer


def test_a_region_with_a_new_plan_is_no_longer_refused(mixed):
    answer = mixed.answer("上海对食品科技创新有什么支持?")
    assert not answer.no_answer and answer.citations[0].plan_id == "shanghai-2026"
    assert {c.plan_id for c in answer.citations} <= {"shanghai-2026", SATCOM}
    # a place with no local plan: only national documents speak for it, and the answer says so
    national_only = mixed.answer("广州对卫星通信企业有什么支持?")
    assert {c.plan_id for c in national_only.citations} == {SATCOM}
    assert national_only.answer.endswith("(本库没有广东省广州市的地方计划,以上引自全国性文件。)")


def test_a_company_anywhere_gets_the_national_measures_and_never_another_regions(mixed):
    result = mixed.matcher.match(Profile.parse("杭州市", "卫星通信 终端", "小型", ""))
    national = [m for m in result.measures if m.plan_id == SATCOM]
    assert national and all(m.national and m.region_met for m in national)
    assert all(any(c.kind == "region" and "国家级" in c.reason for c in m.checks) for m in national)
    local = [m for m in result.measures if m.plan_id == "shanghai-2026"]
    assert local and all(m.applicability == Applicability.NOT and not m.region_met for m in local)


def test_a_plan_named_by_its_topic_restricts_the_answer_to_it(mixed):
    """Two plans cover 上海 here; the question names one by its topic."""
    answer = mixed.answer("上海食品科技方案对新食品原料研发有什么支持?")
    assert answer.citations and {c.plan_id for c in answer.citations} == {"shanghai-2026"}
    off = Answerer(mixed.retriever, mixed.corpus, mixed.scope.calibration, resolve_plans=False)
    assert off.answer("食品科技方案对新食品原料研发有什么支持?").citations  # the ablation still answers


def test_a_number_the_plan_does_not_state_is_said_to_be_unstated(mixed):
    answer = mixed.answer("上海食品科技方案对获批新食品原料的企业一次性奖励多少万元?")
    assert answer.no_answer and answer.reason == NoAnswer.NOT_STATED
    assert answer.answer.startswith("《上海市加快食品科技创新赋能产业发展行动方案(2026—2030年)》未载明所问的金额")
    assert answer.citations and answer.citations[0].plan_id == "shanghai-2026"  # the closest clause, as context


def test_a_count_question_is_answered_by_the_sentence_that_states_the_count(mixed):
    answer = mixed.answer("四川要建设多少个元宇宙典型应用场景?")  # 专栏 entries say 应用场景 more often
    first = answer.citations[0]
    assert (first.plan_id, first.item_path) == ("sichuan-2023", "一、(二)") and "200个" in first.quote
    assert not mixed.answer("永川每年培育引进多少元宇宙相关人才?").no_answer  # `多少元宇宙`: 元 is no unit here


def test_a_place_its_plans_do_not_govern_is_searched_for_not_stripped(mixed):
    """`上海` chose Shanghai's plan and is left out of the search; `杭州`, asked of a national plan (or of
    Shanghai's), is part of what is asked and stays."""
    places = mixed.places
    shanghai, hangzhou = places.places_in("上海")[0], places.places_in("杭州")[0]
    assert places.governed(shanghai, ["shanghai-2026"]) and not places.governed(shanghai, [SATCOM])
    assert not places.governed(hangzhou, ["shanghai-2026", SATCOM])
    text = "上海和杭州的卫星通信企业"
    both = places.places_in(text)
    assert places.topic(text, both) == "和的卫星通信企业"  # (no plans given: every place is the filter)
    assert places.topic(text, both, ["shanghai-2026"]) == "和杭州的卫星通信企业"
    assert places.topic(text, both, [SATCOM]) == text
    assert places.topic("上海", [shanghai], ["shanghai-2026"]) == "上海"  # nothing else: the whole question
    # a place answered by a plan of a part of it chose that plan too (`重庆市…` by 永川区's plan)
    chongqing = places.places_in("重庆市")[0]
    assert places.governed(chongqing, ["yongchuan-2023"]) and not places.governed(chongqing, [SATCOM])
    assert places.topic("重庆市在元宇宙方面有什么规划?", [chongqing], ["yongchuan-2023"]) == "在元宇宙方面有什么规划?"


def test_each_question_of_a_two_question_message_gets_its_sentence(mixed):
    from rag.answer.parts import part_answers, parts

    texts = lambda message: [p.text for p in parts(message)]  # noqa: E731
    assert texts("专用号段怎么规划?手机终端要创新什么模式?") == ["专用号段怎么规划", "手机终端要创新什么模式"]
    assert parts("专用号段怎么规划?") == [] and parts("What is planned? 号段 规划") == []  # one question each
    clause = next(c for c in mixed.corpus.clauses_of([SATCOM]) if c.item_path == "五、(十)")
    first = next(s for s in clause.text.split("。") if "专用号段" in s) + "。"
    found = part_answers(mixed.quotes, clause, parts("卫星通信专用号段怎么规划?手机终端要创新什么模式?"), (first,), SATCOM)
    assert len(found) == 1 and "不换卡不换号" in found[0] and found[0] in clause.text
    assert part_answers(mixed.quotes, clause, parts("卫星通信专用号段怎么规划?"), (first,), SATCOM) == ()
    assert texts("专用号段怎么规划?手机终端有哪些模式?请详细说明一下") == ["专用号段怎么规划", "手机终端有哪些模式"]
    # a number alone answers no question (`预计要达到多少?` holding none of a sentence's words)
    other = next(c for c in mixed.corpus.clauses_of([SATCOM]) if c.item_path == "四、(八)")
    assert part_answers(mixed.quotes, other, parts("专用号段怎么规划?预计要达到多少?"), (), SATCOM) == ()


def test_each_question_of_an_english_message_gets_its_sentence_by_its_meaning(mixed):
    """An English message's questions, split at `?` and at `, and what|how…` (a comma normalised has no space after
    it); each is answered by the sentence its meaning picks when it shares a word with it: the bridged words are
    too few and loose to fit as well as a Chinese question's own words must."""
    from rag.answer.parts import Part, english_parts, part_answers
    from rag.text.normalize import normalize_text

    made: list[list[str]] = []
    found = english_parts(normalize_text("How is the numbering planned, and what mode must handsets adopt?"),
                          lambda p: f"[{p}]", lambda ps: made.append(ps) or np.zeros((len(ps), 4)))
    assert [(p.words, p.text) for p in found] == [("[How is the numbering planned]", "How is the numbering planned"),
                                                  ("[what mode must handsets adopt]", "what mode must handsets adopt")]
    assert made == [[p.text for p in found]]  # (each embedded once, in one call)
    assert all(p.vector is not None and p.vector.shape == (1, 4) for p in found)
    assert english_parts("What is planned for handsets?", str, lambda ps: np.zeros((len(ps), 4))) == []  # one question
    assert [p.text for p in english_parts("Who leads it? When does it end?", str, lambda ps: np.zeros((len(ps), 4)))] == \
        ["Who leads it", " When does it end"]
    for one in ("What funding is there for chip firms?I run a small company in Pudong.",  # (no question after `?`)
                "Which body leads it and is responsible for oversight?",  # (`and is` without a comma: one question)
                "Which enterprises that research and do business abroad get support?"):
        assert english_parts(normalize_text(one), str, lambda ps: np.zeros((len(ps), 4))) == [], one
    clause = next(c for c in mixed.corpus.clauses_of([SATCOM]) if c.item_path == "五、(十)")
    first = next(s for s in clause.text.split("。") if "专用号段" in s) + "。"
    loose = "模式 帽子 宿主 会员 主持 机关 规律 用语 分担"  # (one word of the sentence among many it lacks)
    vector = mixed.retriever.embed_query("模式")
    assert part_answers(mixed.quotes, clause, [Part(loose, "what mode", None)], (first,), SATCOM) == ()
    found = part_answers(mixed.quotes, clause, [Part(loose, "what mode", vector)], (first,), SATCOM)
    assert len(found) == 1 and "模式" in found[0] and found[0] in clause.text


def test_quotes_next_to_each_other_are_joined():
    from rag.answer.parts import joined

    text = "甲句。乙句。 丙句。丁句。"
    assert joined(text, "乙句。", ("丙句。", "甲句。")) == ("甲句。乙句。 丙句。", ())  # (white space between: next to it)
    assert joined(text, "乙句。", ("丁句。",)) == ("乙句。", ("丁句。",))  # 丙句 left out between them
    assert joined(text, "丁句。", ("甲句。",)) == ("丁句。", ("甲句。",))
    assert joined(text, "丙句。丁", ("丁句。",)) == ("丙句。丁句。", ())  # (overlapping quotes: one)
