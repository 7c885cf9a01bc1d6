"""The five real plans parse into the clauses the issue lists: counts, spot checks, labels, no noise."""
from __future__ import annotations

import re
from collections import Counter

import pytest
from support import PLAN_IDS, by_path

from rag.ingest.body import COLUMN, GOAL, ITEM, PART, SECTION, SUBITEM
from rag.itempath import split_path
from rag.text.normalize import has_cjk_gap, strip_space, to_simplified


def _items(clauses, part: str) -> list[str]:
    """Distinct item paths (down to the `N.` label) under a part, in document order."""
    out: list[str] = []
    for c in clauses:
        if c.item_path in ("前言", "印发通知", "相关报道"):
            continue
        labels = split_path(c.item_path)
        if labels[0] != part:
            continue
        cut = next((i for i, label in enumerate(labels) if re.fullmatch(r"\d+\.", label)), None)
        if cut is None:
            continue
        path = "".join(labels[: cut + 1])
        if path not in out:
            out.append(path)
    return out


def _number(path: str) -> int:
    return int(re.search(r"(\d+)\.$", path).group(1))


def test_yongchuan_items_1_to_15(library):
    items = _items(library.clauses("yongchuan-2023"), "二、")
    assert [_number(p) for p in items] == list(range(1, 16))


def test_sichuan_18_items_and_7_columns_with_40_entries(library):
    clauses = library.clauses("sichuan-2023")
    assert [_number(p) for p in _items(clauses, "二、")] == list(range(1, 19))
    entries = Counter(c.item_path for c in clauses if c.kind == "column_entry")
    columns = sorted(entries, key=lambda p: int(re.search(r"专栏(\d+)", p).group(1)))
    assert [re.search(r"专栏\d+", p).group(0) for p in columns] == [f"专栏{i}" for i in range(1, 8)]
    assert [entries[p] for p in columns] == [4, 5, 4, 9, 6, 6, 6]
    assert sum(entries.values()) == 40
    assert all(p.startswith("二、(") and not re.search(r"\d+\.专栏", p) for p in columns)  # section level


def test_jinan_items_1_to_15_and_8_sub_items(library):
    clauses = library.clauses("jinan-2022")
    assert [_number(p) for p in _items(clauses, "二、")] == list(range(1, 16))
    subs = [c.item_path for c in clauses if c.item_path.startswith("二、(一)")]
    assert subs == ["二、(一)1.(1)", "二、(一)1.(2)", "二、(一)1.(3)", "二、(一)2.(1)", "二、(一)2.(2)",
                    "二、(一)2.(3)", "二、(一)3.(1)", "二、(一)3.(2)"]
    # the source repeats `二、总体要求` as the title of part two; it stays as written
    assert by_path(library, "jinan-2022", "二、(一)1.(1)")[0].parents[0] == "总体要求"


def test_zhejiang_restarts_items_per_section(library):
    clauses = library.clauses("zhejiang-2023")
    items = _items(clauses, "二、")
    per_section = Counter(split_path(p)[1] for p in items)
    assert [per_section[f"({n})"] for n in "一二三四五"] == [3, 3, 4, 3, 3]
    assert [_number(p) for p in items] == [1, 2, 3, 1, 2, 3, 1, 2, 3, 4, 1, 2, 3, 1, 2, 3]
    projects = [c for c in clauses if c.item_path.startswith("三、")]
    assert [c.item_path for c in projects] == [f"三、({n})" for n in "一二三四五"]
    assert [c.item_path for c in clauses if c.item_path.startswith("四、")] == [f"四、({n})" for n in "一二三四"]


