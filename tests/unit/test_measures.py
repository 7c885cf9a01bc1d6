"""Which sentences are support measures, and what they require (rag/match/measures.py), on sentences written the way
policy documents write them; and the field scores the matcher reads (rag/match/field.py)."""
from __future__ import annotations

import pytest

from rag.match.field import field_scores
from rag.match.measures import measures_of
from rag.match.terms import Terms
from rag.text.lexicon import word_bounds
from rag.types import Clause, ClauseKind

TERMS = Terms.load()


def _measures(text: str):
    return measures_of(Clause(plan_id="x-2025", item_path="一、", item_title="", text=text, kind=ClauseKind.ITEM), TERMS)


@pytest.mark.parametrize("text", [
    "严格控制耕地转为其他农用地。",  # 用地 inside 农用地
    "聚焦银行、保险、证券等领域,推广服务型金融数字人应用。",  # 券 inside 证券
    "第一财经:企业融资不易,请问这次文件对于助力企业融资有哪些新举措?",  # an interviewer's question
    "(一)研究开发类专家应当具有高级专业技术职称。",  # an eligibility criterion
    "具有一定规模且来源稳定的概念验证资金(基金);",
    "(二)与被评对象在过去3年之内有共同承担科研项目、获得科技奖励、发表论文等合作关系;",  # an award obtained
    "鼓励有产业基础和优势的地方加大支持力度,设立卫星通信专项资金。",  # given by localities, to nobody named
    "实现企业职工基本养老保险全国统筹,推动基本医疗保险、失业保险省级统筹。",  # social insurance, nothing given
    "深化财税体制改革。",  # a system reformed
    "打造数字人虚拟柜员、数字人保险经理等典型应用场景。",  # who sells insurance
    "促进免税业健康有序发展。",  # a trade
])
def test_not_measures(text):
    found = _measures(text)
    assert all(m.recipient is not None and m.recipient.label == "政府" for m in found), [m.sentence for m in found]


def test_a_local_government_is_not_a_company():
    (m,) = _measures("鼓励有产业基础和优势的地方加大支持力度,设立卫星通信专项资金。")
    assert m.recipient is not None and m.recipient.text == "地方"


@pytest.mark.parametrize("text, recipient", [
    ("推动保险机构为科技服务业企业提供研发投入、成果交付等风险保障。", "企业"),
    ("推动高校院所图书馆、实验室等向合作企业开放。", "企业"),
    ("加大对中小微企业稳岗倾斜力度。", "企业"),
    ("评估结果优秀、良好的重点实验室,按周期给予经费后补助。", "实验室"),
])
def test_services_and_preferences_given_to_firms_are_measures(text, recipient):
    (m,) = _measures(text)
    assert m.recipient is not None and m.recipient.text.endswith(recipient)
    assert m.recipient.label in TERMS.company


def test_offer_needs_a_company_at_the_head_and_a_promise():
    assert not _measures("配合市科委做好评估,为实验室评估提供支持和保障。")  # given to an evaluation
    assert not _measures("组织机构为锂电池、储能等行业的449家企业提供了检测认证服务。")  # a report of the past


@pytest.mark.parametrize("text, cap", [
    ("支持未来产业创新产品市场化应用推广,按核定合同金额给予最高30%、最高2000万元支持。", "30%"),  # (issue 15's example)
    ("针对战略前沿、未来产业等领域,新建一批概念验证平台,支持金额最高可至3000万元;", "3000万元"),
])
def test_a_sum_given_with_no_instrument_word_is_money(text, cap):
    (m,) = _measures(text)
    assert m.money and [t.label for t in m.types] == ["资金"] and m.cap == cap
    assert not _measures("到2027年,食品工业产值突破1500亿元。")  # a goal: nothing given
    assert not _measures("目前已累计支持企业超过20亿元。")  # a report of what was given


