"""A library with more plans than an answer can compare one by one (eval/scale_library.py: clauses recombined
from the 27-document library's real sentences and vectors, 50 to a plan), answered by the real model."""
from __future__ import annotations

import sys

import pytest
from support import PROJECT_ROOT

from rag.answer.answerer import MAX_COMPARED, Answerer
from rag.answer.scope import Calibration
from rag.files import read_json
from rag.indexing.folder import SearchIndex
from rag.search.corpus import CorpusView
from rag.search.retriever import HybridRetriever

PLANS = 44


@pytest.fixture(scope="module")
def many_plans(unseen, embedder, tmp_path_factory):
    sys.path.insert(0, str(PROJECT_ROOT / "eval"))
    from scale_library import PER_PLAN, write_library

    settings, _ = unseen
    folder = tmp_path_factory.mktemp("many-plans") / "search"
    write_library(PLANS * PER_PLAN, settings.index_dir, folder, read_json(settings.index_dir / "manifest.json")["embedding"])
    index = SearchIndex.open(folder, settings)
    retriever = HybridRetriever(index, embedder, settings)
    calls: list[object] = []
    retrieve = retriever.retrieve

    def counted(*args, **kwargs):
        calls.append(kwargs.get("plans"))
        return retrieve(*args, **kwargs)

    retriever.retrieve = counted  # type: ignore[method-assign]
    return Answerer(retriever, CorpusView(index), Calibration.load(settings.calibration)), calls


def test_a_comparison_across_more_plans_than_can_be_listed_answers_those_one_wide_search_finds(many_plans):
    answerer, calls = many_plans
    assert len(answerer.corpus.plans) == PLANS > MAX_COMPARED
    calls.clear()
    answer = answerer.answer("各地在人才引进方面分别有什么措施?")
    assert not answer.no_answer
    cited = {c.plan_id for c in answer.citations}
    assert 1 < len(cited) <= MAX_COMPARED
    assert answer.answer.startswith(f"范围内共有{PLANS}份文件,以下引自其中与问题最相关的{len(cited)}份。")
    assert len(calls) <= 2 + MAX_COMPARED  # never one search per plan of the library


def test_a_comparison_within_a_region_still_answers_every_plan_of_it(many_plans):
    answerer, _ = many_plans
    plans = answerer.corpus.plans
    region = plans["syn-00000"].region.name
    own = {pid for pid, meta in plans.items() if meta.region.name in (region, "全国")}  # national plans apply too
    assert 1 < len(own) <= MAX_COMPARED
    answer = answerer.answer(f"{region}的这些计划在人才方面分别有什么措施?")
    assert not answer.no_answer and not answer.answer.startswith("范围内共有")
    assert {c.plan_id for c in answer.citations} == own


def test_a_document_fact_asked_of_no_plan_in_particular_stays_bounded(many_plans):
    answerer, calls = many_plans
    calls.clear()
    answer = answerer.answer("行动计划的发文字号是什么?")
    assert len(calls) <= 3  # the probe and one wide search: not one per plan
    assert answer.answer.startswith(f"范围内共有{PLANS}份文件") or answer.answer.startswith("本库收录的文本未载明")
