"""What a question asks, read from its words: the number it asks for, and whether it asks about the document."""
from __future__ import annotations

import re

import pytest

from rag.answer.asked import asked_number
from rag.answer.intent import about_document
from rag.text.lexicon import Lexicon

LEXICON = Lexicon()


def is_word(text: str) -> bool:
    """As `CorpusView.is_word`: a word of general Chinese or of the library's own vocabulary."""
    return LEXICON.general_frequency(text)[0] > 0 or text in LEXICON.terms


@pytest.mark.parametrize("question, unit, thing", [
    ("到2027年全市要建成多少家概念验证平台?", "家", "概念验证平台"),
    ("对获批新食品原料的企业一次性奖励多少万元?", "万元", "企业一次性奖励"),
    ("社会消费品零售总额要达到多少万亿元?", "万亿元", "社会消费品零售总额达到"),  # bounds dropped
    ("拟进入专家库的名单要公示几天?", "天", "名单公示"),
    ("学术委员会一般由多少人组成?", "人", "组成"),
    ("到2025年IPv6活跃用户数要达到多少亿?", "亿", "到2025年IPv6活跃用户数达到"),  # a bare magnitude
    ("今年要新建多少亿亩高标准农田?", "亩", "高标准农田"),  # the magnitude is the number's
    ("中等收入群体要达到多少亿人?", "人", "中等收入群体达到"),
    ("未通过验收的整改期限是几个月?", "个月", "整改期限是"),
    ("到2025年农村卫生厕所普及率要达到多少?", "率", "到2025年农村卫生厕所普及率"),  # asked by the rate's name
    ("数字经济核心产业增加值占GDP比重的目标是多少?", "比例", "数字经济核心产业增加值占GDP比重"),
    ("江苏元宇宙产业年均增速目标是多少?", "比例", "江苏元宇宙产业年均增速"),  # a rate of growth is a ratio
    ("这几年宽带费一直在降,一共帮中小企业省了多少钱?", "金额", "这几年宽带费一直在降,一共帮中小企业省了"),  # `这几年`: no ask
    ("近几年新建了多少家孵化器?", "家", "孵化器"),
    ("过去几年要建几个示范区?", "个", "示范区"),
    ("申报需要提前几天提交材料?", "天", "提交材料"),  # 提前几天 asks; 前几天 (some days ago) does not
    ("办理要去几个部门盖章?", "个", "部门盖章"),
    ("好几年没涨了,补贴标准是多少?", "金额", "好几年没涨了,补贴"),  # 好几, 十几: some, not asked
    ("十几家企业入选,每家补贴多少钱?", "金额", "十几家企业入选,每家补贴"),
    ("每年能拿多少补贴,这几年都一样吗", "金额", "每年能拿"),  # (这几年 after the ask: no second asking part)
    ("全市共认定了几家概念验证平台,都在哪里?", "家", "概念验证平台"),  # a `几` asked, then something else
    ("浦东有几家概念验证平台,是否都能申请?", "家", "概念验证平台"),
    ("要提高履约贷保费补贴比例,具体提到多少?", "比例", "提高履约贷保费补贴比例"),  # a bare `多少` asks the part before
    ("企业类依托单位的基础研究投入比例有什么下限?", "比例", "企业类依托单位的基础研究投入比例"),  # a bound asked
    ("那个食品科技投资基金规模有多大?", "数量", "那个食品科技投资基金规模"),  # a scale asked by `多大`
    # a last question short of a thing of its own is of the matter the question before names (its words before it asks)
    ("重点实验室办法:实验室评估由谁具体来做?多久评一次?", "期限", "重点实验室办法:实验室评估由, 评一次"),
    ("报告里2021年发明专利授权量是多少?占全社会比重多少?", "比例", "报告里2021年发明专利授权量是,占全社会比重"),
    ("新建概念验证平台最高能拿多少支持?自建平台评价突出的后补助有多少?", "金额", "自建平台评价突出的后补助"),
    ("概念验证方案对知识产权有什么要求?资金最高多少?", "金额", "资金"),  # (the question before asks no fact)
])
def test_the_number_a_question_asks_for(question, unit, thing):
    asked = asked_number(question, is_word)
    assert asked is not None and (asked.unit, asked.thing) == (unit, thing)


@pytest.mark.parametrize("question", ["新建概念验证平台最高能拿多少支持?", "江苏有什么元宇宙政策?",
                                      "是不是按实际干活多少来补?", "我们公司有几个人,能拿多少?",
                                      "食品科技方案对规模以上企业的支持力度有多大?",  # (多大 of the support, not of a scale)
                                      # `几` before a last part asking no number is `several`
                                      "几家单位一起做出来的专利,别人想用,那个方案里有没有方便授权的办法?",
                                      "我手里有几只股票,上市公司不怎么分红,那份纲要里有没有说要在分红上下功夫?"])
def test_no_unit_no_asked_number(question):
    assert asked_number(question, is_word) is None


