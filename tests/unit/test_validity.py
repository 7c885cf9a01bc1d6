"""Is a plan in force on a date (rag/match/validity.py): from its text, its period, or the five-year plan it names."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from rag.match.validity import Validity
from rag.types import PlanMeta


def _validity(title: str, text: str = "", period: str | None = None) -> dict[str, str]:
    meta = PlanMeta(plan_id="p", file="p.txt", title=title, period=period)
    corpus = SimpleNamespace(plans={"p": meta}, clauses_of=lambda _: [SimpleNamespace(text=text)])
    return Validity(corpus).of("p", date(2026, 11, 23))


def test_a_five_year_plan_runs_its_five_years():
    fourteenth = _validity("“十四五”数字经济发展规划")
    assert fourteenth["ends"] == "2025-12-31" and fourteenth["status"] == "已到期" and "2021" in fourteenth["period"]
    assert _validity("十五五时期现代服务业发展规划")["ends"] == "2030-12-31"
    assert _validity("“十三五”国家科技创新规划")["ends"] == "2020-12-31"
    assert _validity("关于促进民营经济发展的十五条措施")["status"] == "未载明"  # fifteen measures, not the tenth plan


def test_the_text_and_the_title_years_come_before_the_five_year_plan():
    assert _validity("“十四五”某规划", "本办法自2025年9月1日起施行,有效期5年。")["ends"] == "2030-08-31"
    assert _validity("某行动计划(2023—2027年)")["ends"] == "2027-12-31"
    assert _validity("某意见")["status"] == "未载明"  # never guessed


def test_a_five_year_plan_named_in_full():
    assert _validity("中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要")["ends"] == "2025-12-31"
    assert _validity("“十一五”规划纲要")["ends"] == "2010-12-31" and _validity("“十五”计划纲要")["ends"] == "2005-12-31"


def test_a_year_s_work_ends_with_that_year():
    annual = _validity("中共中央国务院关于做好2023年全面推进乡村振兴重点工作的意见")
    assert annual["ends"] == "2023-12-31" and annual["status"] == "已到期" and "2023" in annual["period"]
    assert _validity("某市2026年科技工作要点")["status"] == "有效"
    assert _validity("某某管理办法(2022年修订)")["status"] == "未载明"  # an edition, not a year's work
    assert _validity("某市2022年度版工作计划")["status"] == "未载明"
    assert _validity("关于到2035年重点工作的意见")["status"] == "未载明"  # a target year, not a year's work
    assert _validity("某市2023年、2027年重点工作安排")["ends"] == "2027-12-31"  # the year the work is planned for
