"""Answers over a library past the seed five: 27 documents (several plans per region, national plans, 办法 with
articles, 问答实录), with the real model. The questions here are not the evaluation's (those are scored, not
asserted one by one); the pinned numbers are on the development questions of eval/unseen (the holdout's are
scored once, at the end, and disclosed in the README)."""
from __future__ import annotations

import json

from support import PROJECT_ROOT

from rag.evaluation.score import score
from rag.limits import read_batch
from rag.types import NoAnswer

DEV = PROJECT_ROOT / "eval" / "unseen" / "dev.jsonl"


def _blob(answer) -> str:
    return answer.answer + "".join(q for c in answer.citations for q in c.quotes)


def _scored(answerer, name: str) -> dict:
    """One of eval/unseen's development question files, scored (and its headline printed)."""
    report = score(answerer, read_batch(str(DEV.with_name(name))))
    print("\n" + json.dumps({k: v for k, v in report["overall"].items() if k != "latency_ms"}, ensure_ascii=False))
    return report


def test_quality_on_the_unseen_development_questions(unseen):
    settings, answerer = unseen
    questions = read_batch(str(DEV))
    result = score(answerer, questions)
    report = result["overall"]
    print("\n" + json.dumps({k: v for k, v in report.items() if k != "latency_ms"}, ensure_ascii=False))
    assert report["citation_at_3"] >= 0.95  # today 0.973 on 125 questions (0.874 before issue 14's work)
    assert report["key_recall"] >= 0.92  # today 0.957 (0.708)
    assert report["no_answer_accuracy"] >= 0.97  # today 0.992 (0.960)
    assert report["false_no_answer_rate"] <= 0.01  # today 0 (0.018)
    # English through CC-CEDICT's glosses: today 0.933 / 0.818 (0.533 / 0.273 with meaning alone)
    assert result["by_type"]["english"]["citation_at_3"] >= 0.85
    assert result["by_type"]["english"]["key_recall"] >= 0.6
    # a question about a document's own facts (文号, dates, issuers) is answered from the plan it names
    gold = {q["id"]: {g["plan_id"] for g in q["gold"]} for q in questions}
    facts = [r for r in result["rows"] if r["type"] == "metadata"]
    assert facts and all(r["cited"] and r["cited"][0].split()[0] in gold[r["id"]] for r in facts), facts


def test_numbers_a_plan_states_and_numbers_it_does_not(unseen):
    """eval/unseen/dev_numbers.jsonl: 32 numbers the named development document does not state, 16 it does."""
    report = _scored(unseen[1], "dev_numbers.jsonl")
    # today 0.875 (0.594 before the target-year check and the wider units); false no-answers 0.0; key recall 1.0
    assert report["by_type"]["unstated"]["no_answer_accuracy"] >= 0.84
    assert report["overall"]["false_no_answer_rate"] <= 0.07
    assert report["by_type"]["fact"]["key_recall"] >= 0.9


def test_money_asked_by_name_stated_and_not_stated(unseen):
    """eval/unseen/dev_money.jsonl: amounts asked with no unit (`给予多少补贴`, `奖励金额是多少`), 18 the named
    development document states (money, a share of a cost, a multiple), 18 it does not (several beside an amount
    for another thing)."""
    report = _scored(unseen[1], "dev_money.jsonl")
    # today 0.778 (0.0 before money asked by name: every one answered with unrelated quotes); false no-answers 0.0
    assert report["by_type"]["unstated"]["no_answer_accuracy"] >= 0.7
    assert report["overall"]["false_no_answer_rate"] <= 0.06
    assert report["by_type"]["fact"]["key_recall"] >= 0.9


def test_other_facts_a_plan_does_not_state(unseen):
    """eval/unseen/dev_unstated.jsonl: 40 questions on when, how long, who, where, counts without a unit and
    yes/no, 20 the named development or seed document states and 20 it does not."""
    report = _scored(unseen[1], "dev_unstated.jsonl")
    # today 0.65 on the unstated (0.30 before who, where, counts without a unit and yes/no were judged; 0.0 before
    # times and lengths asked), none refused wrongly
    assert report["by_type"]["unstated"]["no_answer_accuracy"] >= 0.6
    assert report["overall"]["false_no_answer_rate"] <= 0.05
    assert report["by_type"]["fact"]["citation_at_3"] >= 0.85


def test_who_and_whether_a_plan_does_not_say_are_said_to_be_unstated(unseen):
    _, answerer = unseen
    who = answerer.answer("江苏元宇宙行动计划要组建的元宇宙产业发展专家委员会由哪个部门牵头组建?")
    assert who.no_answer and who.reason == NoAnswer.NOT_STATED and "牵头或负责单位" in who.answer
    assert who.citations and "专家委员会" in who.citations[0].quote  # the closest clause, as context
    stated = answerer.answer("济南哪些部门负责元宇宙内容产品?")
    assert not stated.no_answer and "市委宣传部" in _blob(stated)
    whether = answerer.answer("江苏元宇宙行动计划有没有给元宇宙企业税收优惠?")
    assert whether.no_answer and whether.reason == NoAnswer.NOT_STATED and "未提及" in whether.answer
    # a thing the plan never names in the question's words is not judged: answered as usual
    paraphrase = answerer.answer("江苏元宇宙行动计划里,帮大家出主意的那个专家班子由谁来牵头?")
    assert paraphrase.reason != NoAnswer.NOT_STATED


