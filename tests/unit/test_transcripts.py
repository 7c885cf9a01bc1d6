"""A press conference's questions as transcripts write them: each reporter's turn opens `问答N`, whatever courtesy
follows its question mark or however the turn is marked."""
from __future__ import annotations

import pytest

from rag.ingest.shapes import QUESTION
from rag.ingest.structure import parse_document

TRANSCRIPT = """问答实录:《关于支持民营企业发展的若干措施》新闻发布会

主持人:各位记者朋友,大家上午好。下面请记者朋友提问。

新华社记者:这次《若干措施》在融资方面有哪些新举措?谢谢。

张三:我们将设立民营企业融资风险补偿资金,对合作银行发放的首贷给予风险补偿。

彭博社记者(英文):外资参股的民营企业能否享受这些政策?

李四:凡在本市注册的企业,均可按规定享受。为什么这样设计?因为我们希望一视同仁。

中国日报记者:请介绍一下政策兑现的时间安排。

王五:政策自2025年1月1日起施行,有效期三年。
"""


@pytest.mark.parametrize("line, asked", [
    ("新华社:这次《若干措施》提出培育未来产业,怎么样确定的?", True),
    ("中央广播电视总台央广记者:请问下一步有什么考虑?谢谢。", True),  # a courtesy after the question
    ("上海证券报:浦东将如何推进?谢谢!", True),
    ("彭博社记者(英文):外资企业能否参与?", True),
    ("中国日报记者:请介绍一下有关情况。", True),  # a reporter's turn that asks without a question mark
    ("问:请介绍一下政策背景。", True),
    ("记者问:请介绍一下政策背景。", True),
    ("屈炜:《若干措施》中重点领域的研究确定,核心逻辑是三个方面。", False),  # an answer
    ("李慧:浦东是工业重镇,为什么这么说呢?大家知道,浦东集聚了大量企业。", False),  # a question answered in the turn
    ("主持人:下面请记者朋友提问。", False),
    ("主持人:还有哪位记者朋友要提问?", False),  # the host asks for questions
    ("张三(主持人):还有哪位记者朋友要提问?", False),
    ("主持人:请问王局长,这次措施有哪些亮点?", True),  # an online interview's host asks
    ("张三(市发展改革委副主任):那么企业要做什么准备呢?", False),  # an official's rhetorical question
    ("新华社记者:这次有哪些新举措?感谢。", True),
    ("东方卫视:请介绍一下政策兑现的时间安排。", True),  # a news outlet's turn that asks, without a question mark
    ("澎湃新闻:我们想了解一下申报流程。", True),
    ("上海人民广播电台:浦东是核心区,请问目前发展情况。", True),
    ("问题3:如何申报?", True),
    ("Q2:Who can apply?", True),
    ("一是搭建服务平台:建设一批公共服务平台。", False),  # an answer's lead ending in an outlet-like word
    ("工业互联网:推动企业上云用数赋智。", False),
    ("第一财经:政策兑现的时间安排。", False),  # an outlet's turn that asks nothing is no question
    ("记者提问:请介绍一下政策背景。", True),
    ("澎湃新闻记者 张三:请介绍一下申报流程。", True),  # the reporter named after the outlet
    ("网友“小王”:企业怎么申请这项补贴。", True),  # an online interview's asker
    ("1.问:请介绍一下政策背景。", True),  # a numbered asked turn
    ("记者朋友们:大家上午好。", False),  # the host greets the reporters
    ("【新民晚报记者】请问政策什么时候开始实施。", True),  # the asker in brackets
    ("【典型案例】某企业获得了补贴。", False),
    ("【问】企业如何申请补贴?", True), ("问题:请介绍一下。", True), ("提问1:请介绍一下。", True),
    ("问题1.如何申报。", True),
    # an answer's or a plan's lead ending in an outlet-like word, a report's source, is no question
    ("一是用好主流媒体:通过报纸、电视等渠道,让更多企业了解政策。", False),
    ("二是推进线上申报:企业可通过一网通办平台提出申请。", False), ("二是政策密集出台:针对企业关心的问题出台措施。", False),
    ("四是建设算力网:解决算力供给问题。", False), ("1.网上申报:企业登录系统提出申请。", False),
    ("3.定期通报:对发现的问题及时整改。", False), ("正如记者所说:这是个好问题。", False),
    ("针对网友反映的问题:我们及时整改。", False), ("【相关报道】浦东新区发布了新政策。", False),
    ("【新华网】日前,上海发布了新政策。", False), ("(本报记者)张三报道", False),
])
def test_a_reporters_turn_is_a_question(line, asked):
    assert bool(QUESTION.match(line)) is asked