def test_a_year_is_no_amount_a_how_many_question_asks_for():
    from rag.answer.intent import NUMBER
    assert not NUMBER.search("到2027年,实现合成生物食品创制重要突破。")  # (`By 2027, how many …?`)
    assert not NUMBER.search("四川省元宇宙产业发展行动计划(2023—2025年)") and not NUMBER.search("2025-2027年")  # a period
    assert NUMBER.search("引育5家以上自主创新企业") and NUMBER.search("于17日") and NUMBER.search("增长12%")


@pytest.mark.parametrize("question, thing", [
    ("永川每年培育引进多少元宇宙相关人才?", "元宇宙相关人才"),  # a count written with no measure word
    ("有多少企业获得了补贴?", "企业获得了补贴"),
    ("2021年乡村振兴意见提出要创建多少现代林业产业示范区?", "现代林业产业示范区"),
    ("重点实验室总数要控制在多少以内?", "重点实验室总数"),  # a total named before `多少`
    ("卫星通信专项资金,规模有多少?", "卫星通信专项资金规模"),  # … of the part before it
])
def test_a_count_asked_without_a_measure_word(question, thing):
    from rag.answer.asked import COUNT

    asked = asked_number(question, is_word)
    assert asked is not None and (asked.unit, asked.thing) == (COUNT, thing)


def test_a_count_is_stated_by_a_number_that_is_no_date():
    from rag.answer.asked import COUNT
    from rag.answer.facts import states_number

    for text in ("完成18支子基金的投资决策", "稳定在3000万人以上", "完善中央、省、市、县四级储备网络", "打造十大应用场景",
                 "发展卫星通信用户超千万"):
        assert states_number(text, COUNT), text
    for text in ("创建现代林业产业示范区。", "布局一批海外技术转移网络节点", "到2025年", "加快5G基站建设", "第三条",
                 "实施期5年", "2024年6月30日前"):
        assert not states_number(text, COUNT), text


@pytest.mark.parametrize("question, kind", [
    ("江苏元宇宙行动计划要组建的专家委员会由哪个部门牵头组建?", "牵头或负责单位"),
    ("科技服务国际化人才培训基地建在哪里?", "地点"),
    ("元宇宙技术研究院是和哪所高校合作组建的?", "高校"),
    ("首批试点是哪几所高校?", "高校"),
    ("消费中心具体是哪几个城市?", "地点"),
    ("由哪几家单位牵头?", "牵头或负责单位"),
])
def test_who_where_and_which_school_asked_of_a_plans_body(question, kind):
    from rag.answer.asked import asked_entity

    asked = asked_entity(question)
    assert asked is not None and asked.unit == kind
    assert not {"哪个部门", "哪里", "哪所", "牵头", "组建", "合作"} & set(LEXICON.tokenize(asked.thing))


def test_an_answer_of_that_shape_besides_the_thing_asked_about():
    from rag.answer.asked import ORG, PLACE, SCHOOL
    from rag.answer.judged import states_entity

    committee = {"产业发展", "专家委员会"}
    assert not states_entity("组建江苏省元宇宙产业发展专家委员会,支持建立元宇宙产业联盟。", ORG, committee)
    assert states_entity("由省工业和信息化厅组建元宇宙产业发展专家委员会。", ORG, committee)
    assert states_entity("(1)创新元宇宙内容产品。", ORG, {"内容产品"}, notes="(责任单位:市委宣传部)")
    # words that only end like a body or a place name none (`布局`, `东部`, `城市`, `市场`, `津贴`)
    assert not states_entity("优化东部区域布局,扩大市场,提高津贴。", ORG, set())
    assert not states_entity("优化东部区域布局,扩大城市市场,提高津贴。", PLACE, set(), lambda text: [])
    assert not states_entity("建设科技服务国际化人才培训基地。", PLACE, {"人才培训基地"})
    assert states_entity("在临港新片区建设科技服务国际化人才培训基地。", PLACE, {"人才培训基地"})
    assert states_entity("用户数据应当在境内存储和处理。", PLACE, {"境内", "用户", "数据", "处理"})
    assert states_entity("与重庆文理学院合作组建元宇宙技术研究院。", SCHOOL, {"技术研究院"})
    assert not states_entity("与国内知名高校合作组建元宇宙技术研究院。", SCHOOL, {"技术研究院"})


@pytest.mark.parametrize("question, thing", [
    ("济南对入选项目补助多少?", "济南对入选项目补助"),  # the question's words before the number …
    ("食品科技方案对新建中试平台给予多少补贴?", "食品科技方案对新建中试平台给予"),
    ("概念验证平台的补贴上限是多少?", "概念验证平台的补贴"),
    ("未来产业问答里,被遴选为标杆示范场景的,能拿多少奖励?", "未来产业问答里,被遴选为标杆示范场景的,能拿"),
    ("政府最高给多少支持资金?", "政府最高给"),  # (`支` is a measure word, but `支持` a word)
    ("对老百姓买新能源汽车给多少购车补贴?", "对老百姓买新能源汽车给"),
    ("依托单位按规定至少要配套多少经费?", "依托单位按规定至少要配套"),
    ("发布会上提到,新建平台和自主建设平台分别最多能拿到多少资金?", "发布会上提到,新建平台和自主建设平台分别最多能拿到"),
])
def test_money_asked_by_name_without_a_unit(question, thing):
    from rag.answer.asked import MONEY, NOT_THING

    asked = asked_number(question, is_word)
    assert asked is not None and (asked.unit, asked.thing) == (MONEY, thing)
    # … of which the words of money and of paying are no part of what the money is for
    kept = [t for t in LEXICON.tokenize(asked.thing) if not NOT_THING.fullmatch(t)]
    assert not {"补助", "补贴", "给予", "最高", "政府", "至少", "按规定", "分别", "提到", "发布会"} & set(kept)