def test_a_two_part_question_is_quoted_on_both_parts(unseen):
    _, answerer = unseen
    a = answerer.answer("重点实验室办法对申请单位的固定人员和实验室面积分别有什么要求?")
    first = a.citations[0]
    assert (first.plan_id, first.item_path) == ("shanghai-keylab-2025", "第三章第十条")
    assert "四十人以上" in _blob(a) and "一千平方米以上" in _blob(a)
    both = "".join(first.quotes)  # the quote widened to the next sentence, or joined by it: exact quotes each
    assert "四十人以上" in both and "一千平方米以上" in both and all(q in first.context for q in first.quotes)


def test_an_open_question_is_quoted_with_the_measure_not_only_its_lead(unseen):
    """What a plan does about X: the quote is the measure's run of sentences on X (within 200 characters), not the one
    best sentence, and not a neighbour on another matter."""
    _, answerer = unseen
    first = answerer.answer("扩大内需战略规划纲要对家政服务业有什么安排?").citations[0]
    assert (first.plan_id, first.item_path) == ("china-domesticdemand-2022", "三、(九)")
    assert "员工制家政企业" in first.quote and "家政进社区" in first.quote and first.quote in first.context
    assert "冰雪" not in first.quote and len(first.quote) <= 200  # the sentence before it is on winter sports


def test_a_sentence_ending_in_a_points_heading_is_quoted_with_the_point(unseen):
    """`…重点体现在3个方面:一是科技服务业规模质效全面跃升。` says only what the point is about; the sentence after it
    (`营收从…增加到2024年的1472亿元`) is the point, up to the next one (`二是…`)."""
    _, answerer = unseen
    first = answerer.answer("上海浦东新区的科技服务业目前发展规模怎么样?").citations[0]
    assert (first.plan_id, first.item_path) == ("shanghai-techservice-qa-2025", "问答3")
    assert "一是科技服务业规模质效全面跃升" in first.quote and "1472亿元" in first.quote, first.quote
    assert "二是" not in first.quote and first.quote in first.context


def test_an_open_questions_quote_takes_a_close_neighbour_in_a_clause_of_two_sentences(unseen):
    """Scaled between a clause's best and worst sentence, the second of two always scored 0 by meaning; scaled by
    `open_gap` below the best, the sentence listing the scenarios (`打造无人出租车…`) joins the one leading it."""
    _, answerer = unseen
    a = answerer.answer("Which driverless-vehicle scenarios does Sichuan's metaverse action plan list for intelligent "
                        "interaction in the Internet of Vehicles?")
    first = a.citations[0]
    assert (first.plan_id, first.item_path) == ("sichuan-2023", "二、(三)专栏6")
    assert "无人出租车" in first.quote and "自动驾驶" in first.quote and first.quote in first.context, first.quote


def test_a_long_clause_is_found_by_the_one_sentence_a_question_paraphrases(unseen):
    """一、(一) and 一、(二) of the digital economy plan are long (a paragraph of achievements, one of reasons): their
    passage vectors blur; a question about one of their sentences finds them by that sentence's own vector."""
    settings, answerer = unseen
    assert settings.sentence_weight > 0
    for question, item in (("工业企业的生产设备数字化水平怎么样了?", "一、(一)"),
                           ("数据在提高生产效率方面有什么乘数作用?", "一、(二)")):
        hits = answerer.retriever.retrieve(question, k=3, plans=["china-digitaleconomy-2022"]).hits
        assert hits[0].item_path == item, (question, [h.item_path for h in hits])


def test_a_plan_named_by_one_word_the_question_uses_for_its_matter_does_not_hide_the_plan_that_answers(unseen):
    """`通信` is a word of the satellite-communication opinion's title only, so `…通信星…` names that opinion, faintly;
    what is asked (a real name when the service is opened) is a rule of the direct-to-satellite regulation."""
    _, answerer = unseen
    answer = answerer.answer("用手机直接连天上的通信星打电话,开通时运营商会不会要我提供真名实姓?")
    assert answerer.named.resolve(answer.question).plans == ("china-satcom-2025",)  # (still named, faintly)
    cited = [(c.plan_id, c.item_path) for c in answer.citations[:3]]
    assert ("china-satdirect-2025", "第三章第二十四条") in cited, cited
    assert answer.candidates == () and not answer.answer.startswith("这个问题可能指")  # one plan named: no choice
    # a plan named faintly that answers still answers first (the searched plans are candidates, not the answer)
    pool = answerer.answer("和被评项目的负责人三年内合作发表过论文的专家,还能当这个项目的评审专家吗?")
    assert pool.citations[0].plan_id == "shanghai-expertpool-2025", [c.plan_id for c in pool.citations]
    # named clearly, the plan alone answers
    clear = answerer.answer("卫星通信产业指导意见对卫星通信业务的市场准入怎么优化?")
    assert {c.plan_id for c in clear.citations} == {"china-satcom-2025"}


