"""Support tags and the company-profile matcher, on the real corpus and index: CLI, API, chat, gold profiles."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from support import PROJECT_ROOT

from rag.api import create_app
from rag.match.matcher import APPLIES, ELSEWHERE, MAYBE
from rag.match.profile import Profile
from rag.match.report import score_profiles

PROFILES = PROJECT_ROOT / "eval" / "profiles.jsonl"


@pytest.fixture(scope="module")
def matcher(answerer):
    return answerer.matcher


def _tags(matcher, plan_id, item_path):
    return [t for t in matcher.corpus.measures if t.plan_id == plan_id and t.item_path == item_path]


def test_support_clauses_are_tagged_with_the_words_they_came_from(matcher):
    (jinan,) = _tags(matcher, "jinan-2022", "二、(一)3.(1)")
    assert jinan.measures["财政补助"] == ["补助"]
    assert jinan.amounts == ["10%", "最高补助100万元"]
    assert {"中小企业", "初创企业", "专精特新"} <= set(jinan.beneficiaries)
    assert jinan.jurisdiction == [{"code": jinan.jurisdiction[0]["code"], "name": "山东省济南市"}]
    (yongchuan,) = _tags(matcher, "yongchuan-2023", "三、(二)")
    assert {"专项资金", "基金投资", "信贷融资", "优先支持"} <= set(yongchuan.measures)
    # a news paragraph reporting a district's own policy belongs to that district, sentence by sentence
    news = [t for t in _tags(matcher, "zhejiang-2023", "相关报道") if "1000平方米3年租金" in t.amounts]
    assert len(news) == 1 and news[0].source == "news"
    rent = next(s for s in news[0].sentences if "1000平方米3年租金" in s.amounts)
    assert [p["name"] for p in rent.places] == ["浙江省杭州市钱塘区"]
    # goals and principles promise nothing to anyone; every tagged clause holds a measure word
    assert all(any(s.measures for s in t.sentences) for t in matcher.corpus.measures)
    assert 50 <= len(matcher.corpus.measures) <= 120


def test_gold_profiles_precision_recall_and_no_cross_jurisdiction_applies(matcher):
    rows = [json.loads(line) for line in PROFILES.read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) >= 25
    result = score_profiles(matcher, rows)
    assert result["cross_jurisdiction_applies"] == 0, [r for r in result["rows"] if r["cross_jurisdiction"]]
    assert result["precision"] >= 0.85 and result["recall"] >= 0.85, (result["precision"], result["recall"])


def test_every_measure_is_quoted_from_its_clause_and_placed_by_region(matcher):
    result = matcher.match(Profile.parse("杭州市钱塘区", "数字人 直播", "小型", "初创"))
    plans = {m.plan_id for m in result.measures if m.applicability in (APPLIES, MAYBE)}
    assert plans == {"zhejiang-2023"}
    assert {m.plan_id for m in result.measures if m.applicability == ELSEWHERE} == \
        {"jinan-2022", "jiangsu-2024", "sichuan-2023", "yongchuan-2023"}
    for m in result.measures:
        assert m.quote and m.quote in m.context and m.context == matcher.corpus.clause(m.chunk_id).text
        assert all(a in m.context for a in m.amounts) and m.measure_types and m.why
    # the district policy a news report quotes is never 适用, and its amounts are the text's own
    news = [m for m in result.measures if m.source == "news" and "1000万元" in m.amounts]
    assert news and all(m.applicability == MAYBE for m in news)
    assert any("不是申报指南" in n for n in result.notes)
    assert any("发布单位:浙江省发展和改革委员会等5部门" in n for n in result.notes)
    # the same profile next door gets none of Qiantang's amounts
    ningbo = matcher.match(Profile.parse("宁波", "数字人 直播", "小型", "初创"))
    assert not [m for m in ningbo.measures if "1000万元" in m.amounts and m.applicability != ELSEWHERE]


def test_a_company_only_located_above_the_plans_region_gets_no_applies(matcher):
    result = matcher.match(Profile.parse("重庆市", "数字人", "中型", ""))
    assert result.counts()[APPLIES] == 0 and result.counts()[MAYBE] > 0
    assert all("请确认" in m.why for m in result.measures if m.plan_id == "yongchuan-2023")


@pytest.mark.parametrize("args", [
    ["--region", "火星"], ["--region", "杭州", "--size", "巨型"], ["--region", "杭州", "--stage", "晚期"],
    ["--region", "西湖区"], ["--industry", "VR"], ["--region", "杭州", "--industry", "V" * 400],
])
def test_cli_bad_profiles_exit_2_with_one_line(cli, capsys, args):
    assert cli(["match", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err


def test_cli_json_result_shape(cli, capsys):
    assert cli(["match", "--region", "济南市历下区", "--industry", "VR头显", "--size", "小型", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"profile", "measures", "notes"}
    fields = {"applicability", "plan_id", "item_path", "item_title", "quote", "context", "amounts",
              "measure_types", "why"}
    assert out["measures"] and all(fields <= set(m) for m in out["measures"])
    applies = [m for m in out["measures"] if m["applicability"] == APPLIES]
    assert ("jinan-2022", "二、(一)3.(1)") in {(m["plan_id"], m["item_path"]) for m in applies}
    assert all(m["plan_id"] == "jinan-2022" for m in applies)


def test_api_match(answerer):
    client = TestClient(create_app(answerer))
    r = client.post("/api/match", json={"region": "南京", "industry": "近眼显示", "size": "小型"})
    assert r.status_code == 200
    body = r.json()
    assert body["profile"]["location"] == "江苏省南京市"
    assert any(m["applicability"] == APPLIES and m["plan_id"] == "jiangsu-2024" for m in body["measures"])
    assert client.post("/api/match", json={"industry": "VR"}).status_code == 422
    r = client.post("/api/match", json={"region": "火星"})
    assert r.status_code == 400 and "Traceback" not in r.text


def test_a_company_describing_itself_in_the_chat_gets_the_matchers_result(answerer):
    a = answerer.answer("我们是杭州一家做VR头显的中小企业,有什么政策?")
    assert not a.no_answer and a.match is not None
    assert a.citations and {c.plan_id for c in a.citations} == {"zhejiang-2023"}
    assert all(f"“{c.quote}”" in a.answer for c in a.citations)
    assert "不是申报指南" in a.answer
    shanghai = answerer.answer("我们是上海的一家元宇宙初创企业,能享受哪些补贴?")
    assert shanghai.no_answer and not shanghai.citations
    assert all(m["applicability"] == ELSEWHERE for m in shanghai.match["measures"])
    where = answerer.answer("我们公司做数字人,能享受什么补贴?")
    assert where.no_answer and where.reason == "region_missing"