def test_an_amount_is_stated_by_money_or_by_a_share_of_a_cost():
    from rag.answer.asked import MONEY
    from rag.answer.facts import states_number

    assert states_number("支持金额最高可至3000万元", MONEY) and states_number("按投资额的30%给予补贴", MONEY)
    assert states_number("应给予不低于1倍的经费保障", MONEY) and states_number("给予五十万元奖励", MONEY)
    assert not states_number("按规定给予补贴", MONEY) and not states_number("建设3个平台", MONEY)
    assert states_number("年龄不超过65周岁", "岁")
    assert states_number("应给予不低于1倍的经费保障", "比例")  # (a multiple is a ratio)
    assert states_number("一位专家不同时担任超过3个上海市重点实验室的学术委员会委员", "家")  # (a thing's own word)
    assert not states_number("培育10家龙头企业", "个")  # (not the other way)
    assert not states_number("企业需在3个月内完成整改。", "家") and not states_number("建设一个开放共享的生态。", "家")


def test_an_amount_is_stated_only_where_the_sentence_speaks_of_money():
    from rag.answer.facts import _money_parts

    # a share that is no money (专家占比50%) states no amount; a share of a cost with a money word does
    assert _money_parts("组建用户委员会,其中企业专家占比50%,对企业出资建设的用户装置给予支持") == ""
    assert _money_parts("对入选项目,按照实际投资额的10%给予补助,最高补助100万元") == \
        "对入选项目,按照实际投资额的10%给予补助,最高补助100万元"
    assert _money_parts("甲,乙,丙,丁,给予最高300万元/年的后补助") == "丙,丁,给予最高300万元/年的后补助"  # two before


@pytest.mark.parametrize("question, expected", [
    ("新的《上海市重点实验室建设与运行管理办法》文号是什么?", True),
    ("《扩大内需战略规划纲要》是由哪个机关印发的?", True),
    ("四川元宇宙行动计划是哪些部门联合印发的?", True),
    ("终端设备直连卫星服务管理规定从哪天起施行?", False),  # the closing article says when it takes effect
    ("数字经济规划要求哪些部门牵头对规划实施开展评估?", False),  # who leads an item: the item says
    ("济南对入选新型智慧城市试点示范的项目补助多少?", False),
    ("企业不再提供直连卫星服务时,用户善后处理方案要报哪个部门批准?", False),  # who approves a filing: the body says
    ("《终端设备直连卫星服务管理规定》对技术研发给予多少资助?", False),  # `研发给予` is no `发给` (addressees)
    ("这份方案印发给哪些单位?", True),
    ("浙江元宇宙行动计划是由哪个部门牵头、几个部门联合印发的?", True),  # who issued it, though 牵头 is asked
    ("上海2025年出台的科技服务业意见由哪个部门牵头统筹推进?", False),  # (`出台的` describes the document)
    ("方案要求哪些部门牵头联合发布行业标准?", False),  # (a body's task, not who issued the plan)
    ("济南元宇宙计划对开发给企业的软件有补贴吗?", False),  # `开发给` is no `发给` (addressees)
    ("重点实验室管理办法规定,市科委征集布局建议时要协调哪些部门和单位?", False),  # bodies a body works with
    ("济南元宇宙行动计划是哪个部门的?", True),  # (which body the document is)
    ("一号文件要求成员单位出台重要涉农政策时要履行什么程序?", False),  # another document a body is to issue
    ("专家库管理办法是依据国务院办公厅印发的哪两份文件制定的?", False),  # documents another body issued
    ("国务院印发实施方案的通知文号是什么?", True),  # (the notice issuing it: its own facts)
    ("联合印发该行动方案的是哪些部门?", True), ("出台该政策的部门是哪个?", True),  # (this document: 该)
    ("《关于印发支持科技创新若干政策措施的通知》是什么时候发布的?", True),  # (inside its title)
    ("该方案的文号是什么?由哪个部门印发该方案?", True),
    ("这个行动计划哪个部门发的?", True), ("哪些部门联合制定了该方案?", True),  # (which body, with its issuing verb)
    ("数字经济规划的保障措施里,由哪几个部门会同有关部门适时组织开展规划评估?", False),  # bodies doing a task
    ("数字经济规划是由哪几个部门印发的?", True),
])
def test_questions_about_the_document_itself(question, expected):
    assert about_document(question) is expected