def test_the_words_of_a_plans_alias_name_the_plan_not_the_number_asked(unseen):
    """`2021年的中央一号文件` is the manifest's alias of the 2021 opinion, not its title: its words (中央, 一号, 文件) are
    no part of the rate asked for, which the plan states (`到2025年农村自来水普及率达到88%`)."""
    _, answerer = unseen
    assert {"一号", "文件"} <= answerer.corpus.title_terms("china-ruralrevival-2021")
    answer = answerer.answer("2021年的中央一号文件要求到2025年农村自来水普及率达到多少?")
    assert not answer.no_answer, answer.answer[:80]
    assert any("88%" in q for c in answer.citations[:1] for q in c.quotes), answer.answer[:200]


def test_the_no_1_document_in_english_is_the_central_no_1_document(unseen):
    """`No.1` is `一号` (`2021年中央一号文件`, the 2021 opinion's alias), which no dictionary gloss says: without it, `the
    2021 No.1 document` named whichever plan of 2021 its other words fitted."""
    _, answerer = unseen
    answer = answerer.answer("What does the 2021 No. 1 document say about the transition period for counties lifted out "
                             "of poverty?")
    assert answer.citations[0].plan_id == "china-ruralrevival-2021", [c.plan_id for c in answer.citations]
    # named by its year too, it is asked even when its best clauses on a word every plan uses (`funding` -> 资金…)
    # are not among the library's best: a plan's glosses alone must agree with the content, a year and its name not
    funding = answerer.answer("What does the 2021 No.1 document say about funding support?")
    assert funding.citations[0].plan_id == "china-ruralrevival-2021", [c.plan_id for c in funding.citations]


def test_a_comparison_quotes_each_plan_on_the_matter_and_only_the_plans_it_names(unseen):
    """The words naming the compared plans name no aspect (the 规划's 印发通知 holds every one of them); a plan one
    word of the compared matter names faintly (`应急`) is not compared."""
    _, answerer = unseen
    a = answerer.answer("“十四五”数字经济发展规划和国务院关于数字经济发展情况的报告,在开源生态方面分别怎么说?")
    assert {c.plan_id for c in a.citations} == {"china-digitaleconomy-2022", "china-digitaleconomy-report-2022"}
    assert all("开源" in "".join(c.quotes) and c.item_path not in ("印发通知", "前言") for c in a.citations), a.citations
    a = answerer.answer("卫星通信指导意见和终端设备直连卫星服务管理规定在应急通信上各有什么安排?")
    assert {c.plan_id for c in a.citations} == {"china-satcom-2025", "china-satdirect-2025"}, a.citations
    # (a plan the wide search missed: its own search's first clauses compete by their best sentence, not its first hit,
    # which held the other plan's title words)
    assert all("应急" in "".join(c.quotes) for c in a.citations), a.citations
    # a year naming a plan names no aspect (the report's speech header holds `2022年`); a clause is as good as the
    # best sentence its quote holds (the sentence the embedding preferred may hold none of the question's words)
    a = answerer.answer("对平台经济的监管方式,“十四五”数字经济发展规划和国务院2022年关于数字经济发展情况的报告分别提出了什么?")
    assert {(c.plan_id, c.item_path) for c in a.citations} == {("china-digitaleconomy-2022", "八、(二)"),
                                                               ("china-digitaleconomy-report-2022", "三、(六)")}, a.citations
    # a plan's own clause before the 相关报道 summarising it (which names every task in one long sentence)
    a = answerer.answer("江苏和浙江的元宇宙行动计划,在商场、零售这类消费场景上分别打算怎么用元宇宙?")
    assert ("zhejiang-2023", "二、(三)1.") in {(c.plan_id, c.item_path) for c in a.citations}, a.citations


def test_a_document_signed_where_its_text_ends_is_dated_there(unseen):
    """The 指导意见 has a notice without a date; it is signed and dated on its last line (`工业和信息化部2025年8月25日`)."""
    _, answerer = unseen
    a = answerer.answer("《工业和信息化部关于优化业务准入促进卫星通信产业发展的指导意见》的落款日期是哪天?")
    assert not a.no_answer and "2025年8月25日" in a.citations[0].quote, a.citations
    assert a.citations[0].plan_id == "china-satcom-2025"


def test_a_signature_run_on_after_the_last_sentence_dates_the_document_and_is_cited_only_for_what_it_states(unseen):
    """The 若干意见's notice gives its 文号 but no date; its text ends `…(责任单位:市科委、市统计局)上海市人民政府办公厅
    2025年5月17日` (the page lost the line break). Asked who issued it and when, the signature answers; asked the
    文号, the notice alone does."""
    _, answerer = unseen
    a = answerer.answer("上海《关于进一步深化改革创新 加快科技服务业高质量发展的若干意见》是以哪个机关名义、在哪天印发的?")
    assert "上海市人民政府办公厅2025年5月17日" in a.citations[0].quote, a.citations
    a = answerer.answer("上海《关于进一步深化改革创新 加快科技服务业高质量发展的若干意见》的文号是多少?")
    assert [c.item_path for c in a.citations] == ["印发通知"], a.citations