def test_who_gives_is_not_who_receives():
    (m,) = _measures("鼓励地方对设施农业建设给予信贷贴息。")  # 地方 gives; what `对` names receives
    assert m.money and m.recipient is None
    (n,) = _measures("完善农机购置与应用补贴政策,探索与作业量挂钩的补贴办法,地方要履行法定支出责任。")
    assert n.money and n.recipient is None  # 地方, in another comma part, pays; it receives nothing
    (o,) = _measures("对认定的高新技术企业给予一次性奖励。")
    assert o.recipient is not None and o.recipient.text == "企业"


def test_firms_counted_are_not_a_requirement():
    (m,) = _measures("向各类主体免费提供专利与商标检索分析服务,每年惠及200多家科技型中小企业。")
    assert not [c for c in m.conditions if c.kind == "qualification"]
    (m,) = _measures("支持科技型中小企业采购概念验证服务,给予科技创新券支持。")
    assert [c.label for c in m.conditions if c.kind == "qualification"] == ["科技型中小企业"]


def test_word_bounds_follow_general_chinese():
    text = "优先保障产业用地需求"
    bounds = word_bounds(text)
    assert {text.index("用地"), text.index("用地") + 2} <= bounds
    assert 1 not in word_bounds("农用地")


def test_field_scores_rank_measures_within_the_library():
    fits = {"a1": 0.90, "a2": 0.88, "b1": 0.80, "b2": 0.79, "c1": None}
    plan_of = {"a1": "a", "a2": "a", "b1": "b", "b2": "b", "c1": "c"}
    scores = field_scores(fits, plan_of)
    assert set(scores) == {"a1", "a2", "b1", "b2"}  # a measure without vectors has no score
    assert scores["a1"].z > scores["a2"].z > 0 > scores["b1"].z > scores["b2"].z
    assert scores["a1"].plan_z == scores["a2"].plan_z > 0 > scores["b1"].plan_z
    assert abs(sum(s.z for s in scores.values())) < 1e-2
    assert field_scores({"a1": 0.9}, plan_of) == {} and field_scores({"a1": 0.9, "b1": 0.9}, plan_of) == {}


@pytest.mark.parametrize("text", [
    "符合条件的企业可申请贷款贴息。",  # the plan's promise, not an award obtained elsewhere
    "对首次认定的企业给予一次性补助金。",  # an instrument word starting a longer word (`补助金`)
    "具有自主知识产权的首台套产品,给予最高500万元奖励。",  # a criterion, and something given
    "市科委定期公开发布重点实验室建设指南,组织开展申报。",  # a call for applications
    "建设元宇宙重点企业库,开展链主企业、创新型中小企业、初创型企业梯度培育。",  # a firms' cultivation list
    "对已落户本市的总部企业给予一次性奖励。",  # `已…的`: a condition, not a report of what exists
    "企业已设立研发机构的,给予50万元补助。",
    "一是给予最高100万元奖励。(责任单位:市科委)",  # a list item's head that is the measure
    "一是给予房租补贴。对新引进企业按规定执行。",
])
def test_measures_the_sentence_shapes_do_not_hide(text):
    assert _measures(text), text


@pytest.mark.parametrize("text", [
    "在人才评价、项目评估、奖励评审中,对优秀人才单独分组评审。",  # an award judged, not given
    "去年累计为200余家企业提供检测认证服务。",  # a report of what was done
    "作为企业提供服务的平台,要加强自身建设。",  # `作为`, not `为`
])
def test_not_measures_either(text):
    assert not _measures(text), [m.sentence for m in _measures(text)]


def test_a_plans_background_and_past_results_give_nothing():
    """A section on the plan's background or what was achieved (`规划背景`, `已取得显著成效`) reports; a support
    sentence there (`城镇居民人均住房建筑面积稳步提高`) is no measure, the same sentence in a task section is."""
    from rag.match.measures import extract_library
    from rag.types import PlanMeta

    plans = {"x-2025": PlanMeta(plan_id="x-2025", file="x.txt", title="某规划")}
    text = "对新建的人才公寓给予租金补贴。"

    def clause(title: str, parents: tuple[str, ...]) -> Clause:
        return Clause(plan_id="x-2025", item_path=f"{title}、", item_title=title, text=text, kind=ClauseKind.ITEM,
                      parents=parents)

    assert extract_library([clause("我国扩大内需已取得显著成效", ("规划背景",))], plans, TERMS, {}) == []
    assert extract_library([clause("发展现状", ())], plans, TERMS, {}) == []
    assert len(extract_library([clause("强化人才保障", ("重点任务",))], plans, TERMS, {})) == 1