def test_a_number_with_a_magnitude_states_its_unit():
    from rag.answer.facts import states_number

    assert states_number("严守18亿亩耕地红线", "亩") and states_number("整改期为6个月", "个月")
    assert states_number("90Hz以上刷新率", "率") and not states_number("提高刷新率", "率")
    assert not states_number("建设高标准农田", "亩")


def test_the_term_a_definition_question_asks_about():
    from rag.answer.intent import defined_term

    assert defined_term("请问高新技术企业是指什么?") == "高新技术企业"
    assert defined_term("本规定中“终端设备”指的是什么?") == "终端设备"
    assert defined_term("江苏有什么元宇宙政策?") is None


def test_a_definition_is_asked_of_the_sentence_defining_the_term_not_one_naming_it():
    from rag.answer.intent import wants

    for question in ("规定里说的“关口站”是指什么?", "终端设备直连卫星服务管理规定中的关口站是指什么?"):
        (_, _), (shape, weight) = wants(question, 0.3)  # (any definition counts too, first)
        assert weight == 1.0 and shape.search("(三)关口站,是指卫星通信链路中用于信号中继…的地面设施。")
        assert not shape.search("(五)配套通信平台,是指…综合性通信设施,包括关口站和地球站控制系统")
    (_, _), (shape, _) = wants("办法所称的考核是指什么?", 0.3)
    assert shape.search("本办法所称考核(以下简称考评),是指…") and not shape.search("考核指标包括…")


def test_plans_named_exactly_alike_are_all_named():
    from rag.answer.plans import PlanResolver
    from rag.types import PlanMeta

    titles = {"a": "人工 智能 产业 条例", "b": "人工 智能 算力 方案", "c": "人工 智能 算力 措施"} | {
        f"other-{i}": f"其他 文件{i}" for i in range(7)}  # ten titles: the shared words still name a plan
    plans = {pid: PlanMeta(plan_id=pid, file=f"{pid}.txt", title=t) for pid, t in titles.items()}
    resolver = PlanResolver(plans, str.split, lambda _: False)
    assert set(resolver.resolve("人工 智能 算力 产业 条例").named) == {"a", "b", "c"}  # no whole title copied


def test_a_year_written_short_names_a_plan_of_that_year():
    from rag.answer.plans import PlanResolver
    from rag.types import PlanMeta

    plans = {pid: PlanMeta(plan_id=pid, file=f"{pid}.txt", title="关于 乡村振兴 重点 工作 的 意见", period=period,
                           aliases=[f"{period}年 中央 一号 文件"]) for pid, period in (("y21", "2021"), ("y23", "2023"))}
    plans |= {f"other-{i}": PlanMeta(plan_id=f"other-{i}", file="x.txt", title=f"其他 文件{i}") for i in range(8)}
    resolver = PlanResolver(plans, str.split, lambda _: False)
    assert resolver.resolve("23年的 中央 一号 文件 提出 了 什么 目标").plans == ("y23",)
    assert resolver.resolve("21年的 中央 一号 文件 提出 了 什么 目标").plans == ("y21",)
    assert set(resolver.resolve("15年的 中央 一号 文件 提出 了 什么").plans) == {"y21", "y23"}  # (no plan of 2015)


def test_a_transcript_is_named_by_the_meeting_it_records():
    from rag.answer.plans import PlanResolver
    from rag.types import PlanMeta

    titles = {"opinion": "关于进一步深化改革创新加快科技服务业高质量发展的若干意见",
              "qa": "问答实录:《关于进一步深化改革创新加快科技服务业高质量发展的若干意见》的有关情况"} | {
        f"other-{i}": f"其他文件{i}" for i in range(25)}  # (27 titles, as the unseen library has)
    plans = {pid: PlanMeta(plan_id=pid, file=f"{pid}.txt", title=t) for pid, t in titles.items()}
    told = PlanResolver(plans, LEXICON.tokenize, lambda _: False, transcripts=frozenset({"qa"}))
    assert told.resolve("科技服务业发布会上说了什么?").plans == ("qa",)
    assert told.resolve("科技服务业新闻发布会上说了什么?").plans == ("qa",)
    assert set(told.resolve("科技服务业若干意见有什么要求?").plans) == {"opinion", "qa"}  # (no meeting: named alike)
    # the meeting's words whole, not their pieces: 新闻 or 发布 names no transcript
    assert told.resolve("新闻出版行业有什么扶持政策?").plans == ()
    assert told.resolve("最近发布了哪些支持中小企业的政策?").plans == ()
    untold = PlanResolver(plans, LEXICON.tokenize, lambda _: False)  # (which plans are transcripts is the caller's)
    assert set(untold.resolve("科技服务业发布会上说了什么?").plans) == {"opinion", "qa"}


