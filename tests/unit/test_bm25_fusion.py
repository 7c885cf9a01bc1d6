"""BM25 scores equal rank-bm25's; fusion functions behave as defined."""
from __future__ import annotations

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from rag.indexing.bm25 import BM25
from rag.search.fusion import rrf, weighted
from rag.text.lexicon import Lexicon


def test_bm25_scores_equal_rank_bm25_on_real_clauses(library, tmp_path):
    lexicon = Lexicon(["元平台"])
    docs = [c.text for pid in ("jinan-2022", "yongchuan-2023") for c in library.clauses(pid)][:40]
    ours = BM25.build(docs, lexicon.tokenize)
    reference = BM25Okapi([lexicon.tokenize(d) for d in docs])
    queries = ["新型智慧城市试点示范补助", "元宇宙 元宇宙 企业", "虚拟拍摄技术攻关", "天气预报", "数字孪生 工厂",
               "重慶永川區"]
    for q in queries:
        assert np.allclose(ours.scores(q), reference.get_scores(lexicon.tokenize(q)), rtol=1e-9, atol=1e-9), q
    ours.save(tmp_path)
    again = BM25.load(tmp_path, lexicon.tokenize)
    assert np.allclose(again.scores(queries[0]), ours.scores(queries[0]))
    assert not list(tmp_path.glob("*.pkl"))


def test_tokens_kept_from_a_previous_build_give_the_same_weights_bit_for_bit(library, tmp_path):
    """A build reuses the previous index's tokens of unchanged passages (rag/indexing/build.py): whatever the ids'
    numbering, the weights equal those of tokenizing every passage again."""
    from rag.indexing.bm25 import Tokens

    lexicon = Lexicon(["元平台"])
    docs = [c.text for pid in ("jinan-2022", "zhejiang-2023") for c in library.clauses(pid)][:60]
    before = BM25.build(docs[:40], lexicon.tokenize)
    before.save(tmp_path)
    old = Tokens.load(tmp_path)
    assert [[old.names[i] for i in old.ids[old.offsets[d]:old.offsets[d + 1]]] for d in range(40)] == \
        [lexicon.tokenize(d) for d in docs[:40]]
    # the new library: ten passages gone, twenty new ones in the middle, the rest in another order
    new_docs = docs[40:50] + docs[10:40][::-1] + docs[50:] + docs[:5]
    source = np.array([-1] * 10 + list(range(39, 9, -1)) + [-1] * 10 + list(range(5)))
    asked: list[int] = []
    tokens = Tokens.reusing(old, source, lambda d: asked.append(d) or lexicon.tokenize(new_docs[d]))
    assert asked == list(range(10)) + list(range(40, 50))
    reused, fresh = BM25.from_ids(tokens, lexicon.tokenize), BM25.build(new_docs, lexicon.tokenize)
    assert reused.vocab == fresh.vocab and reused.params == fresh.params
    for a, b in ((reused.indptr, fresh.indptr), (reused.indices, fresh.indices), (reused.data, fresh.data),
                 (reused.tokens.ids, fresh.tokens.ids), (reused.tokens.offsets, fresh.tokens.offsets)):
        assert np.array_equal(a, b)
    assert np.array_equal(reused.scores("元宇宙 企业 补助"), fresh.scores("元宇宙 企业 补助"))


def test_lexicon_keeps_policy_terms_and_drops_generic_verbs():
    lexicon = Lexicon(["元平台"])
    tokens = lexicon.tokenize("加快推动专精特新企业和链主企业建设“元平台”")
    assert "专精特新" in tokens and "链主企业" in tokens and "元平台" in tokens
    assert not {"加快", "推动", "建设"} & set(tokens)
    assert lexicon.tokenize("數字孿生") == lexicon.tokenize("数字孪生")
    assert Lexicon([]).checksum != Lexicon(["元平台"]).checksum
    assert Lexicon([], use_dictionary=False).checksum != Lexicon([]).checksum


