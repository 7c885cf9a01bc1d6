"""The contract types: frozen, keyword-built, and `from_dict(to_dict(x)) == x`."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import replace

import pytest

from rag.match.result import Applicability, Measure
from rag.types import Answer, Citation, Clause, ClauseKind, Hit, NoAnswer

CITATION = Citation(n=1, plan_id="jinan-2022", plan_title="济南市促进元宇宙产业创新发展行动计划(2022—2025年)",
                    item_path="二、(一)3.(1)", item_title="壮大本地元宇宙企业", quote="最高补助100万元。",
                    context="对入选新型智慧城市试点示范的项目,按照项目实际投资额的10%给予补助,最高补助100万元。",
                    score=0.87, chunk_id="0123456789abcdef")


def test_answer_round_trips_through_its_dict_and_json():
    two = replace(CITATION, n=2, quote="按照项目实际投资额的10%给予补助,", more_quotes=("最高补助100万元。",))
    answer = Answer(question="济南补助多少?", answer="…[1]", no_answer=False, citations=(CITATION, two), latency_ms=21.4,
                    id="q-17", regions=("山东省济南市",), resolved_question="济南补助多少 历下区")
    d = json.loads(json.dumps(answer.to_dict(), ensure_ascii=False))
    assert Answer.from_dict(d) == answer
    refusal = Answer(question="上海呢?", answer="本库没有上海市的产业计划", no_answer=True,
                     reason=NoAnswer.REGION_NOT_COVERED)
    d = json.loads(json.dumps(refusal.to_dict()))
    assert d["reason"] == "region_not_covered" and Answer.from_dict(d) == refusal


def test_the_contract_fields_in_the_contract_order():
    assert list(CITATION.to_dict()) == ["n", "plan_id", "plan_title", "item_path", "item_title", "quote", "context",
                                        "score", "chunk_id", "more_quotes"]  # the contract's, then extensions
    d = Answer(question="q", answer="a", no_answer=False, citations=(CITATION,)).to_dict()
    assert list(d)[:6] == ["id", "question", "answer", "no_answer", "citations", "latency_ms"]


def test_results_are_frozen_and_built_by_keyword():
    with pytest.raises(dataclasses.FrozenInstanceError):
        CITATION.quote = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Citation(1, "jinan-2022", "t", "二、", "", "q", "c", 0.5, "id")  # type: ignore[misc]


def test_a_clause_kind_is_checked_and_ids_are_stable():
    clause = Clause(plan_id="p-2020", item_path="一、", item_title="t", text="文本。", kind="item")
    assert clause.kind is ClauseKind.ITEM
    assert Clause.from_dict(json.loads(json.dumps(clause.to_dict()))) == clause
    nested = replace(clause, parents=("一、总体要求", "(一)目标"), order=4)  # to_dict is asdict without its deep copy
    assert list(nested.to_dict().items()) == list({**dataclasses.asdict(nested), "parents": list(nested.parents)}.items())
    assert clause.chunk_id == Clause(plan_id="p-2020", item_path="一、", item_title="x", text="文本。",
                                     kind=ClauseKind.HEADING).chunk_id
    with pytest.raises(ValueError, match="clause kind 'chapter' is not one of"):
        Clause(plan_id="p-2020", item_path="一、", item_title="t", text="文本。", kind="chapter")


def test_hit_citation_and_measure_share_the_clause_reference():
    clause = Clause(plan_id="p-2020", item_path="二、(一)3.", item_title="t", text="支持企业。", kind=ClauseKind.ITEM)
    hit = Hit.of(clause, rank=1, score=0.5)
    measure = Measure(applicability=Applicability.APPLIES, measure_id="m1", plan_id="p-2020", plan_title="T",
                      item_path="二、(一)3.", item_title="t", quote="支持企业。", quote_start=0, quote_end=5,
                      context="支持企业。", types=["服务"], money=False, amount="", amount_span=None, cap="", rate="",
                      unit="", unit_span=None, checks=[], national=False, validity={"status": "未载明"}, fit=None,
                      source="plan", chunk_id=clause.chunk_id)
    for ref in (hit, measure):
        assert (ref.plan_id, ref.item_path, ref.item_title, ref.chunk_id) == \
            (clause.plan_id, clause.item_path, clause.item_title, clause.chunk_id)
    assert hit.to_dict()["kind"] == "item" and measure.to_dict()["applicability"] == "适用"
