"""Other countries whose own policy a question asks about (rag/answer/abroad.py): ISO 3166-1 names in English and
Chinese, with the short forms people write, and the EU."""
from __future__ import annotations

import pytest

from rag.answer.abroad import countries_named


def _names(text: str) -> list[str]:
    return [c.name for c in countries_named(text)]


@pytest.mark.parametrize("text, country", [
    ("What subsidies does Germany offer for hydrogen?", "Germany"),
    ("越南北宁省对半导体工厂有什么税收优惠?", "越南"),
    ("日本的半导体补贴政策是什么?", "日本"),
    ("韩国对元宇宙游戏公司有什么补贴?", "韩国"),  # a short form (ISO's Chinese is 大韩民国)
    ("柬埔寨有什么投资优惠?", "柬埔寨"),
    ("What subsidies does Russia offer to chip makers?", "Russian Federation"),
    ("Tax incentives in Viet Nam for factories", "Vietnam"),  # its common name, however written
    ("Germany's hydrogen strategy: what does it fund?", "Germany"),
    ("韩国政府对外资企业新建半导体工厂给予多少补贴?", "韩国"),  # (韩国政府 is one word of general Chinese)
    ("What is the minimum salary for a Singapore Employment Pass?", "Singapore"),  # a country's own scheme
    ("欧盟《人工智能法案》对违规使用被禁止的AI系统最高罚款多少?", "欧盟"),  # a union that makes its own law
    ("What obligations does the EU AI Act impose on providers of high-risk AI systems?", "the European Union"),
    ("How much subsidy did the Japanese government give for the chip plant in Kumamoto?", "Japan"),  # a people's adjective
    ("What do German subsidies for hydrogen cover?", "Germany"),
    # China as where goods come from is no question about China's policy
    ("What does the EU's carbon border mechanism charge on steel imported from China?", "the European Union"),
    ("欧盟对从中国进口的钢铁征收多少碳关税?", "欧盟"),
    ("Under the EU AI Act, what obligations do providers have?", "the European Union"),  # under its law
    ("What is the current US federal tax credit for a new electric vehicle?", "United States"),  # its federal tax
    ("What are the fees for the 2025 US H-1B visa lottery?", "United States"),  # its visas
])
def test_a_country_asked_about_its_own_policy(text, country):
    assert _names(text) == [country]


@pytest.mark.parametrize("text", [
    "香港和澳门的科技政策", "Hong Kong's tech policy",  # China's
    "中国和日本在元宇宙领域有什么合作?", "China's cooperation with Germany",  # about China as well
    "增加纳入统计的企业有什么奖励?",  # 加纳 (Ghana) is not a word here
    "出口到美国的元宇宙企业有什么支持政策?", "从日本引进的元宇宙人才有什么补贴?",  # a market, an origin
    "在德国留学回国的博士创业有什么补贴?", "德国企业在华投资有什么支持?",
    "What support is there for metaverse firms exporting to Japan?",
    "Which tax breaks does New Jersey give?", "What does Georgia offer?",  # ambiguous names are left out
    "we help germany-based labs",  # not capitalised: not a name
    "What subsidies can a Singapore company get?", "How can a Japan-based firm apply?",  # a company from there
    "出口到欧盟的企业有什么支持?", "欧盟企业在华投资有什么优惠?",
    "符合欧盟标准的产品有补贴吗?", "Is there funding for firms affected by EU tariffs?",  # met or faced abroad
    "欧盟对电动车加征关税,我们有什么支持?", "美国对芯片出口有限制,我司能申请哪些补贴?",  # the asker wants support at home
    "What support do Japanese companies investing in Shanghai get?", "Does China subsidise firms exporting to Japan?",
    "What are the Chinese government's subsidies for EVs?",
    "Can US companies apply for the Shanghai subsidies?", "Does the plan help firms exporting to the US market?",
    "Let us know what the plan says about US-based investors",
    "Is the data centre subsidy paid in US dollars?", "Can a US-funded enterprise apply for the subsidy?",
    "Can experts holding US work permits apply?", "How does the plan respond to the US Chips Act?",
    "Does the plan support firms that comply with the EU AI Act?",  # a law or permit the asker holds or meets
])
def test_not_a_question_about_another_countrys_policy(text):
    assert _names(text) == []
