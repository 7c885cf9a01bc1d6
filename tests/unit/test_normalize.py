"""Each cleaning rule, checked on lines of the real documents."""
from __future__ import annotations

import re

from support import raw_text

from rag.text.normalize import has_cjk_gap, normalize_line, normalize_text, to_simplified


def _raw_line(plan_id: str, needle: str) -> str:
    return next(line for line in raw_text(plan_id).splitlines() if needle in line)


def test_traditional_with_pinyin_becomes_simplified():
    assert normalize_line("重慶市永川區(qū)人民政府") == "重庆市永川区人民政府"
    line = normalize_line(_raw_line("yongchuan-2023", "永川府發"))
    assert line == "永川府发〔2022〕22号"


def test_real_parentheses_survive_pinyin_removal():
    title = normalize_line(_raw_line("yongchuan-2023", "關(guān)于印發(fā)重慶市永川區(qū)元宇宙"))
    assert "(2023-2025年)" in title
    item4 = normalize_line(_raw_line("yongchuan-2023", "4.打造數"))
    assert "平台用户生产内容(UGC)、职业生产内容(OGC)" in item4
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)", item4)


def test_pinyin_left_by_a_broken_decode_is_removed():
    # The source has `發(fā)展?fàn)I造`: the annotation lost its opening parenthesis.
    line = normalize_line(_raw_line("yongchuan-2023", "重視企業(yè)訴求"))
    assert "fàn)" not in line
    assert "发展?I造良好环境" in line  # the damaged character itself stays as the source has it: nothing invented
    assert line.startswith("重视企业诉求")


def test_pdf_spacing_is_closed_but_latin_words_keep_theirs():
    assert "近眼显示" in normalize_line(_raw_line("jiangsu-2024", "1.聚焦核心技术攻关"))
    assert normalize_line(_raw_line("jiangsu-2024", "( 一 )指导思想")) == "(一)指导思想"
    assert "突破1000亿元" in normalize_line(_raw_line("jiangsu-2024", "突破 1000 亿元"))
    assert "4K UHD(超高清)" in normalize_line(_raw_line("jinan-2022", "4K UHD"))
    assert "WiFi 7" in normalize_line(_raw_line("jinan-2022", "WiFi 7"))
    assert normalize_line("13. 完善网络基础设施 。 面向") == "13.完善网络基础设施。面向"


def test_full_width_forms_become_ascii_but_chinese_punctuation_stays():
    assert normalize_line("（1）提升能力，到２０２５年。") == "(1)提升能力,到2025年。"
    assert normalize_line("永川府发〔2022〕22号、“1650”") == "永川府发〔2022〕22号、“1650”"


def test_queries_are_normalised_like_documents():
    assert normalize_text("重慶市  元宇宙產業（補助）多少？") == "重庆市元宇宙产业(补助)多少?"


def test_gap_detector():
    assert has_cjk_gap("近眼 显示") and not has_cjk_gap("4K UHD") and not has_cjk_gap("近眼显示")
    assert to_simplified("發展") == "发展"


def test_a_responsibility_note_ends_its_sentence_and_the_next_one_starts_after_it():
    from rag.text.sentences import sentence_spans

    text = "提供人才服务。(责任单位:市商务委、市人才局)在张江高新区建设基地,吸引人才。(三)集聚人才队伍。(市科委牵头)"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "提供人才服务。", "(责任单位:市商务委、市人才局)", "在张江高新区建设基地,吸引人才。", "(三)集聚人才队伍。",
        "(市科委牵头)"]