@pytest.mark.parametrize("text, label", [
    ("鼓励发展渔业保险。", "融资"),  # insurance is money's worth
    ("优化促进外贸发展的财税政策。", "税费"),
    ("将地方优势特色农产品保险以奖代补做法逐步扩大到全国。", "补助"),
    ("鼓励开发专属金融产品支持新型农业经营主体,增加首贷、信用贷。", "融资"),
])
def test_general_financial_instruments_are_money(text, label):
    (m,) = _measures(text)
    assert m.money and label in [t.label for t in m.types]


@pytest.mark.parametrize("text", [
    "对符合条件的小微企业实行贷款贴息制度。",  # a system applied to firms still gives
    "对首次认定的高新技术企业给予补贴并实行备案制度。",
    "在财税、金融、用地等领域给予重点企业政策支持。",  # sectors listed where support is given
])
def test_a_system_or_a_list_of_fields_that_gives_is_a_measure(text):
    assert _measures(text)


def test_who_deals_in_an_instrument_is_no_instrument():
    """`保险机构`, `保险经理`: who sells insurance; the firm it serves is still given something (`为…企业提供`)."""
    (m,) = _measures("推动保险机构为科技服务业企业提供研发投入、成果交付等风险保障。")
    assert [t.label for t in m.types] == ["服务"] and m.recipient is not None and m.recipient.text.endswith("企业")


def test_a_later_instrument_names_whom_it_is_for():
    """`…信贷投放力度不减,做好脱贫人口小额信贷工作`: the first 信贷 names no one; the second is for 脱贫人口 (no company)."""
    (m,) = _measures("保持脱贫地区信贷投放力度不减,扎实做好脱贫人口小额信贷工作。")
    assert m.recipient is not None and m.recipient.text == "脱贫人口" and m.recipient.label not in TERMS.company


def test_preferential_use_is_money_s_worth():
    """`优惠` (a preferential price or use) is money's worth, as 税收优惠 already was."""
    (m,) = _measures("建立算力设施的开放和优惠使用机制,支持企业面向智能制造等领域开发新业态。")
    assert m.money and "优惠" in [t.label for t in m.types]


def test_a_press_conference_answer_naming_a_district_places_its_measures_there():
    """A transcript's answer is reported speech, as a news report is: a district's official on the district's own
    measures (`浦东发布了…`) places the sentence, and those after it, in that district; an answer naming none stays in
    the plan's region."""
    from rag.match.measures import extract_library
    from rag.types import PlanMeta, Region

    plans = {"x-qa-2025": PlanMeta(plan_id="x-qa-2025", file="x.txt", title="问答实录",
                                   region=Region(name="上海市", level="省级"))}
    told = Clause(plan_id="x-qa-2025", item_path="问答3", item_title="浦东如何支持人才?", kind=ClauseKind.ITEM,
                  text="记者:浦东如何支持人才?\n某某:浦东新区发布了若干措施,对新落户的企业给予租金补贴。\n"
                       "同时对青年人才给予住房补贴。")
    city = Clause(plan_id="x-qa-2025", item_path="问答4", item_title="本市如何支持企业?", kind=ClauseKind.ITEM,
                  text="记者:本市如何支持企业?\n某某:对新落户的企业给予租金补贴。")
    measures = extract_library([told, city], plans, TERMS, {})
    placed = [(m.item_path, m.sentence.rstrip("。")[-4:], [p["name"] for p in m.jurisdiction]) for m in measures]
    assert placed == [("问答3", "租金补贴", ["上海市浦东新区"]), ("问答3", "住房补贴", ["上海市浦东新区"]),
                      ("问答4", "租金补贴", ["上海市"])], placed


