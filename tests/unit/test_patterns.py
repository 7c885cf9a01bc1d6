"""Shapes of document facts: responsibility lines in every form the documents use."""
from __future__ import annotations

import re

import pytest

from rag.text.patterns import OWNER, OWNER_LINE, is_owner_line


@pytest.mark.parametrize("line", ["(责任单位:市工业和信息化局)", "(牵头单位:市发展改革委;配合单位:市财政局)",
                                  "牵头部门:市科委", "(责任部门:区政府)", "(市发展改革委牵头)", "(市科委、市财政局负责)",
                                  "(市商务委、市经济信息化委)", "(市科委)", "(市经济信息化委、浦东新区政府)"])
def test_every_form_of_a_responsibility_line_is_one(line):
    assert is_owner_line(line) and OWNER.search(line)
    assert OWNER_LINE.fullmatch(line) or not line.startswith("(") or "、" in line or line == "(市科委)"
    # (a bracket of bodies alone is one only as a whole sentence: `上海市科学技术委员会(市科委)负责…` names no owner)


@pytest.mark.parametrize("sentence", ["加快培育元宇宙龙头企业。", "由企业牵头组建创新联合体,开展技术攻关。",
                                      "各区负责组织实施本方案。", "(以下简称市科委)", "(2023年)"])
def test_a_sentence_that_mentions_leading_is_not_a_responsibility_line(sentence):
    assert not is_owner_line(sentence)


def test_owner_names_are_the_names_inside_the_note():
    from rag.text.patterns import owner_names

    assert owner_names("上海市科学技术委员会(市科委)负责组织实施。") is None

    text = "给予补助。(责任单位:市工业和信息化局、市财政局)"
    a, b = owner_names(text)
    assert text[a:b] == "市工业和信息化局、市财政局"
    text = "建设平台。(市发展改革委牵头)"
    a, b = owner_names(text)
    assert text[a:b] == "市发展改革委牵头"
    assert owner_names("没有责任单位的句子。") is None


def test_a_document_fact_is_stated_on_a_line_of_a_notice_or_by_a_sentence_saying_who_issued_it():
    from rag.answer.facts import _states
    from rag.text.patterns import BODY, SALUTATION

    signed = "现将《规定》印发给你们,请认真贯彻执行。\n国家互联网信息办公室\n公安部\n海关总署"
    assert _states(BODY, signed) and _states(BODY, "重庆市永川区人民政府\n关于印发…的通知")
    assert _states(SALUTATION, "各镇人民政府、街道办事处,区政府有关部门,有关单位:\n《计划》已经区政府同意,现印发给你们。")
    assert _states(BODY, "近日,中共中央、国务院印发了《扩大内需战略规划纲要(2022-2035年)》。")
    # a news line naming the body its news of the issuance comes from
    assert _states(BODY, "据济南市人民政府消息,《济南市促进元宇宙产业创新发展行动计划(2022—2025年)》近日印发。")
    for prose in ("将规划向社会发布。", "相关办法将会出台。", "由协会主办发布会。", "双方签署", "做好工作部署",
                  "据记者了解,计划将于年底发布。"):
        assert not _states(BODY, prose), prose


def test_a_transcripts_question_is_no_answer_even_past_where_its_title_is_cut():
    from rag.text.patterns import restates as _restates

    title = "刚才主发布介绍要深化科技社团改革,请问科技社团扮演着怎样的角色?如何更好地发挥他们在科技服务领域的专…"
    assert _restates("东方网:刚才主发布介绍要深化科技社团改革,请问科技社团扮演着怎样的角色?", title)
    assert _restates("如何更好地发挥他们在科技服务领域的专业性作用,科协有何考虑?", title)  # goes on past the cut
    assert not _restates("陈馨:科技社团,是由科技工作者自愿组成的专业性的社会组织。", title)
    assert not _restates("如何更好地发挥他们在科技服务领域的专业性作用?", title.rstrip("…") + "业性作用")  # no cut: whole


def test_a_points_heading_closes_a_sentence_and_the_next_point_opens_one():
    from rag.text.patterns import POINT_END as _POINT
    from rag.text.patterns import POINT_START as _POINT_START
    assert _POINT.search("张彤:发展态势良好,重点体现在3个方面:一是科技服务业规模质效全面跃升。")
    assert not _POINT.search("一是加快推进数字产业化,培育壮大人工智能、大数据、区块链、云计算、网络安全等新兴数字产业。")
    assert not _POINT.search("这是他们共同的选择。")  # (`是` after no numeral)
    assert not _POINT.search("三是营收增长12%。")  # a point said whole in its own sentence leads to nothing
    assert _POINT_START.match("二是科技资源要素加速集聚。") and not _POINT_START.match("营收从2021年的1017亿元增加到1472亿元。")


