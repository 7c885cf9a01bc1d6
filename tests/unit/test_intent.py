"""What a question asks, read from its words: the number it asks for, and whether it asks about the document."""
from __future__ import annotations

import pytest

from rag.answer.intent import about_document, asked_number
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
])
def test_the_number_a_question_asks_for(question, unit, thing):
    asked = asked_number(question, is_word)
    assert asked is not None and (asked.unit, asked.thing) == (unit, thing)


@pytest.mark.parametrize("question", ["永川每年培育引进多少元宇宙相关人才?", "新建概念验证平台最高能拿多少支持?",
                                      "济南对入选项目补助多少?", "江苏有什么元宇宙政策?"])
def test_no_unit_no_asked_number(question):
    assert asked_number(question, is_word) is None


@pytest.mark.parametrize("question, expected", [
    ("新的《上海市重点实验室建设与运行管理办法》文号是什么?", True),
    ("《扩大内需战略规划纲要》是由哪个机关印发的?", True),
    ("四川元宇宙行动计划是哪些部门联合印发的?", True),
    ("终端设备直连卫星服务管理规定从哪天起施行?", False),  # the closing article says when it takes effect
    ("数字经济规划要求哪些部门牵头对规划实施开展评估?", False),  # who leads an item: the item says
    ("济南对入选新型智慧城市试点示范的项目补助多少?", False),
])
def test_questions_about_the_document_itself(question, expected):
    assert about_document(question) is expected