def test_each_reporters_turn_opens_the_next_numbered_question():
    doc = parse_document(TRANSCRIPT, "x-qa-2025", "x.txt")
    qa = [c for c in doc.clauses if c.item_path.startswith("问答")]
    assert [c.item_path for c in qa] == ["问答1", "问答2", "问答3"]
    assert "风险补偿" in qa[0].text and "一视同仁" in qa[1].text and "有效期三年" in qa[2].text


OPENING = """问答实录:《关于促进某某产业发展的若干措施》有关情况

主持人:各位记者朋友,大家上午好!欢迎参加市政府新闻发布会。出席今天发布会的有市发展改革委副主任张三先生。首先请张三先生介绍有关情况。

张三:各位记者朋友,大家上午好!下面我向大家介绍《若干措施》的主要内容。《若干措施》共20条,主要包括以下四个方面。

一是加大财政支持。对新引进的企业给予最高500万元奖励。

二是优化营商环境。推行一网通办,审批时限压缩至5个工作日。

三是强化人才保障。对引进的高层次人才给予安居支持。

主持人:谢谢张三先生的介绍。下面进入提问环节。

解放日报记者:请问《若干措施》对中小企业有哪些支持?

李四:我们将设立专项资金,对中小企业给予贷款贴息。

东方卫视记者:请问政策什么时候开始实施?

张三:《若干措施》自2025年7月1日起施行,有效期三年。
"""


def test_the_turns_before_the_first_question_are_the_transcripts_own_preamble():
    """The host's opening and an official's statement, however long and though the host greets the 记者朋友, are the
    transcript's own text (`前言`), not a news report about it (`相关报道`)."""
    doc = parse_document(OPENING, "x-qa-2025", "x.txt")
    assert [c.item_path for c in doc.clauses] == ["前言", "问答1", "问答2"]
    assert doc.clauses[0].text.startswith("主持人:各位记者朋友") and "最高500万元奖励" in doc.clauses[0].text
    assert not doc.news


def test_a_transcripts_opening_starts_at_its_first_turn():
    """A news report or a meeting's account above the first turn stays 相关报道; from the first turn on (a speaker with
    a bracketed role, lines a news report would hold, an unpunctuated heading) it is the opening, read as spoken."""
    from rag.itempath import spoken_preamble

    text = OPENING.replace("主持人:各位记者朋友", "据市政府新闻办消息,今天上午举行新闻发布会,介绍有关情况。\n\n"
                           "张三(市发展改革委副主任):各位记者朋友,《若干措施》已正式印发了。\n\n(一)加大财政支持力度\n\n"
                           "主持人:各位记者朋友", 1)
    doc = parse_document(text, "x-qa-2025", "x.txt")
    assert [c.item_path for c in doc.clauses] == ["相关报道", "前言", "问答1", "问答2"]
    opening = doc.clauses[1]
    assert opening.text.startswith("张三(市发展改革委副主任):") and "(一)加大财政支持力度" in opening.text
    assert spoken_preamble(opening) and not spoken_preamble(doc.clauses[0])