def test_a_copied_whole_title_names_its_plan_and_the_rest_of_the_question_is_content():
    from rag.answer.plans import PlanResolver
    from rag.types import PlanMeta

    titles = {"food": "上海市 加快 食品 科技 创新 行动方案", "poc": "上海市 概念验证 平台 建设 方案",
              "opinion": "关于 加快 科技服务业 发展 的 若干意见",
              "qa": "问答实录 : 《关于 加快 科技服务业 发展 的 若干意见》 有关 情况"} | {
        f"other-{i}": f"其他 文件{i}" for i in range(6)}
    plans = {pid: PlanMeta(plan_id=pid, file=f"{pid}.txt", title=t) for pid, t in titles.items()}
    resolver = PlanResolver(plans, str.split, lambda _: False)
    # without the copied title, 概念验证 平台 would name the 概念验证 plan beside the food plan
    asked = resolver.resolve("《上海市 加快 食品 科技 创新 行动方案》 对 建设 概念验证 平台 的 单位 补助 多少")
    assert asked.plans == ("food",) and asked.one == "food"
    # … but a comparison wants every plan the question names, by title or by words
    both = resolver.resolve("上海市 加快 食品 科技 创新 行动方案 和 概念验证 平台 方案 各 有 什么 要求")
    assert both.plans == ("food",) and both.named == ("food", "poc")
    # the transcript about a document, named by its title and the transcript's own words
    assert resolver.resolve("关于 加快 科技服务业 发展 的 若干意见 的 问答实录 里 怎么 说").plans == ("qa",)
    assert resolver.resolve("关于 加快 科技服务业 发展 的 若干意见 对 企业 融资 有 哪些 支持").plans == ("opinion",)


def test_a_year_names_an_english_questions_plan_when_the_words_after_it_name_the_plan():
    from rag.answer.plans import PlanResolver
    from rag.types import PlanMeta

    titles = {"r2021": "中共中央 关于 2021年 乡村振兴 的 意见", "r2023": "中共中央 关于 2023年 乡村振兴 的 意见",
              "r2024": "中共中央 关于 2024年 乡村振兴 的 意见"} | {f"other-{i}": f"其他 文件{i}" for i in range(7)}
    plans = {pid: PlanMeta(plan_id=pid, file=f"{pid}.txt", title=t) for pid, t in titles.items()}
    resolver = PlanResolver(plans, str.split, lambda _: False)
    glosses = {"central": "中共中央", "document": "意见", "rural": "乡村振兴", "scale": "规模"}

    def gloss(span: str) -> set[str]:
        return {w for e, w in glosses.items() if e in span.lower()}

    # (the English question with its dictionary words appended, as the answerer passes it)
    named = resolver.resolve("What does the 2023 No.1 central document say? 中共中央 意见 乡村振兴", gloss)
    assert named.plans == ("r2023",)
    # a year of the content (`the 2024 scale of …`) names no plan: all three stay candidates
    content = resolver.resolve("What was the 2024 scale of grain output under the central rural documents? "
                               "中共中央 意见 乡村振兴 规模", gloss)
    assert set(content.plans) == {"r2021", "r2023", "r2024"}


def test_years_listed_together_each_name_their_plan():
    from rag.answer.plans import PlanResolver
    from rag.types import PlanMeta

    titles = {"r2021": "中共中央 关于 2021年 乡村振兴 的 意见", "r2023": "中共中央 关于 2023年 乡村振兴 的 意见",
              "r2024": "中共中央 关于 2024年 乡村振兴 的 意见"} | {f"other-{i}": f"其他 文件{i}" for i in range(7)}
    plans = {pid: PlanMeta(plan_id=pid, file=f"{pid}.txt", title=t) for pid, t in titles.items()}
    words = re.compile(r"中共中央|关于|乡村振兴|意见|文件\d|\d{4}年|\S")  # (a question unspaced, as users write)
    resolver = PlanResolver(plans, words.findall, lambda _: False)
    both = resolver.resolve("2021年和2023年的两份乡村振兴意见各提了什么?")
    assert set(both.dated) == {"r2021", "r2023"} and set(both.plans) == {"r2021", "r2023"}
    assert resolver.resolve("2023年的乡村振兴意见提了什么?").dated == ("r2023",)


@pytest.mark.parametrize("question, unit", [
    ("概念验证方案提出什么时候前要建成一批概念验证平台?", "时间"),
    ("2021年乡村振兴意见要求哪一年前完成病险水库除险加固?", "时间"),
    ("重点实验室办法规定实验室主任任期多长?", "期限"),
    ("专家入库后多久要更新信息?", "期限"),
])
def test_a_time_or_a_length_of_time_asked(question, unit):
    asked = asked_number(question, is_word)
    assert asked is not None and asked.unit == unit
    assert "什么时候" not in asked.thing and "多久" not in asked.thing  # the rest of the sentence is what is timed


def test_when_a_document_takes_effect_is_not_a_time_asked_of_its_body():
    assert asked_number("《上海市科技专家库管理办法》什么时候开始施行,有效期到哪天?", is_word) is None


