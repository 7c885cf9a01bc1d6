"""Other countries a question names (rag/answer/abroad.py): ISO 3166-1 names in English and Chinese."""
from __future__ import annotations

from rag.answer.abroad import countries_named


def _names(text: str) -> list[str]:
    return [c.name for c in countries_named(text)]


def test_countries_by_their_english_and_chinese_names():
    assert _names("What subsidies does Germany offer for hydrogen?") == ["Germany"]
    assert _names("越南北宁省对半导体工厂有什么税收优惠?") == ["越南"]
    assert [c.chinese for c in countries_named("Vietnam and Japan")] == ["越南", "日本"]
    assert _names("Tax incentives in Viet Nam") == ["Vietnam"]  # its common name, however written


def test_china_is_not_abroad_and_words_are_whole():
    assert _names("香港和澳门的科技政策") == [] and _names("Hong Kong's tech policy") == []
    assert _names("中国和日本在元宇宙领域有什么合作?") == []  # about China as well
    assert _names("China's cooperation with Germany") == []
    assert _names("增加纳入统计的企业有什么奖励?") == []  # 加纳 (Ghana) is not a word here
    assert _names("we turkey-proof the germany-based lab") == []  # not capitalised: not a name