def test_an_item_closing_on_its_bodies_alone_names_who_is_responsible(unseen):
    """The food plan closes each item on its bodies, bracketed with no label: `(市商务委、市经济信息化委)`."""
    _, answerer = unseen
    a = answerer.answer("上海食品科技行动方案在优化餐食配送上鼓励借助哪些智能运输装备?这项任务由哪些部门负责?")
    first = a.citations[0]
    assert (first.plan_id, first.item_path) == ("shanghai-food-2026", "五、9."), a.citations
    assert "无人机、物流机器人" in "".join(first.quotes) and "市商务委、市经济信息化委" in "".join(first.quotes), first.quotes


def test_a_responsibility_line_is_quoted_with_what_it_is_responsible_for(unseen):
    """Asked what a plan does and who is responsible, an answer whose quote is the `(责任单位:…)` line quotes the
    sentence it answers for as well (English: the dictionary's words share too little with it to be an aspect)."""
    _, answerer = unseen
    a = answerer.answer("What major computing project does Jinan's metaverse action plan want to speed up in order to "
                        "attract 'chain leader' companies, and which city bodies are responsible for that task?")
    cited = {c.item_path: "".join(c.quotes) for c in a.citations if c.plan_id == "jinan-2022"}
    assert "中国算谷重大项目建设" in cited.get("二、(一)3.(2)", "") and "市投资促进局" in cited["二、(一)3.(2)"], a.citations


def test_an_enumeration_is_quoted_through_the_sentences_that_continue_it(unseen):
    """`扮演多重角色:首先,…提炼者;其次,…提供者;同时,…推广者。`: all three roles, not the lead with its neighbours before."""
    _, answerer = unseen
    a = answerer.answer("科技服务业若干意见发布会上,市科协认为学(协)会在科技服务中可以扮演哪几种角色?")
    first = a.citations[0]
    assert (first.plan_id, first.item_path) == ("shanghai-techservice-qa-2025", "问答4"), a.citations
    assert all(role in first.quote for role in ("需求的提炼者", "应用场景的提供者", "科技服务的推广者")), first.quote


def test_a_plan_naming_the_compared_field_among_many_is_answered_by_its_clause_on_that_field(unseen):
    """济南's goals list 教育培训 among five fields; its task 推广数字教育场景 is what it plans for education."""
    _, answerer = unseen
    a = answerer.answer("济南和永川的元宇宙计划在教育培训领域分别打算怎么应用元宇宙?")
    cited = {c.plan_id: c.item_path for c in a.citations}
    assert cited.get("jinan-2022") == "二、(三)11." and cited.get("yongchuan-2023") == "二、(三)7.", a.citations


def test_a_joint_notices_signatures_are_quoted_whole(unseen):
    """Every signing body, 海关总署 too (a body's name may end in 署); and asked beside the 文号, the signatures as one
    further quote."""
    _, answerer = unseen
    first = answerer.answer("直连卫星服务管理规定是哪几个部门一起发的文?").citations[0]
    signed = ("国家互联网信息办公室", "工业和信息化部", "公安部", "海关总署", "国家市场监督管理总局", "国家广播电视总局")
    assert first.item_path == "印发通知" and all(body in "".join(first.quotes) for body in signed), first.quotes
    first = answerer.answer("概念验证平台建设实施方案的文号是什么,哪几个部门联合印发?").citations[0]
    assert "沪科合〔2025〕17号" in first.quote
    assert any(q.startswith("上海市科学技术委员会") and q.endswith("上海市教育委员会") for q in first.quotes), first.quotes


def test_a_lead_sentence_takes_the_detail_the_question_names(unseen):
    _, answerer = unseen
    a = answerer.answer("上海食品科技方案的“3+1”空间布局里,闵行区建设什么?")
    assert a.citations[0].item_path == "八、16." and "功能食品制造示范区" in a.citations[0].quote


def test_a_number_the_named_plan_does_not_state_is_said_to_be_unstated(unseen):
    _, answerer = unseen
    a = answerer.answer("上海市重点实验室建设与运行管理办法规定每个重点实验室最多能拿多少万元经费?")
    assert a.no_answer and a.reason == NoAnswer.NOT_STATED and "上海市重点实验室建设与运行管理办法" in a.answer
    assert a.citations and a.citations[0].plan_id == "shanghai-keylab-2025" and not a.citations[0].more_quotes
    stated = answerer.answer("重点实验室主任每届任期多少年?")
    assert not stated.no_answer and "五年" in _blob(stated)