@pytest.mark.parametrize("question, expected", [
    ("数字经济规划是什么时候印发的?", True),
    ("国务院关于数字经济发展情况的报告是谁、在什么时候向全国人大常委会作的?", True),
    ("概念验证方案提出什么时候前要建成一批概念验证平台?", False),  # a deadline the body states
    ("食品科技方案要求哪一年建成先行区?", False),
])
def test_a_when_question_is_about_the_document_only_when_it_asks_when_it_was_issued(question, expected):
    assert about_document(question) is expected


@pytest.mark.parametrize("question, expected", [
    ("Which authorities jointly issued the Regulations on the Management of Terminal Direct-to-Satellite Services?", True),
    ("When was Shanghai's proof-of-concept plan published?", True),
    ("Under MIIT's satellite guideline, how will station licences be issued to support low-orbit constellations?", False),
    ("By what deadline must the gateway station measures mentioned in MIIT's guidance be issued?", False),
    ("How are subsidies released to enterprises under the Shanghai food plan?", False),  # issued, and not the plan
    ("How are the subsidies under the Shanghai food plan released?", False),  # the plan is where they are, not what is released
    ("How are the subsidies listed on the food plan released?", False),
    ("When was each of the plans issued?", True), ("When was the first of the three plans published?", True),
    ("When was the plan for Shanghai's food industry released?", True),
    ("When is the list of pilot projects published, according to the proof-of-concept plan?", False),
    ("When was the Shanghai food plan issued?", True),
    ("When were the Several Opinions issued?", True),  # a document named in the plural
    ("When were the Regulations published?", True),
    ("When was it issued, and by which body, the proof-of-concept plan?", True),
])
def test_what_is_yet_to_be_issued_is_not_the_document(question, expected):
    """The document asked of is issued already: `be issued` is something its body plans (licences, other rules), and
    what `is/are … released` when it is not the document (subsidies, a list) is no question about the document."""
    assert about_document(question) is expected


def test_a_time_or_a_length_is_stated_by_a_date_or_a_duration():
    from rag.answer.asked import HOW_LONG, WHEN
    from rag.answer.facts import states_number

    assert states_number("到2025年全部完成现有病险水库除险加固", WHEN) and states_number("6月30日前完成", WHEN)
    assert not states_number("在浦东新区建设合成生物食品开发先行区", WHEN)
    assert states_number("重点实验室主任每届任期五年", HOW_LONG) and states_number("公示期为5个工作日", HOW_LONG)
    assert not states_number("配备45周岁以下科研技术骨干", HOW_LONG) and not states_number("到2025年", HOW_LONG)


def test_whether_a_plan_says_something_at_all():
    from rag.answer.asked import MENTION, asked_entity
    from rag.answer.judged import offered

    asked = asked_entity("江苏元宇宙行动计划有没有给元宇宙企业税收优惠?")
    assert asked is not None and asked.unit == MENTION and "有没有" not in asked.thing
    assert asked_entity("四川会建元宇宙专家库吗?").unit == MENTION
    assert asked_entity("江苏有什么元宇宙政策?") is None
    # judged only for support a plan might give: every word of that instrument counts as mentioning it
    assert {"税收优惠", "减税", "加计扣除"} <= offered(asked.thing)
    assert {"补贴", "补助", "资助"} <= offered("有没有研发补贴")
    assert offered("可以不收现金而是换成项目的股份吗") == set()  # no instrument: a paraphrase may be what it says
    assert offered("有没有证券公司的说法") == set()  # `券` (a voucher) is no word of `证券`
    assert "证券化" in offered("有没有证券化的说法")  # (securitisation is financing)


def test_social_insurance_does_not_mention_financing():
    """`有没有贷款贴息?` asks financing; a plan that only names 养老保险 (social insurance) does not mention it."""
    from types import SimpleNamespace

    from rag.answer.judged import mentioning, offered
    from rag.types import Clause, ClauseKind

    def corpus(text: str) -> SimpleNamespace:
        clause = Clause(plan_id="x-2025", item_path="一、", item_title="", text=text, kind=ClauseKind.ITEM)
        return SimpleNamespace(clauses_of=lambda plans: [clause])

    words = offered("这个计划有没有贷款贴息?")
    assert "保险" in words  # (insurance is financing …)
    assert mentioning(corpus("实现企业职工基本养老保险全国统筹。"), ["x-2025"], words) is None  # (… social insurance not)
    assert mentioning(corpus("鼓励发展渔业保险。"), ["x-2025"], words) is not None


def test_a_number_word_that_describes_the_asker_is_not_asked():
    from rag.answer.asked import asked_number

    def is_word(_):
        return False
    # the last part asks something else: `招了几个外国专家` says who is asking
    assert asked_number("我们公司招了几个外国专家,上海对他们办居留有什么便利措施?", is_word) is None
    assert asked_number("扩大内需纲要提出打造哪几个世界级机场群?", is_word) is None  # which ones, not how many
    assert asked_number("概念验证方案提出到2027年要建成多少家平台?", is_word).unit == "家"
    assert asked_number("被遴选为标杆示范场景的,能拿多少奖励?", is_word).unit == "金额"  # asked in the last part