def test_rrf_sums_reciprocal_ranks():
    fused = rrf([["a", "b", "c"], ["b", "c", "d"]], k=60)
    scores = dict(fused)
    assert scores["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert scores["a"] == pytest.approx(1 / 61)
    assert [d for d, _ in fused] == ["b", "c", "a", "d"]
    assert rrf([]) == []


def test_weighted_fusion_normalises_each_list():
    fused = weighted([{"a": 10.0, "b": 0.0}, {"a": 0.2, "b": 0.4, "c": 0.3}], [0.5, 0.5])
    scores = dict(fused)
    assert scores["a"] == pytest.approx(0.5) and scores["b"] == pytest.approx(0.5)
    assert scores["c"] == pytest.approx(0.25)
    assert dict(weighted([{"a": 1.0}], [1.0])) == {"a": 1.0}
    with pytest.raises(ValueError):
        weighted([{"a": 1.0}], [0.5, 0.5])


def test_bm25_can_rank_by_other_words_than_the_query(fake_settings, fake_index):
    """An English question's dictionary words rank by BM25 while its own text is embedded (retrieve(lexical=))."""
    from conftest import FakeEncoder

    from rag.search.retriever import HybridRetriever

    retriever = HybridRetriever(fake_index, FakeEncoder(), fake_settings.with_(mode="bm25"))
    english = "Which platforms support digital twins?"
    assert retriever.retrieve(english, k=3).hits == []  # its Latin words are in no clause
    hits = retriever.retrieve(english, k=3, lexical="数字孪生 平台").hits
    assert hits and all("数字孪生" in h.text or "平台" in h.text for h in hits)
    assert [h.chunk_id for h in hits] == [h.chunk_id for h in retriever.retrieve("数字孪生 平台", k=3).hits]


def test_within_the_plans_searched_a_term_all_their_passages_hold_weighs_less():
    """BM25 rescored with each term's idf moved toward its idf over the searched passages: a word every searched
    passage holds (`专家`) stops outweighing the one word that tells them apart (`智库`)."""
    others = ["卫星 终端 服务", "食品 科技 企业", "农业 种子 补贴", "智库 建设 智库", "数据 要素 市场", "人才 公寓 住房"]
    docs = ["专家 专家 专家 评审", "专家 智库 咨询 管理 办法 规定", "专家 评审 公示", *others, *others]  # 专家: rare in all
    bm25 = BM25.build(docs, str.split)
    scope = np.array([0, 1, 2])
    rows = np.array([0, 1, 2])
    plain = bm25.scores("专家 智库")[rows]
    scoped = bm25.rescored("专家 智库", rows, scope, 1.0)
    assert int(np.argmax(plain)) == 0 and int(np.argmax(scoped)) == 1  # the repeated 专家 no longer wins
    assert bm25.rescored("专家 智库", rows, scope, 0.0) == pytest.approx(plain)  # power 0: the library's idf
    assert bm25.rescored("专家", np.array([3]), scope, 1.0)[0] == 0.0  # a row not holding the term scores nothing


def test_the_plans_own_idf_ranks_within_one_plan_only(fake_settings, fake_index):
    """Searching one plan, a word all its passages hold (`元宇宙` in a 元宇宙 plan) counts less; searching the plans a
    comparison names, the library's idf ranks (a word common in one of them is what the question compares)."""
    from conftest import FakeEncoder

    from rag.search.retriever import HybridRetriever

    def ranked(power: float, plans: list[str]) -> list[tuple[str, float]]:
        retriever = HybridRetriever(fake_index, FakeEncoder(), fake_settings.with_(scoped_idf=power))
        return [(h.chunk_id, round(h.score, 9)) for h in retriever.retrieve("元宇宙 算力 中心", k=10, plans=plans).hits]

    two = ["jinan-2022", "sichuan-2023"]
    assert ranked(0.5, two) == ranked(0.0, two)
    assert ranked(0.5, ["jinan-2022"]) != ranked(0.0, ["jinan-2022"])