def test_plans_named_alike_are_offered_as_candidates_and_one_can_be_picked(unseen):
    _, answerer = unseen
    a = answerer.answer("乡村振兴意见对高标准农田建设有什么要求?")
    rural = {"china-ruralrevival-2021", "china-ruralrevival-2023", "china-ruralrevival-2024"}
    assert set(a.candidates) == rural and "可能指以下几份文件" in a.answer
    assert a.to_dict()["candidates"] == list(a.candidates)
    picked = answerer.answer(a.question, plans=["china-ruralrevival-2021"])
    assert not picked.candidates and {c.plan_id for c in picked.citations} == {"china-ruralrevival-2021"}
    one = answerer.answer("2021年乡村振兴意见对高标准农田建设有什么要求?")  # its year names one of them
    assert not one.candidates and one.citations[0].plan_id == "china-ruralrevival-2021"


def test_the_page_header_answers_when_a_page_was_published_marked_as_the_header(unseen):
    _, answerer = unseen
    a = answerer.answer("前沿技术创新与未来产业培育若干措施的问答实录是什么时候发布的?")
    assert "页眉" in a.answer and "2025-10-13" in a.answer
    assert a.citations and a.citations[0].plan_id == "shanghai-futureindustry-qa-2025"
    adopted = answerer.answer("中共中央国务院关于全面推进乡村振兴加快农业农村现代化的意见的成文日期是哪天?")
    first = adopted.citations[0]  # the date printed under the title: the document's own issuing record
    assert (first.plan_id, first.item_path) == ("china-ruralrevival-2021", "印发通知") and "2021年1月4日" in first.quote


def test_a_transcript_named_by_the_document_it_discusses_is_the_transcript(unseen):
    _, answerer = unseen
    a = answerer.answer("《关于进一步深化改革创新 加快科技服务业高质量发展的若干意见》的问答实录里怎么解释概念验证?")
    assert not a.candidates and a.citations[0].plan_id == "shanghai-techservice-qa-2025"


def test_a_definition_question_gets_the_defining_sentence(unseen):
    _, answerer = unseen
    a = answerer.answer("终端设备直连卫星服务管理规定中“终端设备”指的是什么?")
    first = a.citations[0]
    assert first.plan_id == "china-satdirect-2025" and "是指" in first.quote and "终端设备" in first.quote
    # of a clause defining several terms, the sentence defining the one asked (not another's naming it)
    a = answerer.answer("《终端设备直连卫星服务管理规定》里说的“关口站”是指什么?")
    assert a.citations[0].quote.startswith("(三)关口站,是指"), a.citations[0].quote


def test_when_plans_take_effect_is_quoted_from_each_or_said_to_be_unstated(unseen):
    _, answerer = unseen
    a = answerer.answer("科技专家库管理办法和重点实验室建设与运行管理办法分别什么时候起施行?")
    by_plan = {c.plan_id: c.quote for c in a.citations}
    assert "2025年9月1日" in by_plan["shanghai-expertpool-2025"] and "2026年1月1日" in by_plan["shanghai-keylab-2025"]
    b = answerer.answer("上海食品科技创新行动方案从什么时候开始施行?")
    assert b.answer.startswith("本库收录的《上海市加快食品科技创新赋能产业发展行动方案(2026—2030年)》文本未载明施行")


def test_a_transcript_is_quoted_from_its_answer_not_from_the_question_asked(unseen):
    _, answerer = unseen
    a = answerer.answer("科技服务业问答实录中,对科技服务业企业降低融资成本有什么举措?")
    first = a.citations[0]
    assert first.plan_id == "shanghai-techservice-qa-2025" and first.item_path.startswith("问答")
    assert not any(q.rstrip().endswith(("?", "?")) for q in first.quotes) and "融资" in "".join(first.quotes)


def test_a_target_number_belongs_to_its_year(unseen):
    _, answerer = unseen
    later = answerer.answer("上海食品科技行动方案里,2030年食品工业产值的目标是多少亿元?")
    assert not later.no_answer and "1500亿元" in _blob(later)
    earlier = answerer.answer("上海食品科技行动方案里,2027年食品工业产值的目标是多少亿元?")
    assert earlier.no_answer and earlier.reason == NoAnswer.NOT_STATED


def test_english_questions_written_after_the_dictionary_bridge(unseen):
    """eval/unseen/dev_english.jsonl: 30 English questions a helper wrote from 14 development documents after the
    bridge was built (not tuned on before it was measured: 0.833 / 0.795, meaning alone 0.700 / 0.692)."""
    report = _scored(unseen[1], "dev_english.jsonl")["overall"]
    # the quote chosen by the question's meaning with its dictionary words: key recall 0.795 -> 0.897
    assert report["citation_at_3"] >= 0.78 and report["key_recall"] >= 0.85
    assert report["false_no_answer_rate"] == 0


