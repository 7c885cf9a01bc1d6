"""Is a plan still in force on a date: its end from 有效期 in its text (`有效期至2030年12月31日`,
`自2025年9月1日起施行,有效期5年`), else from its period (实施期限, or the years of its title: `(2022—2025年)`,
or the five-year plan its title names: `“十四五”数字经济发展规划` runs 2021—2025, or the one year whose work its
title plans: `关于做好2023年…重点工作的意见` is 2023's). A plan with none of these is 未载明 — never guessed."""
from __future__ import annotations

import re
from datetime import date

from ..search.corpus import CorpusView

CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_YEAR = re.compile(r"(?:19|20)\d{2}")
# the Nth five-year plan (from the third on, without gaps since): 十三五 2016—2020, 十四五 2021—2025, 十五五 2026—2030
# (the tenth, 十五, only quoted or as 十五规划/时期: `十五条措施` are fifteen measures)
_FIVE_YEAR = re.compile(r"十([一二三四五六七八九])个?五(?!条|项|个|家)|“十五”|十五(?=规划|时期|期间)")
# a year's work (`做好2023年…重点工作`, `2024年工作要点`), not a year's edition (`(2022年修订)`, `2025年版`)
_ONE_YEAR = re.compile(r"(?<!到)((?:19|20)\d{2})\s*年(?!度?[修版])度?[^(（)）《》,，\d]{0,24}?"
                       r"(?:重点工作|工作要点|工作计划|工作安排)")
_VALID_UNTIL = re.compile(r"有效期(?:至|到|截至)\s*((?:19|20)\d{2})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?")
_VALID_YEARS = re.compile(r"自\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日起(?:施行|实施|执行)[^。]{0,6}?"
                          r"有效期\s*([一二两三四五六七八九十\d]+)\s*年")


class Validity:
    def __init__(self, corpus: CorpusView):
        self.corpus = corpus
        self._periods: dict[str, dict[str, str]] = {}

    def of(self, plan_id: str, on: date) -> dict[str, str]:
        """{"period", "ends" (YYYY-MM-DD or ""), "source" (text | period | ""), "status" (有效 | 已到期 | 未载明)}."""
        if plan_id not in self._periods:
            self._periods[plan_id] = self._period(plan_id)
        v = dict(self._periods[plan_id])
        v["status"] = ("已到期" if on.isoformat() > v["ends"] else "有效") if v["ends"] else "未载明"
        return v

    def _period(self, plan_id: str) -> dict[str, str]:
        meta = self.corpus.plans[plan_id]
        for clause in self.corpus.clauses_of([plan_id]):
            m = _VALID_UNTIL.search(clause.text)
            if m:
                month, day = int(m.group(2) or 12), int(m.group(3) or 31)
                return {"period": m.group(0), "ends": f"{m.group(1)}-{month:02d}-{day:02d}", "source": "text"}
            m = _VALID_YEARS.search(clause.text)
            if m:
                years = int(m.group(4)) if m.group(4).isdigit() else CN_NUM.get(m.group(4), 0)
                y, mo, d = int(m.group(1)) + years, int(m.group(2)), int(m.group(3))
                last = date.fromordinal(date(y, mo, d).toordinal() - 1)
                return {"period": m.group(0), "ends": last.isoformat(), "source": "text"}
        for text in (meta.period, meta.title):
            found = _YEAR.findall(text or "")
            if text and found and (meta.period or re.search(r"\d{4}\s*[—\-–~至]+\s*\d{4}", text)):
                return {"period": text if text == meta.period else f"{found[0]}—{found[-1]}年",
                        "ends": f"{found[-1]}-12-31", "source": "period"}
        if meta.title and (m := _ONE_YEAR.search(meta.title)):
            return {"period": f"{m.group(1)}年(年度工作)", "ends": f"{m.group(1)}-12-31", "source": "period"}
        if meta.title and (m := _FIVE_YEAR.search(meta.title)):
            first = 1966 + 5 * (10 + CN_NUM[m.group(1)] - 3) if m.group(1) else 2001  # (十五: 2001—2005)
            name = m.group(0).strip("“”")
            return {"period": f"“{name}”({first}—{first + 4}年)", "ends": f"{first + 4}-12-31", "source": "period"}
        return {"period": "", "ends": "", "source": ""}
