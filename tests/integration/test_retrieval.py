"""Hybrid retrieval on the real corpus and model: pinned recall, filters, news ranking, CLI contract."""
from __future__ import annotations

import pytest
from support import PROJECT_ROOT

from rag.errors import BadInputError
from rag.evaluation.gold import recall_at_k
from rag.files import read_jsonl as load_jsonl

CASES = load_jsonl(PROJECT_ROOT / "eval" / "retrieval_cases.jsonl")


def test_there_are_at_least_40_cases_over_all_five_plans():
    assert len(CASES) >= 40
    assert {g["plan_id"] for c in CASES for g in c["gold"]} == \
        {"jiangsu-2024", "jinan-2022", "sichuan-2023", "yongchuan-2023", "zhejiang-2023"}


def test_gold_paths_exist_in_the_parsed_corpus(library):
    from rag.evaluation.gold import matches_gold

    for case in CASES:
        assert any(matches_gold(c.plan_id, c.item_path, case["gold"])
                   for g in case["gold"] for c in library.clauses(g["plan_id"])), case["id"]


def test_hybrid_recall_at_5(retriever):
    recall, misses = recall_at_k(retriever, CASES, k=5, mode="hybrid")
    bm25, _ = recall_at_k(retriever, CASES, k=5, mode="bm25")
    dense, _ = recall_at_k(retriever, CASES, k=5, mode="dense")
    print(f"\nrecall@5 hybrid {recall:.2f}  bm25 {bm25:.2f}  dense {dense:.2f}")
    assert recall >= 0.90, misses
    assert bm25 >= 0.85 and dense >= 0.90  # pinned below today's 0.92 / 0.98 so a regression shows


def test_weighted_fusion_also_retrieves(retriever, built):
    from rag.search.retriever import HybridRetriever

    weighted = HybridRetriever(retriever.index, retriever.embedder, built.with_(fusion="weighted"))
    recall, misses = recall_at_k(weighted, CASES, k=5)
    assert recall >= 0.90, misses


def test_plan_filter_applies_before_ranking(retriever):
    hits = retriever.search("数字孪生", k=10, plans=["jinan-2022"])
    assert len(hits) == 10 and {h.plan_id for h in hits} == {"jinan-2022"}
    both = retriever.search("人才", k=8, plans=["jinan-2022", "jiangsu-2024"])
    assert {h.plan_id for h in both} <= {"jinan-2022", "jiangsu-2024"}
    with pytest.raises(BadInputError, match="unknown plan id shanghai-2022; known plans: jiangsu-2024"):
        retriever.search("人才", plans=["shanghai-2022"])
    with pytest.raises(BadInputError):
        retriever.search("   ")


def test_a_plan_clause_ranks_before_the_news_paragraph_that_repeats_it(retriever):
    hits = retriever.search("布局海外技术转移网络节点和国际创新合作中心,构建全球化元宇宙创新孵化网络", k=5)
    paths = [h.item_path for h in hits]
    assert paths[0] == "二、(五)3." and "相关报道" in paths
    hits = retriever.search("充分利用世界互联网大会乌镇峰会、亚运会等重大活动", k=5, plans=["zhejiang-2023"])
    assert hits[0].item_path == "三、(五)"


def test_hits_carry_the_ranks_that_explain_them(retriever):
    hit = retriever.search("济南对入选新型智慧城市试点示范的项目补助多少?", k=1)[0]
    assert (hit.plan_id, hit.item_path) == ("jinan-2022", "二、(一)3.(1)")
    assert hit.lexical_rank == 1 and hit.dense_rank is not None and hit.score > 0
    # one retriever alone: its own ranks in order, none from the other
    bm25_only = retriever.search("都江堰数字孪生", k=3, mode="bm25")
    assert [h.lexical_rank for h in bm25_only] == [1, 2, 3] and all(h.dense_rank is None for h in bm25_only)
    dense_only = retriever.search("Which digital twin tourism sites does Sichuan plan?", k=3, mode="dense")
    assert [h.dense_rank for h in dense_only] == [1, 2, 3] and all(h.lexical_rank is None for h in dense_only)
    assert dense_only[0].plan_id == "sichuan-2023"


def test_search_cli_json_contract(cli, run_batch, tmp_path, capsys):
    rows = run_batch("search", [{"id": "q1", "question": "都江堰数字孪生", "type": "fact"},
                                {"id": "q2", "question": "江苏5G-A"}], "--top-k", "3")
    assert [r["id"] for r in rows] == ["q1", "q2"]
    keys = {"rank", "plan_id", "item_path", "item_title", "text", "chunk_id", "score", "lexical_rank", "dense_rank"}
    assert all(len(r["hits"]) == 3 and keys <= set(r["hits"][0]) for r in rows)
    assert rows[0]["hits"][0]["item_path"] == "二、(三)专栏4"
    assert cli(["search", "人才", "--plan", "nowhere-2020"]) == 2
    assert "unknown plan id nowhere-2020" in capsys.readouterr().err
    assert cli(["search", "--batch", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read batch file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        cli(["search", "人才", "--top-k", "0"])
    assert exc.value.code == 2