def test_jiangsu_items_1_to_19_and_7_section_intros(library):
    clauses = library.clauses("jiangsu-2024")
    assert [_number(p) for p in _items(clauses, "二、")] == list(range(1, 20))
    intros = [c for c in clauses if re.fullmatch(r"二、\([一二三四五六七]\)", c.item_path)]
    assert [c.item_title for c in intros] == ["创新能力跃升行动", "供给水平提质行动", "产业主体壮大行动",
                                             "工业元宇宙赋能行动", "生活元宇宙推广行动", "数字基础设施优化行动",
                                             "产业生态培育行动"]
    assert all(c.kind == "heading" and c.text.startswith(("发挥", "建设", "以", "把握")) for c in intros)


@pytest.mark.parametrize("plan_id, path, needles", [
    ("jinan-2022", "二、(一)3.(1)", ["最高补助100万元", "按照项目实际投资额的10%给予补助"]),
    ("jiangsu-2024", "二、(六)13.", ["5G-A/6G", "推进IPv6(第六版互联网协议)规模化应用"]),
    ("yongchuan-2023", "二、(五)15.", ["20万平方米", "重庆元宇宙中心"]),
    ("jiangsu-2024", "二、(七)19.", ["加强数字产品、数字创意知识产权保护和数字内容风险监管"]),
])
def test_spot_checks(library, plan_id, path, needles):
    clauses = by_path(library, plan_id, path)
    assert len(clauses) == 1, "a clause must not be split or duplicated"
    for needle in needles:
        assert needle in clauses[0].text


def test_sichuan_column_entry_spot_check(library):
    entries = {c.item_title: c for c in by_path(library, "sichuan-2023", "二、(三)专栏4")}
    assert entries["数字孪生水利应用场景"].kind == "column_entry"
    assert "都江堰" in entries["数字孪生水利应用场景"].text
    assert entries["数字孪生水利应用场景"].parents[-1] == "数字孪生空间建设工程"


def test_text_around_the_plan_is_labelled(library):
    news = by_path(library, "zhejiang-2023", "相关报道")
    assert any("钱塘区" in c.text for c in news)
    assert all(c.kind == "news" for c in news)
    assert "永川府发〔2022〕22号" in by_path(library, "yongchuan-2023", "印发通知")[0].text
    assert "川经信信安〔2023〕142号" in by_path(library, "sichuan-2023", "印发通知")[0].text
    assert "现印发给你们" in by_path(library, "jiangsu-2024", "印发通知")[0].text
    for plan_id in PLAN_IDS:
        preamble = by_path(library, plan_id, "前言")
        assert len(preamble) == 1 and preamble[0].text.endswith("。"), plan_id
        assert not any(c.text == preamble[0].text for c in library.clauses(plan_id) if c.chunk_id != preamble[0].chunk_id)


def test_a_repeated_preamble_becomes_one_clause(library):
    # The Yongchuan page shows the preamble once as a page summary and once in the plan.
    start = "为贯彻落实习近平总书记关于做强做优做大我国数字经济的重要论述"
    holders = [c for c in library.clauses("yongchuan-2023") if start in c.text]
    assert [c.item_path for c in holders] == ["前言"]
    headline = "重磅!浙江发布元宇宙发展计划:3年产业规模逾2000亿,提升元宇宙国际话语权"
    assert sum(c.text.count(headline) for c in library.clauses("zhejiang-2023")) == 1


def test_headings_that_carry_text_split_into_title_and_text(library):
    c = by_path(library, "sichuan-2023", "三、(一)")[0]
    assert c.item_title == "强化组织领导" and c.text.startswith("强化各部门之间合力")
    goal = by_path(library, "jinan-2022", "一、(二)1.")[0]
    assert goal.item_title == "产业规模持续壮大" and goal.text.startswith("到2025年,培育100家以上元宇宙企业")
    bullets = [c for c in by_path(library, "jiangsu-2024", "一、(二)") if c.kind == "goal"]
    assert [c.item_title for c in bullets] == ["产业规模持续壮大", "企业实力显著提升", "集聚效应逐步显现",
                                               "融合应用成效显著"]
    assert "突破1000亿元" in bullets[0].text