def test_an_enumeration_opened_after_a_colon_goes_on_in_the_sentences_that_continue_it():
    from rag.text.patterns import ENUMERATIONS
    (ENUM_LEAD, ENUM_NEXT), _, (POINT_LEAD, POINTS) = ENUMERATIONS
    ENUM_LEAD = re.compile(f"{ENUM_LEAD.pattern}|{POINT_LEAD.pattern}")
    assert ENUM_LEAD.search("使得科技社团能够在科技服务中扮演多重角色:首先,学(协)会了解行业发展中存在的问题和共性需求;")
    assert ENUM_LEAD.search("简单来说,概念验证主要开展两项工作:一是验证技术是否可行;")
    assert not ENUM_LEAD.search("首先要加强组织领导。") and not ENUM_LEAD.search("主要目标:到2025年,产业规模突破千亿元。")
    assert ENUM_NEXT.match("其次,会员单位本身就是服务落地的应用主体;") and POINTS.match("二是验证市场是否认可。")
    assert not ENUM_NEXT.match("事实上,我们已有很多学会在做。") and not ENUM_NEXT.match("最后一公里问题由各街道负责。")
    assert not POINTS.match("同时,各区要落实属地责任。")  # (`一是…` goes on with `二是…` only)


def test_a_word_named_only_among_four_or_more_items_is_listed_not_treated():
    from rag.text.patterns import enumerations, only_listed
    goal = "在生产制造、智慧城市、文化旅游、教育培训、医疗健康等领域开发一批全国领先的元宇宙应用场景。"
    assert only_listed("教育培训", goal, enumerations(goal)) and not only_listed("应用场景", goal, enumerations(goal))
    task = "推广数字教育场景,开发行业通用数字教学平台、虚拟现实远程教育资源共享平台。"
    assert not only_listed("教育", task, enumerations(task))  # (also outside the list: treated)
    assert enumerations("开发虚拟现实课堂、数字教师等产品。") == ()  # (two items are no enumeration)
    assert not only_listed("领域", goal, enumerations(goal))  # (what follows `等` is no item)


def test_a_neighbours_fit_by_meaning_is_scaled_from_the_best_sentence_down_by_the_gap():
    """Min-max within a clause puts the second of two sentences at 0 however close it is; scaled by `gap` it keeps
    its closeness (and one `gap` or more below the best counts 0)."""
    import numpy as np

    from rag.answer.quotes import QuotePicker

    class Corpus:
        def sentence_vectors(self, rows):
            return np.array([[1.0, 0.0], [0.95, 0.0], [0.7, 0.0]])[list(rows)]

    picker = QuotePicker(Corpus())  # type: ignore[arg-type]
    spans = [(0, 0, 5), (1, 5, 9)]
    vector = np.array([[1.0, 0.0]])
    assert picker.semantic(spans, vector) == [1.0, 0.0]
    assert picker.semantic(spans, vector, 0.1) == pytest.approx([1.0, 0.5])
    assert picker.semantic([*spans, (2, 9, 12)], vector, 0.1)[2] == 0.0
    # a point's heading is as near as the sentence it heads (a short heading is near any question)
    three = [(1, 0, 5), (0, 5, 9), (2, 9, 12)]
    texts = ["二是科技资源要素加速集聚。", "已建大科学设施达到14个。", "三是营收增长。"]
    assert picker.semantic(three, vector, texts=texts) == [1.0, 1.0, 0.0]
    assert picker.semantic(three, vector) == pytest.approx([0.833, 1.0, 0.0], abs=0.001)
    # … not a heading before another point's (each keeps its own), nor a point stating a number
    for texts in (["一是规模扩大。", "二是要素集聚。", "三是营收增长。"], ["一是营收增长12%。", "已建设施。", "三是营收增长。"]):
        assert picker.semantic(three, vector, texts=texts)[0] == pytest.approx(0.833, abs=0.001)


def test_a_text_is_signed_on_its_last_line_only_by_a_signature_not_by_when_it_takes_effect():
    from rag.answer.facts import _SIGNED
    assert _SIGNED.search("工业和信息化部2025年8月25日") and _SIGNED.search("上海市科学技术委员会 2025年7月10日")
    assert not _SIGNED.search("本规定自2025年6月1日起施行。") and not _SIGNED.search("第四十一条 本办法自2025年1月1日起施行")
    # run on after the last sentence when a page lost its line breaks; a date alone or after a verb signs nothing
    assert _SIGNED.search("推动科技服务业更好支撑新质生产力发展。(责任单位:市科委、市统计局)上海市人民政府办公厅2025年5月17日")
    assert not _SIGNED.search("工作。截至2025年5月17日") and not _SIGNED.search("工作。会议于2025年5月17日")
    assert _SIGNED.search("2025年5月17日")  # a bare date line under the body's name