def test_a_press_conference_is_no_issuance_and_a_list_of_one_plan_no_comparison():
    from rag.answer.intent import COMPARE, about_document

    assert not about_document("做锂电池出口的企业,上海市场监管部门在发布会上说了什么办法?")
    assert about_document("上海概念验证方案是什么时候发布的?")
    assert not COMPARE.search("重点实验室管理办法规定的评估结果分为哪几个等级?")
    assert COMPARE.search("哪几个省的计划提到了数字人?") and COMPARE.search("哪几个区有元宇宙政策?")
    # where something is, not which places have a policy
    assert not COMPARE.search("首批市级的先导区都在哪几个地方?") and not COMPARE.search("这些基地建在哪些地方?")
    assert COMPARE.search("在哪些地方有元宇宙产业政策?") and COMPARE.search("哪些地方出台了算力券?")
    assert COMPARE.search("数字经济规划和数字经济报告各提出了什么部署?") and COMPARE.search("两个办法各怎么规定的?")
    assert not COMPARE.search("各类企业可以申请哪些补贴?") and not COMPARE.search("支持各级政府建设平台")


def test_a_company_naming_a_document_and_one_using_the_same_words_otherwise():
    from rag.answer.asked import asked_number
    from rag.answer.intent import NAMES_DOCUMENT

    assert NAMES_DOCUMENT.search("我们是杭州一家做VR头显的企业,浙江元宇宙行动计划里有什么规定?")
    assert not NAMES_DOCUMENT.search("我们公司计划明年在杭州建厂,有什么补贴政策?")  # `计划` the verb
    assert not NAMES_DOCUMENT.search("我们是杭州的企业,有什么办法申请补贴?")  # `办法` a way
    # the asking part is the last sentence too, not only the last comma part
    assert asked_number("我们公司招了几个外国专家。上海对他们有什么便利措施?", lambda _: False) is None
    # how a number is set is asked, not the number
    assert asked_number("卫星直连那个规定里,运营商收多少钱是怎么定的?", lambda _: False) is None



def test_a_word_naming_a_kind_of_document_never_names_a_plan_alone():
    from rag.answer.plans import PlanResolver
    from rag.types import PlanMeta

    titles = {"pool": "上海市 科技 专家库 管理办法", "lab": "上海市 重点 实验室 建设 方案", "sat": "卫星 直连 管理 规定"} | {
        f"other-{i}": f"其他 文件{i}" for i in range(7)}
    plans = {pid: PlanMeta(plan_id=pid, file=f"{pid}.txt", title=t) for pid, t in titles.items()}
    resolver = PlanResolver(plans, str.split, lambda _: False)
    assert resolver.resolve("发布会 上 说 了 什么 管理办法").plans == ()  # one title's 管理办法, no topic word of it
    assert resolver.resolve("按 什么 规定 处理").plans == ()
    assert resolver.resolve("专家库 管理办法 怎么 说").plans == ("pool",)  # with its topic, the kind adds
    assert resolver.resolve("卫星 直连 规定 怎么 说").plans == ("sat",)


def test_a_plan_named_faintly_is_asked_beside_the_plans_the_best_clauses_come_from():
    from rag.answer.plans import Resolution, with_best_found

    asked: list[int] = []

    def best() -> list[str]:
        asked.append(1)
        return ["direct", "opinion", "direct", "other", "more"]

    faint = Resolution(("opinion",), (3.3,), ("opinion",), (("opinion", 3.3),))
    assert with_best_found(["opinion"], faint, 4.2, 3, best) == ["opinion", "direct", "other"]  # once each, named first
    assert with_best_found(["opinion"], faint, 4.2, 2, best) == ["opinion", "direct"]  # at most `limit` plans
    alike = Resolution(("a", "b", "c"), (3.0, 3.0, 3.0), ("a", "b", "c"), (("a", 3.0), ("b", 3.0), ("c", 3.0)))
    assert with_best_found(["a", "b", "c"], alike, 4.2, 2, best) == ["a", "b", "c"]  # never fewer than named
    clear = Resolution(("opinion",), (8.1,), ("opinion",), (("opinion", 8.1),))
    copied = Resolution(("opinion",), (1.0,), ("opinion",), copied=True)
    dated = Resolution(("opinion",), (3.3,), ("opinion",), (("opinion", 3.3),), dated=("opinion",))
    asked.clear()
    assert with_best_found(["opinion"], clear, 4.2, 3, best, "卫星通信的指导意见对这个怎么说?") == ["opinion"]
    assert with_best_found(["opinion"], clear, 4.2, 3, best, "通信发布会上怎么说?") == ["opinion"]
    assert asked == []
    # named clearly by a question that speaks of no document: its words are what it asks about
    assert with_best_found(["opinion"], clear, 4.2, 3, best, "做手机连卫星业务的公司要不要出力?") == \
        ["opinion", "direct", "other"]
    asked.clear()
    assert with_best_found(["opinion"], copied, 4.2, 3, best) == ["opinion"]
    assert with_best_found(["opinion"], dated, 4.2, 3, best) == ["opinion"]  # named by its year as well
    assert with_best_found([], Resolution((), ()), 4.2, 3, best) == []  # naming none: the whole scope already
    assert asked == []  # the search is made only for a faint name