def test_fresh_questions_written_before_the_changes_they_measure(unseen):
    """eval/unseen/dev_fresh.jsonl (60 Chinese) and dev_english_fresh.jsonl (40 English), written by helpers from
    development documents; before the changes they led to: 0.830 / 0.779, no-answer 0.883, false no-answer rate
    0.085; English 0.867 / 0.756, no-answer 0.75 (no English question out of scope refused)."""
    chinese = _scored(unseen[1], "dev_fresh.jsonl")["overall"]
    assert chinese["citation_at_3"] >= 0.97 and chinese["key_recall"] >= 0.92  # today 1.0 / 0.985
    assert chinese["no_answer_accuracy"] >= 0.93 and chinese["false_no_answer_rate"] <= 0.02  # today 0.967 / 0
    report = _scored(unseen[1], "dev_english_fresh.jsonl")
    english = report["overall"]
    assert english["citation_at_3"] >= 0.87 and english["key_recall"] >= 0.9  # today 0.900 / 0.956
    assert english["no_answer_accuracy"] >= 0.85 and english["false_no_answer_rate"] == 0  # today 0.85 / 0
    outside = [r for r in report["rows"] if r["expect_no_answer"] and not r["plan"]]
    assert outside and all(r["no_answer"] for r in outside)  # every out-of-scope English question refused


def test_english_questions_asking_two_things_get_both(unseen):
    """eval/unseen/dev_fresh17.jsonl (60), written by a helper at stop 41: 19 of its 20 English questions ask two
    things of one clause (`…, and what cap applies to members from the host institution?`); each part is answered
    by the sentence its own meaning picks. As written: 0.833 / 0.979 overall, English key recall 0.875."""
    report = _scored(unseen[1], "dev_fresh17.jsonl")
    english = report["by_type"]["english"]
    assert english["citation_at_3"] >= 0.95 and english["key_recall"] >= 0.9  # today 1.0 / 0.925
    assert report["overall"]["citation_at_3"] >= 0.95 and report["overall"]["key_recall"] >= 0.92  # today 1.0 / 0.957


def test_the_later_fresh_sets(unseen):
    """eval/unseen/dev_fresh2.jsonl (50), dev_fresh3.jsonl (60) and dev_fresh4.jsonl (60), written by helpers like the
    first two. As written: 0.750 / 0.643 (English 0.50 / 0.47), 0.745 / 0.573 and 0.933 / 0.878; each a development
    set after that first score (fresh4 only for the English rank fusion, see README)."""
    second = _scored(unseen[1], "dev_fresh2.jsonl")["overall"]
    assert second["citation_at_3"] >= 0.89 and second["key_recall"] >= 0.83  # today 0.917 / 0.857
    assert second["no_answer_accuracy"] >= 0.9 and second["false_no_answer_rate"] <= 0.03  # today 0.92 / 0
    third = _scored(unseen[1], "dev_fresh3.jsonl")["overall"]
    assert third["citation_at_3"] >= 0.86 and third["key_recall"] >= 0.84  # today 0.894 / 0.876
    assert third["no_answer_accuracy"] >= 0.9 and third["false_no_answer_rate"] <= 0.03  # today 0.933 / 0
    fourth = _scored(unseen[1], "dev_fresh4.jsonl")["overall"]
    assert fourth["citation_at_3"] >= 0.96 and fourth["key_recall"] >= 0.93  # today 1.0 / 0.960
    assert fourth["no_answer_accuracy"] >= 0.8 and fourth["false_no_answer_rate"] <= 0.05  # today 0.883 / 0.022


def test_an_english_question_finds_its_plan_through_the_dictionary(unseen):
    """No translation model: the question's English phrases become the library's words (`proof-of-concept` ->
    概念验证, `domestic demand` -> 内需), which name the plan and rank its clauses with the embedding."""
    _, answerer = unseen
    a = answerer.answer("Under Shanghai's proof-of-concept platform plan, what is the maximum funding for a newly built "
                        "platform?")
    assert {c.plan_id for c in a.citations} == {"shanghai-poc-2025"}
    assert any("3000万元" in q for c in a.citations for q in c.quotes), a.answer
    b = answerer.answer("What does the domestic demand expansion strategy outline say about high-speed rail?")
    assert b.citations and {c.plan_id for c in b.citations} == {"china-domesticdemand-2022"}


def test_an_english_question_on_a_number_gets_the_clause_stating_it_first_and_is_never_refused(unseen):
    """Read through the dictionary's senses, "not stated" would be said of stated numbers (5 of 36 in
    eval/unseen/dev_english_numbers.jsonl): the clause stating the number answers first, and nothing is refused."""
    _, answerer = unseen
    a = answerer.answer("How large, in square kilometres, is the Minhang functional food manufacturing zone in "
                        "Shanghai's food tech plan?")
    assert not a.no_answer and a.citations and a.citations[0].plan_id == "shanghai-food-2026"
    report = _scored(answerer, "dev_english_numbers.jsonl")["overall"]
    assert report["false_no_answer_rate"] == 0  # (0.139 when English numbers could be said to be unstated)
    assert report["citation_at_1"] >= 0.66 and report["citation_at_3"] >= 0.86  # today 0.750 / 0.889