def test_a_question_naming_a_district_does_not_place_the_city_s_answer():
    from rag.match.measures import extract_library
    from rag.types import PlanMeta, Region

    plans = {"x-qa-2025": PlanMeta(plan_id="x-qa-2025", file="x.txt", title="问答实录",
                                   region=Region(name="上海市", level="省级"))}
    asked = Clause(plan_id="x-qa-2025", item_path="问答1", item_title="浦东新区企业反映融资难,本市有何举措?",
                   kind=ClauseKind.ITEM, text="记者:浦东新区企业反映融资难,有何举措?\n某某:对新落户的企业给予租金补贴。\n"
                                              "浦东新区已开展试点。下一步,全市将对新落户的企业给予住房补贴。")
    assert [[p["name"] for p in m.jurisdiction] for m in extract_library([asked], plans, TERMS, {})] == \
        [["上海市"], ["上海市"]]


@pytest.mark.parametrize("text, kind, span", [
    ("引导金融服务机构对创新性强、融合性广的元宇宙企业给予信贷支持。", "other", "创新性强、融合性广"),
    ("对成效突出的重点实验室,在考核评估和专项支持中予以奖励。", "other", "成效突出"),
    ("对成效突出的重点实验室,在考核评估和专项支持中予以奖励。", "selection", "重点实验室"),
    ("发挥产业基金的作用,带动社会资本支持卫星通信领域重点企业。", "selection", "重点企业"),
    ("对初次入选的瞪羚企业给予最高100万元奖励。", "selection", "初次入选"),
])
def test_what_judges_the_recipient_is_a_condition_to_confirm(text, kind, span):
    """A title the recipient must hold (`重点企业`) and an attribute rating it (`成效突出的`) are conditions: a
    company with every field filled in still has to confirm them, so the measure is 需确认, never 适用 unasked."""
    (m,) = _measures(text)
    assert (kind, span) in [(c.kind, c.text) for c in m.conditions]


def test_a_title_leaves_the_field_before_it():
    (m,) = _measures("发挥产业基金的作用,带动社会资本支持卫星通信领域重点企业。")
    assert [(c.kind, c.text) for c in m.conditions] == [("domain", "卫星通信领域"), ("selection", "重点企业")]


def test_an_attribute_that_describes_is_no_condition():
    (m,) = _measures("对从事元宇宙内容制作的企业给予10万元奖励。")
    assert [c.kind for c in m.conditions if c.kind in ("other", "selection")] == []


def test_a_list_head_and_a_report_of_what_exists_give_nothing():
    # the head of a spoken list: the sentence after it says what is given
    found = _measures("一是降低融资成本。将科技服务业企业纳入“沪科专贷”支持范围,降低企业贷款成本。")
    assert [m.sentence[:2] for m in found] == ["将科"]
    assert _measures("目前,我市已设立总规模约150亿元的未来产业基金,并完成18支子基金的投资决策工作。") == []


@pytest.mark.parametrize("text", ["一是给予房租补贴。二是给予贷款贴息。", "一是对首次认定的高新技术企业给予20万元奖励。"])
def test_a_list_head_that_gives_is_still_a_measure(text):
    assert len(_measures(text)) == text.count("。")


@pytest.mark.parametrize("text, field", [
    ("将科技服务业企业纳入“沪科专贷”“沪科专贴”支持范围,降低企业贷款成本。", "科技服务业企业"),  # 将: what follows is it
    ("提高科技服务业企业的“履约贷”保费补贴比例。", "科技服务业企业"),  # what the plan does is no part of the field
])
def test_the_field_is_the_words_naming_the_recipient(text, field):
    (m,) = _measures(text)
    assert [(c.kind, c.text) for c in m.conditions] == [("domain", field)]  # (纳入 the scheme: the measure, no condition)


def test_included_in_a_list_is_a_condition_as_an_attribute():
    (m,) = _measures("对纳入市级重点项目库的企业给予贷款贴息。")
    assert ("selection", "纳入市级重点项目库") in [(c.kind, c.text) for c in m.conditions]