def test_a_named_places_own_plans_answer_unless_a_national_one_is_named_clearly_or_by_its_title():
    from rag.answer.intent import NATIONAL
    from rag.answer.plans import Resolution, own_first

    national, scope, clearly = frozenset({"china"}), ["china", "shanghai", "shanghai-qa"], 4.0
    tied = Resolution(("china", "shanghai"), (3.7, 3.7), reached=(("china", 3.7), ("shanghai", 3.7)))
    assert own_first(["china", "shanghai"], tied, national, scope, clearly) == ["shanghai"]
    # named far better by a generic word (`各部门` for `七部门…`): the place's own named plans, the close ones
    behind = Resolution(("china",), (7.0,), reached=(("china", 7.0), ("shanghai", 3.7), ("shanghai-qa", 2.5)))
    assert own_first(["china"], behind, national, scope, clearly) == ["shanghai"]
    assert own_first(["china"], behind, national, ["china", "shanghai-qa"], clearly) == ["shanghai-qa"]  # (its scope)
    # an own plan named only beside the national plan that accounts for its words is still the own plan named best,
    # over own plans named by fainter words (`Shanghai's press conference on future industries`)
    pruned = Resolution(("china",), (6.3,), ("china", "shanghai-qa"), (("china", 6.3), ("shanghai", 3.7), ("shanghai-qa", 2.6)))
    assert own_first(["china"], pruned, national, scope, clearly) == ["shanghai"]
    kept = Resolution(("china",), (6.3,), ("china", "shanghai"), (("china", 6.3), ("shanghai", 3.7), ("shanghai-qa", 2.6)))
    assert own_first(["china"], kept, national, scope, clearly) == ["shanghai"]
    faint = Resolution(("china",), (3.0,), reached=(("china", 3.0),))
    assert own_first(["china"], faint, national, scope, clearly) == []  # the place's plans answer
    clear = Resolution(("china",), (5.0,), reached=(("china", 5.0),))
    assert own_first(["china"], clear, national, scope, clearly) == ["china"]
    copied = Resolution(("china",), (1.0,), ("china",), copied=True)
    assert own_first(["china"], copied, national, scope, clearly) == ["china"]
    # of the place's own plans, those a year names too; those named beside better-named ones before the rest
    dated = Resolution(("shanghai",), (9.7,), ("shanghai", "shanghai-qa"), reached=(("shanghai", 9.7),
                       ("shanghai-qa", 8.0)), dated=("shanghai",))
    assert own_first(["shanghai"], dated, national, scope, clearly) == ["shanghai"]
    subsumed = Resolution(("china",), (7.0,), ("china", "shanghai-qa"), reached=(("china", 7.0), ("shanghai", 3.7),
                          ("shanghai-qa", 3.7)))
    assert own_first(["china"], subsumed, national, scope, clearly) == ["shanghai-qa"]
    assert NATIONAL.search("上海落实国家未来产业意见有哪些方向?") and not NATIONAL.search("上海未来产业先导区有哪几个?")
    # a place's standing in the country is no question about the national level: its own plan says it
    assert not NATIONAL.search("By what year does Yongchuan aim to become a nationally known metaverse city?")
    assert not NATIONAL.search("永川要在哪一年建成全国知名的元宇宙示范城市?")
    assert not any(NATIONAL.search(f"打造全国{w}的示范区") for w in ("领先", "第一", "率先", "首个"))
    assert NATIONAL.search("What do the national plans say?") and NATIONAL.search("全国一体化算力网络怎么布局?")


def test_a_comparison_compares_the_plans_named_well_and_those_a_year_names():
    from rag.answer.plans import Resolution

    two = Resolution(("a", "b"), (14.7, 13.1), ("a", "b", "c"), (("a", 14.7), ("b", 13.1), ("c", 5.4)))
    assert two.compared() == ("a", "b")  # `c` named by one word of the matter compared, at a third of the score
    assert Resolution(two.plans, two.scores, two.named, two.reached, dated=("c",)).compared() == ("a", "b", "c")
    copied = Resolution(("a",), (1.0,), ("a", "b", "c"), (("b", 10.0), ("c", 3.0)), copied=True)
    assert copied.compared() == ("a", "b")  # a copied title, and of the rest those named well
    assert Resolution(("a",), (1.0,), ("a", "b")).compared() == ("a", "b")  # no scores: every plan named


def test_which_bodies_issued_a_document_asked_in_several_words():
    from rag.answer.intent import about_document, wants
    from rag.text.patterns import BODY

    for question in ("这份方案是由哪几个部门联合印发的?", "方案是哪些部门印发的?", "方案是哪个单位发布的?"):
        assert about_document(question), question
        assert any(shape is BODY for shape, _ in wants(question, 0.3)), question
