"""The store interface, run against both stores (the index folder's files, and Milvus Lite in a local file) on the
real seed index; parity of answers between them; a Milvus build killed half way; an unusable Milvus URI."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from support import CALIBRATION, PROJECT_ROOT, free_port, home_with_model

from rag.evaluation.score import score
from rag.limits import read_batch

QUERIES = ["元宇宙人才引进和培养", "对企业给予资金支持", "数字孪生工业互联网", "虚拟现实终端产品", "算力基础设施建设"]


@pytest.fixture(scope="session")
def milvus_built(built, tmp_path_factory):
    """The seed index copied into a Milvus Lite file (no embedding), as `policyqa migrate` does."""
    from rag.indexing.folder import open_index
    from rag.store.milvus import write_collection

    settings = built.with_(store="milvus", milvus_uri=str(tmp_path_factory.mktemp("milvus") / "seed.db"))
    write_collection(settings, open_index(settings), progress=lambda _: None)
    return settings


@pytest.fixture(scope="session", params=["local", "milvus"])
def store(request, built, milvus_built):
    from rag.indexing.folder import open_index
    from rag.store import open_store

    settings = built if request.param == "local" else milvus_built
    index = open_index(settings)
    return index, open_store(settings, index)


def test_a_passage_vector_finds_that_passage_first_with_cosine_one(store):
    index, s = store
    assert s.size() == len(index.passages)
    for row in (0, len(index.passages) // 2, len(index.passages) - 1):
        ranked = s.dense(index.vectors[row], 10)
        assert len(ranked) == 10
        first = ranked[0][0]
        assert index.passages[first].text == index.passages[row].text  # itself, or a passage of the same text
        assert ranked[0][1] == pytest.approx(1.0, abs=1e-4)
        scores = [sc for _, sc in ranked]
        assert scores == sorted(scores, reverse=True)


def test_plan_filters_keep_every_result_in_the_named_plans(store):
    index, s = store
    plans = ["jinan-2022", "yongchuan-2023"]
    in_plans = sum(p.plan_id in plans for p in index.passages)
    for ranked in (s.dense(index.vectors[0], 500, plans), s.lexical("元宇宙产业发展", 500, plans),
                   s.hybrid("元宇宙产业发展", index.vectors[0], 500, plans)[0]):
        assert ranked and {index.passages[i].plan_id for i, _ in ranked} <= set(plans)
        assert len(ranked) <= in_plans
    assert len(s.dense(index.vectors[0], 500, plans)) == in_plans  # every passage of the plans, none missed


def test_lexical_ranking_is_bm25_over_the_query_words(store):
    index, s = store
    ranked = s.lexical("数字孪生", 20)
    assert ranked and all(sc > 0 for _, sc in ranked)
    assert [sc for _, sc in ranked] == sorted((sc for _, sc in ranked), reverse=True)
    assert "孪生" in index.passages[ranked[0][0]].text
    assert s.lexical("", 20) == [] and s.lexical("的", 20) == []  # no word (a stopword only): nothing ranked


def test_hybrid_fuses_the_two_rankings_it_returns(store):
    index, s = store
    vector = index.vectors[3]
    fused, lexical, dense = s.hybrid("元宇宙人才引进", vector, 30)
    assert lexical and dense
    assert {i for i, _ in fused} <= {i for i, _ in lexical} | {i for i, _ in dense}
    expected = {}
    for ranking in (lexical, dense):
        for rank, (i, _) in enumerate(ranking, start=1):
            expected[i] = expected.get(i, 0.0) + 1 / (60 + rank)
    for i, sc in fused:
        assert sc == pytest.approx(expected[i], rel=1e-4)


def test_both_stores_rank_alike(built, milvus_built):
    from rag.indexing.folder import open_index
    from rag.store import open_store

    index = open_index(built)
    local, milvus = open_store(built, index), open_store(milvus_built, index)
    for row in range(0, len(index.passages), 20):
        assert [i for i, _ in local.dense(index.vectors[row], 10)] == [i for i, _ in milvus.dense(index.vectors[row], 10)]
    overlap = [len({i for i, _ in local.lexical(q, 10)} & {i for i, _ in milvus.lexical(q, 10)}) for q in QUERIES]
    assert sum(overlap) >= 0.7 * 10 * len(QUERIES), overlap  # the same words, BM25 of two implementations


def _answerer(settings, index, embedder, calibration):
    from rag.answer.answerer import Answerer
    from rag.answer.scope import Calibration
    from rag.search.corpus import CorpusView
    from rag.search.retriever import HybridRetriever

    return Answerer(HybridRetriever(index, embedder, settings), CorpusView(index), Calibration.load(calibration))


def _parity(local, milvus, questions) -> None:
    a, b = score(local, questions)["overall"], score(milvus, questions)["overall"]
    for key in ("citation_at_3", "key_recall"):
        assert abs(a[key] - b[key]) <= 0.02, (key, a[key], b[key])


def test_answers_from_milvus_match_the_local_store_on_the_seed_questions(built, milvus_built, embedder):
    from rag.indexing.folder import open_index

    index = open_index(built)
    questions = read_batch(str(PROJECT_ROOT / "eval" / "questions.jsonl"))
    _parity(_answerer(built, index, embedder, CALIBRATION), _answerer(milvus_built, index, embedder, CALIBRATION),
            questions)


def test_answers_from_milvus_match_the_local_store_on_the_unseen_questions(unseen, embedder, tmp_path):
    from rag.store.milvus import write_collection

    settings, answerer = unseen
    index = answerer.retriever.index
    milvus = settings.with_(store="milvus", milvus_uri=str(tmp_path / "unseen.db"))
    write_collection(milvus, index, progress=lambda _: None)
    questions = read_batch(str(PROJECT_ROOT / "eval" / "unseen" / "dev.jsonl"))
    _parity(answerer, _answerer(milvus, index, embedder, settings.calibration), questions)


def _policyqa(home, uri: str, *args: str, batch: int | None = None) -> subprocess.Popen:
    """`policyqa ARGS` in another process on the Milvus store at `uri`; its stderr in home/stderr.txt."""
    code = "import sys, rag.store.milvus as m\n"
    if batch:
        code += f"m.BATCH = {batch}\n"  # many small inserts: the build lasts long enough to be killed in the middle
    code += "from rag.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    calibration = home.parent / "calibration.json"
    if not calibration.exists():
        calibration.write_bytes(CALIBRATION.read_bytes())  # a refit must never touch the project's file
    env = {**os.environ, "POLICYQA_HOME": str(home), "POLICYQA_STORE": "milvus", "POLICYQA_MILVUS_URI": uri,
           "POLICYQA_CALIBRATION": str(calibration)}
    with open(home.parent / "stderr.txt", "w", encoding="utf-8") as err:
        return subprocess.Popen([sys.executable, "-c", code, *args], env=env, cwd=PROJECT_ROOT, text=True,
                                stdout=subprocess.DEVNULL, stderr=err)


def _stderr(home) -> str:
    return (home.parent / "stderr.txt").read_text(encoding="utf-8")


def test_a_milvus_build_killed_half_way_leaves_the_previous_collection_serving(built, model_home, tmp_path):
    from rag.search.retriever import open_retriever
    from rag.store.milvus import collection_name, connect

    home = home_with_model(model_home, tmp_path / "home")
    shutil.copytree(built.index_dir, home / "search")  # every vector reused: nothing to embed
    uri = str(tmp_path / "m.db")
    first = _policyqa(home, uri, "index")
    assert first.wait(timeout=600) == 0, _stderr(home)
    served = json.loads((home / "search" / "manifest.json").read_text(encoding="utf-8"))

    second = _policyqa(home, uri, "index", batch=2)
    deadline = time.monotonic() + 300
    while not any(p.name.endswith("_building") for p in (tmp_path / "m.db" / "collections").iterdir()):
        assert second.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(0.3)
    second.send_signal(signal.SIGKILL)
    second.wait(timeout=30)

    settings = built.with_(home=home, store="milvus", milvus_uri=uri)
    assert json.loads((home / "search" / "manifest.json").read_text(encoding="utf-8")) == served
    names = connect(settings).list_collections()
    assert collection_name(served) in names and any(n.endswith("_building") for n in names)
    retriever = open_retriever(settings, progress=lambda _: None)
    hits = retriever.search("济南市元宇宙人才", k=3)
    assert hits and hits[0].plan_id == "jinan-2022"


def test_an_unusable_milvus_uri_is_one_line_naming_it(cli, monkeypatch, capsys, tmp_path, milvus_built):
    monkeypatch.setenv("POLICYQA_STORE", "milvus")
    for uri in (f"http://127.0.0.1:{free_port()}", str(tmp_path / "not-a-lite-file")):
        monkeypatch.setenv("POLICYQA_MILVUS_URI", uri)
        assert cli(["search", "人才"]) == 1
        err = capsys.readouterr().err.strip()
        assert "\n" not in err and uri in err and err.startswith("error: ")
    # a Lite file open in another process (this one holds the seed file's lock)
    home = tmp_path / "other" / "home"
    home.mkdir(parents=True)
    shutil.copytree(milvus_built.index_dir, home / "search")
    proc = _policyqa(home, milvus_built.milvus_target, "search", "人才")
    assert proc.wait(timeout=120) == 1
    err = _stderr(home).strip().splitlines()[-1]
    assert milvus_built.milvus_target in err and "one process" in err


def test_a_local_index_without_its_collection_names_the_command_that_copies_it(built, tmp_path):
    from rag.errors import IndexInvalidError
    from rag.search.retriever import open_retriever

    settings = built.with_(store="milvus", milvus_uri=str(tmp_path / "empty.db"))
    with pytest.raises(IndexInvalidError, match="policyqa migrate"):
        open_retriever(settings, progress=lambda _: None)


def test_vectors_in_milvus_are_the_index_vectors(milvus_built):
    from rag.indexing.folder import open_index
    from rag.store.milvus import collection_name, connect

    index = open_index(milvus_built)
    client = connect(milvus_built)
    rows = client.query(collection_name(index.manifest), filter="pid < 5", output_fields=["pid", "dense", "plan_id"])
    for row in rows:
        assert np.allclose(np.array(row["dense"], np.float32), index.vectors[row["pid"]])
        assert row["plan_id"] == index.passages[row["pid"]].plan_id