def test_of_plans_named_alike_the_named_places_own_answers(unseen):
    """`上海…未来产业…` names the national future-industry opinion and Shanghai's transcript alike: Shanghai is named,
    so Shanghai's answers; also when a generic word (`各部门`, of `七部门关于…`) names the national one far better.
    A national plan named only faintly (`projects` -> 工程) gives way to the place's own plans; one named clearly
    still answers when the place has no plan on it."""
    _, answerer = unseen
    a = answerer.answer("上海首批市级未来产业先导区有哪几个?")
    assert {c.plan_id for c in a.citations} == {"shanghai-futureindustry-qa-2025"} and not a.candidates
    assert "张江、临港和大零号湾" in _blob(a)
    tasks = answerer.answer("上海在未来产业方面，各项任务由谁分工落实？")
    assert {c.plan_id for c in tasks.citations} == {"shanghai-futureindustry-qa-2025"}
    english = answerer.answer("What support does Jinan give to smart city pilot projects?")
    assert english.citations and {c.plan_id for c in english.citations} == {"jinan-2022"}
    rural = answerer.answer("济南对农业农村数字化有什么安排？")
    assert rural.citations[0].plan_id.startswith("china-ruralrevival")


def test_a_phrase_quoted_nearly_as_the_plan_writes_it_finds_its_clause(unseen):
    """“上海市科技专家库入库专家” is not in the text; its part 专家库入库专家 is, in one clause (its part 上海市科技专家库
    names the plan: no clause is found by it)."""
    _, answerer = unseen
    a = answerer.answer("按专家库办法,我的名片上能不能印“上海市科技专家库入库专家”这几个字?")
    assert "第五章第二十五条" in [c.item_path for c in a.citations[:2]], a.answer


def test_a_question_clearly_naming_a_plan_is_asked_of_the_library(unseen):
    """Told in a family's words (儿女, 没人管), a question naming the 2021 rural plan by two of its title words is no
    question from outside the library; one naming a plan by a single shared word (中央厨房) still may be."""
    _, answerer = unseen
    a = answerer.answer("儿女都在外地上班,家里老人没人管,2021年中央一号文件对农村养老怎么安排?")
    assert not a.no_answer and a.citations[0].plan_id == "china-ruralrevival-2021", a.answer
    assert "养老" in _blob(a)
    b = answerer.answer("开一家中央厨房需要办哪些证?")
    assert b.no_answer and b.reason == NoAnswer.OUT_OF_SCOPE


def test_the_sentence_holding_the_questions_words_is_quoted_when_the_embedding_prefers_another(unseen):
    _, answerer = unseen
    a = answerer.answer("What security protection schemes does the direct-to-satellite regulation require of "
                        "service operators?")
    cited = next(c for c in a.citations if (c.plan_id, c.item_path) == ("china-satdirect-2025", "第三章第二十五条"))
    assert "网络安全等级保护" in "".join(cited.quotes) and all(q in cited.context for q in cited.quotes)


def test_a_place_with_no_plan_of_its_own_is_answered_only_from_a_national_plan_it_names(unseen):
    """National plans apply everywhere but say nothing of a place's own policy: `广东省对…有什么补贴?` is refused,
    saying so; naming a national plan (or the national level) is answered from it."""
    _, answerer = unseen
    a = answerer.answer("广东省对新能源汽车充电桩建设有什么补贴？")
    assert a.no_answer and a.reason == NoAnswer.REGION_NOT_COVERED and not a.citations
    assert "广东省自己的产业计划" in a.answer and "全国性文件适用于各地" in a.answer
    named = answerer.answer("深圳的企业开展终端设备直连卫星服务需要取得哪些许可？")
    assert not named.no_answer and {c.plan_id for c in named.citations} == {"china-satdirect-2025"}
    national = answerer.answer("深圳企业能享受国家哪些乡村振兴政策？")
    assert not national.no_answer and national.citations[0].plan_id.startswith("china-ruralrevival")
    abroad = answerer.answer("日本对元宇宙游戏公司有什么补贴?")  # China's national documents do not apply there
    assert abroad.no_answer and abroad.reason == NoAnswer.REGION_NOT_COVERED and "全国性文件适用于各地" not in abroad.answer


def test_a_count_is_stated_only_where_the_thing_the_plan_writes_whole_is_named(unseen):
    """`多少个国际消费中心城市`: the plan writes 国际消费中心城市 whole, with no count: a sentence with some other
    number and the thing's words scattered (the guiding principle) does not state it."""
    _, answerer = unseen
    a = answerer.answer("扩大内需战略规划纲要提出要培育建设多少个国际消费中心城市？")
    assert a.no_answer and a.reason == NoAnswer.NOT_STATED and "国际消费中心城市" in _blob(a)
    stated = answerer.answer("济南元宇宙计划提出到2025年要培育多少家元宇宙企业？")
    assert not stated.no_answer and "培育100家以上元宇宙企业" in _blob(stated)