NOISE = ["卧涛", "15855199550", "19855109130", "购物车", "THEEND", "暂无讨论", "暂无评论", "最新评论", "搜索历史",
         "热搜词", "个人中心", "今日签到", "当前位置", "温馨提示", "btchangqing", "本站", "条回复", "参与讨论",
         "虹魔方", "倪健中", "收官战报", "人工智能国际治理学术论坛", "深广电王斌", "纽约州", "区块链必读", "更新时间",
         "2023-09-18 11:53", "本文来自"]


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_no_noise_traditional_characters_pinyin_or_cjk_gaps(library, plan_id):
    for c in library.clauses(plan_id):
        blob = "".join(c.parents) + c.item_title + c.text
        assert not [n for n in NOISE if n in blob], (c.item_path, c.text[:40])
        assert to_simplified(blob) == blob, (c.item_path, "traditional characters left")
        assert not re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", blob), (c.item_path, "pinyin left")
        assert not has_cjk_gap(c.text), (c.item_path, "white space between CJK characters")
        if c.kind not in ("notice", "news", "preamble"):  # only those keep the source's line breaks
            assert "\n" not in c.text, (c.item_path, "a clause of the plan body is one paragraph")


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_fidelity_every_clause_is_in_the_cleaned_text(library, plan_id):
    cleaned = strip_space(library.cleaned_text(plan_id))
    for c in library.clauses(plan_id):
        assert strip_space(c.text) in cleaned, (c.item_path, c.text[:40])
        if c.kind not in ("notice", "preamble"):  # their titles are the zone names
            assert strip_space(c.item_title) in cleaned


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_nothing_kept_is_lost_every_cleaned_sentence_is_in_some_clause(library, plan_id):
    clauses = library.clauses(plan_id)
    held = strip_space("\n".join(c.text + "\n" + c.item_title + "\n" + "\n".join(c.parents) for c in clauses))
    title = strip_space(library.meta(plan_id).title or "")
    for line in library.cleaned_text(plan_id).splitlines():
        body = line
        for rx in (PART, SECTION, ITEM, SUBITEM, COLUMN, GOAL):
            if m := rx.match(line):
                body = m.group(m.lastindex)
        for sentence in filter(None, (strip_space(s) for s in re.split(r"[。:]", body))):
            assert sentence in held or sentence in title or sentence.lstrip("附:") in title, (plan_id, line[:50])


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_clause_ids_are_stable_and_unique(library, plan_id):
    clauses = library.clauses(plan_id)
    assert len({c.chunk_id for c in clauses}) == len(clauses)
    from rag.types import clause_id

    assert all(c.chunk_id == clause_id(c.plan_id, c.item_path, c.text) for c in clauses)


def test_numbering_variants_all_give_contract_labels():
    from rag.ingest.structure import parse_document

    text = "\n".join([
        "关于印发某市元宇宙行动计划的通知", "某府发〔2024〕3号", "现印发给你们,请认真贯彻落实。", "某市人民政府", "2024年1月2日",
        "某市元宇宙行动计划", "为推动发展,制定本行动计划。",
        "一、总体要求", "( 一 )发展目标", "到2025年,产业规模达到100亿元。",
        "二、重点任务", "（二）强化支撑", "1、建设平台。建设一批平台。", "2. 培育企业", "（1）支持初创企业。给予奖励。",
        "(2)支持龙头企业。给予补助。", "专栏1 重点工程", "算力工程:建设算力中心。", "3.完善服务。提升服务。",
    ])
    doc = parse_document(text, "moushi-2024", "synthetic")
    paths = [(c.item_path, c.item_title) for c in doc.clauses]
    assert paths == [("印发通知", "关于印发某市元宇宙行动计划的通知"), ("前言", "前言"), ("一、(一)", "发展目标"),
                     ("二、(二)1.", "建设平台"), ("二、(二)2.(1)", "支持初创企业"), ("二、(二)2.(2)", "支持龙头企业"),
                     ("二、(二)专栏1", "算力工程"), ("二、(二)3.", "完善服务")]