def test_a_plans_preamble_with_a_colon_is_no_speakers_turn():
    from rag.itempath import spoken_preamble

    plan = ("某市促进企业发展行动方案\n\n编者按:为支持企业发展,对新落户的企业给予最高300万元开办补贴。\n\n一、总体要求\n\n"
            "(一)发展目标。到2027年,企业数量翻番。\n\n二、重点任务\n\n(一)加大支持。对企业给予奖励。\n")
    doc = parse_document(plan, "x-2025", "x.txt")
    preamble = [c for c in doc.clauses if c.item_path == "前言"]
    assert preamble and not spoken_preamble(preamble[0])


EXPLAINED = """《关于支持概念验证平台建设的若干措施》政策解读

为便于企业了解政策,现就有关问题解读如下。

1.什么是概念验证?

概念验证是指对早期科技成果开展技术可行性验证的活动。

2.哪些单位可以申请?

在本市注册的高校、科研院所和企业均可申请。支持内容如下:

1.建设平台。对新建平台给予最高200万元支持。

2.开展服务。按服务合同金额的30%给予补贴。

3.如何申报?

通过一网通办平台在线申报,每年受理一次。
"""


def test_questions_printed_as_numbered_headings_are_the_questions_of_a_transcript():
    """A 解读 or 问答 page that numbers its questions as headings (`1.什么是概念验证?`) is a transcript: each question
    with its answer is `问答N`, and the answer's own numbered list stays in it."""
    doc = parse_document(EXPLAINED, "x-poc-qa-2025", "x.txt")
    qa = [c for c in doc.clauses if c.item_path.startswith("问答")]
    assert [(c.item_path, c.item_title) for c in qa] == [
        ("问答1", "什么是概念验证?"), ("问答2", "哪些单位可以申请?"), ("问答3", "如何申报?")]
    assert "最高200万元" in qa[1].text and "30%" in qa[1].text and "每年受理一次" in qa[2].text


def test_a_plan_with_one_heading_in_question_form_stays_a_plan():
    plan = ("某市促进企业发展行动方案\n\n一、总体要求\n\n(一)发展目标。到2027年,企业数量翻番。\n\n二、重点任务\n\n"
            "(一)为什么要加大支持?\n\n对企业给予奖励。\n\n(二)优化服务。推行一网通办。\n\n(三)强化保障。加强组织领导。\n")
    doc = parse_document(plan, "x-2025", "x.txt")
    assert doc.shape == "parts and sections" and {"一、(一)", "二、(一)", "二、(二)"} <= {c.item_path for c in doc.clauses}


def test_speakers_named_on_lines_of_their_own_open_their_turns():
    """A page that sets each speaker's name on a line of its own (`**新华社记者:**` above the question) reads as one
    whose turns start with the name; a plan's `主要任务:` above its list is left alone."""
    labelled = "\n\n".join(f"{line.split(':', 1)[0]}:\n\n{line.split(':', 1)[1]}" if ":" in line else line
                           for line in TRANSCRIPT.strip().split("\n\n"))
    doc = parse_document(labelled, "x-qa-2025", "x.txt")
    qa = [c for c in doc.clauses if c.item_path.startswith("问答")]
    assert [c.item_path for c in qa] == ["问答1", "问答2", "问答3"]
    assert qa[0].text.startswith("新华社记者:这次《若干措施》") and "风险补偿" in qa[0].text and "一视同仁" in qa[1].text
    plan = "某市行动方案\n\n一、总体要求\n\n主要任务:\n\n(一)加大支持。对企业给予奖励。\n\n(二)优化服务。推行一网通办。\n"
    assert "主要任务:" in [line for c in parse_document(plan, "x-2025", "x.txt").clauses for line in c.text.split("\n")]


BARE = """《关于促进民营经济发展的若干措施》政策解读

《若干措施》出台的背景是什么?

为贯彻落实国家部署,市政府制定了《若干措施》。

《若干措施》的主要内容有哪些?

共20条,主要包括四个方面。一是加大财政支持,对新引进的企业给予最高500万元奖励。

哪些企业可以享受?

在本市注册的民营企业均可享受。
"""