def test_a_list_is_quoted_with_its_items_after_its_lead(unseen):
    _, answerer = unseen
    a = answerer.answer("上海科技专家库办法要求专家参加评审时遵守哪些纪律？")
    first = a.citations[0]
    assert (first.plan_id, first.item_path) == ("shanghai-expertpool-2025", "第五章第二十五条")
    assert first.quote.startswith("专家参加评审等科技活动,应遵守以下纪律:(一)")
    assert "(二)不得违反回避制度要求" in first.quote and "(三)" in first.quote and first.quote in first.context


def test_a_number_is_stated_where_the_text_says_a_part_of_the_questions_word(unseen):
    """`复合型人才…多少人`: the plan writes `培养复合人才…每年培育引进1500-2000人` — 复合, a part of 复合型, names it."""
    _, answerer = unseen
    a = answerer.answer("永川元宇宙计划里，复合型人才一年打算培养引进多少人？")
    assert not a.no_answer and "1500-2000人" in _blob(a) and a.citations[0].item_path == "三、(三)"


def test_a_number_asked_of_a_thing_no_plan_near_the_question_names_is_out_of_scope(unseen):
    """No plan named: the number's thing is judged in the plans of the best clauses. 车辆购置税 is in none of them
    (the rural plans' 农机购置 clauses rank first): not the library's. A thing they name is answered as usual."""
    _, answerer = unseen
    a = answerer.answer("新能源汽车免征车辆购置税的政策延续到哪一年？")
    assert a.no_answer and a.reason == NoAnswer.OUT_OF_SCOPE and not a.citations
    b = answerer.answer("到2025年数字经济核心产业增加值占GDP比重要达到多少？")
    assert not b.no_answer and "10%" in _blob(b)


def test_a_modal_verb_on_a_paying_word_is_no_part_of_the_thing_paid_for(unseen):
    """`每年最多能补多少钱`: 最多能 says how it is paid (like 最多), so the plan's money sentences answer."""
    _, answerer = unseen
    a = answerer.answer("概念验证平台每年最多能补多少钱？")
    assert not a.no_answer and a.citations[0].plan_id == "shanghai-poc-2025" and "万元" in _blob(a)


def test_the_fifth_fresh_set(unseen):
    """eval/unseen/dev_fresh5.jsonl (60), written by a helper from the development documents' text before this
    stop's answer changes; as written 0.851 / 0.915 / 0.782, no-answer 0.917, false no-answer 0.085."""
    fifth = _scored(unseen[1], "dev_fresh5.jsonl")["overall"]
    assert fifth["citation_at_3"] >= 0.89 and fifth["key_recall"] >= 0.84  # today 0.915 / 0.872
    assert fifth["no_answer_accuracy"] >= 0.88 and fifth["false_no_answer_rate"] <= 0.1  # today 0.917 / 0.085


def test_the_sixth_fresh_set(unseen):
    """eval/unseen/dev_fresh6.jsonl (60), written by a helper from the development documents' text and scored once as
    written (0.878 / 0.959 / 0.899, no-answer 0.917, false no-answer 0.020) before the comparison, document-fact and
    signature changes it then measured."""
    sixth = _scored(unseen[1], "dev_fresh6.jsonl")["overall"]
    assert sixth["citation_at_3"] >= 0.96 and sixth["key_recall"] >= 0.9  # today 1.0 / 0.933
    assert sixth["no_answer_accuracy"] >= 0.9 and sixth["false_no_answer_rate"] <= 0.03  # today 0.933 / 0.020


def test_english_counts_asked_are_answered_by_the_clause_stating_them(unseen):
    """`How many typical … scenarios` is stated where a goal writes 典型应用场景 (the rare senses 代表性, 剧本 the plans
    never use weigh nothing), not in the 专栏 entries listing examples; `the minimum number of permanent staff and
    the minimum lab floor area` asks two numbers, quoted where the clause states them (四十人, 一千平方米)."""
    _, answerer = unseen
    a = answerer.answer("How many typical metaverse application scenarios does Sichuan's metaverse plan aim to build "
                        "by 2025?")
    assert a.citations[0].item_path == "一、(二)" and "200个元宇宙典型应用场景" in a.citations[0].quote
    b = answerer.answer("Under Shanghai's key laboratory management rules, what is the minimum number of permanent "
                        "staff and the minimum lab floor area required to apply for a new key lab?")
    assert b.citations[0].item_path == "第三章第十条"
    assert "四十人以上" in _blob(b) and "一千平方米以上" in _blob(b)


def test_a_count_asked_with_its_own_measure_word_is_stated_with_the_general_one(unseen):
    """`几家实验室` is stated by `超过3个…实验室`; `至少` and `按规定` bound an amount and name nothing paid for."""
    _, answerer = unseen
    a = answerer.answer("一位外部教授最多能同时给几家上海市级重点实验室当学术方面的顾问委员？")
    assert not a.no_answer and "不同时担任超过3个" in _blob(a)
    b = answerer.answer("市财政给上海市重点实验室下拨了经费，依托单位按规定至少要配套多少经费？")
    assert not b.no_answer and "不低于1倍的经费保障" in _blob(b)