def test_a_question_and_answer_page_asking_on_unnumbered_lines_is_a_transcript():
    """A 解读 or 问答 page whose questions stand on lines of their own, unnumbered and unmarked: each with its
    answer is `问答N`; the same lines on a page not calling itself one stay paragraphs (a news page's asides)."""
    doc = parse_document(BARE, "x-qa-2025", "x.txt")
    assert [(c.item_path, c.item_title) for c in doc.clauses] == [
        ("问答1", "《若干措施》出台的背景是什么?"), ("问答2", "《若干措施》的主要内容有哪些?"), ("问答3", "哪些企业可以享受?")]
    assert "最高500万元奖励" in doc.clauses[1].text
    news = parse_document(BARE.replace("政策解读", "新闻发布"), "x-2025", "x.txt")
    assert not any(c.item_path.startswith("问答") for c in news.clauses)


def test_numbered_leads_in_answers_and_plans_stay_where_they_are():
    """An official's answer listing `一是用好主流媒体:…` keeps the next reporter's turn 问答2; a plan whose first part is
    `一、项目申报:…请…提交材料。` stays a plan; a plan setting `1.网上申报:` on lines of their own is not joined; a 解读
    page mixing `一、什么是…?` with `二、主要内容` is a plan of parts (questions must be most of its headings)."""
    answer = TRANSCRIPT.replace("张三:我们将设立", "张三:一是用好主流媒体:通过报纸、电视等渠道,让企业了解政策。\n\n"
                                "二是推进线上申报:企业可通过一网通办平台提出申请。\n\n我们将设立")
    qa = [c.item_path for c in parse_document(answer, "x-qa-2025", "x.txt").clauses if c.item_path.startswith("问答")]
    assert qa == ["问答1", "问答2", "问答3"]
    plan = ("某区促进企业发展实施办法\n\n一、项目申报:符合条件的单位请于每年3月31日前提交材料。\n\n(一)申报条件。在本区注册。\n\n"
            "二、支持内容\n\n1.网上申报:\n\n企业登录系统提出申请。\n\n2.违规举报:\n\n对申报中的问题,可向区经委举报。\n")
    doc = parse_document(plan, "x-2025", "x.txt")
    assert doc.shape == "parts and sections" and {"一、(一)", "二、1.", "二、2."} <= {c.item_path for c in doc.clauses}
    mixed = ("概念验证政策解读\n\n一、什么是概念验证?\n\n概念验证是早期验证活动。\n\n二、主要内容\n\n(一)建设平台。给予支持。\n\n"
             "(二)开展服务。给予补贴。\n\n三、哪些单位可以申请?\n\n高校和企业。\n\n四、申报流程\n\n在线申报。\n")
    doc = parse_document(mixed, "x-2025", "x.txt")
    assert doc.shape == "parts and sections" and {"二、(一)", "二、(二)", "四、"} <= {c.item_path for c in doc.clauses}


def test_a_reporters_courtesy_and_question_on_two_lines_are_one_turn_on_a_page_of_turns():
    """On an 答记者问 page of turns, a question line standing alone after a reporter's courtesy belongs to that turn:
    the page is not read as one asking on bare lines."""
    page = ("有关负责人就《若干措施》答记者问\n\n" + "\n\n".join(
        f"{outlet}记者:谢谢主持人。\n\n请问{topic}有哪些新举措?\n\n张三:我们将{topic}加大支持。"
        for outlet, topic in (("新华社", "融资"), ("东方卫视", "人才"), ("解放日报", "用地"))))
    qa = [c for c in parse_document(page, "x-qa-2025", "x.txt").clauses if c.item_path.startswith("问答")]
    assert [c.item_path for c in qa] == ["问答1", "问答2", "问答3"] and "请问融资有哪些新举措?" in qa[0].text
