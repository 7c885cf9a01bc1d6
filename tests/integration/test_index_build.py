"""Index builds are incremental and atomic; a damaged or mismatched index is refused with the file named."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from support import CORPUS, home_with_model

from rag.errors import IndexBuildError, IndexInvalidError
from rag.indexing.bm25 import BM25
from rag.indexing.build import build_index
from rag.indexing.folder import SearchIndex
from rag.settings import Settings


def _copy_home(built: Settings, model_home: Path, tmp_path: Path) -> Settings:
    """A writable copy of the built data directory and of the corpus."""
    home = home_with_model(model_home, tmp_path / "home")
    shutil.copytree(built.index_dir, home / "search")
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    return Settings(home=home, corpus=corpus)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_incremental_rebuild_embeds_only_what_changed(built, model_home, embedder, tmp_path):
    settings = _copy_home(built, model_home, tmp_path)
    unchanged = build_index(settings, embedder, progress=lambda _: None)
    counts = unchanged["counts"]
    assert unchanged["build"]["embedded"] == unchanged["build"]["tokenized"] == 0
    assert unchanged["build"]["reused"] == counts["passages"] + counts["sentences"]
    plan = settings.corpus / "jinan-2022.txt"
    text = plan.read_text(encoding="utf-8").replace("最高补助100万元", "最高补助200万元")
    plan.write_text(text, encoding="utf-8")
    manifest = build_index(settings, embedder, progress=lambda _: None)
    assert manifest["build"]["embedded"] == 2, manifest["build"]  # the clause's passage and its changed sentence
    assert manifest["build"]["tokenized"] == 1  # that passage; the others' tokens come from the previous index
    index = SearchIndex.open(settings.index_dir, settings)
    assert any("最高补助200万元" in c.text for c in index.clauses)
    # the same weights, bit for bit, as tokenizing every passage again
    every = BM25.from_tokens([index.lexicon.tokenize(index.passages[i].text) for i in range(len(index.passages))],
                             index.lexicon.tokenize)
    assert every.vocab == index.bm25.vocab and np.array_equal(every.indptr, index.bm25.indptr)
    assert np.array_equal(every.indices, index.bm25.indices[:]) and np.array_equal(every.data, index.bm25.data[:])
    assert manifest["corpus"]["jinan-2022"]["sha256"] != unchanged["corpus"]["jinan-2022"]["sha256"]


def test_a_build_after_a_change_writes_what_a_build_from_nothing_writes(built, model_home, embedder, tmp_path):
    """A build takes unchanged plans' parses, unchanged clauses' support measures and unchanged passages' tokens
    from the library and the live index; after a clause is edited and a plan added, the index it writes is, file
    for file, the one a build from nothing writes."""
    settings = _copy_home(built, model_home, tmp_path)
    quiet = lambda _: None  # noqa: E731
    first = build_index(settings, embedder, progress=quiet)
    assert first["build"]["parsed"] == 5  # the copied home has no parsed library yet
    plan = settings.corpus / "jinan-2022.txt"
    plan.write_text(plan.read_text(encoding="utf-8").replace("最高补助100万元", "最高补助200万元"), encoding="utf-8")
    said: list[str] = []
    changed = build_index(settings, embedder, progress=said.append)
    steps = changed["build"]
    assert steps["parsed"] == 1 and steps["tokenized"] == 1 and steps["embedded"] == 2
    assert "parsed 1 plans, 4 unchanged since they were stored" in said
    # every clause that may hold a measure, but the changed one, keeps its measures from the previous index
    assert 0 < steps["measures_kept_clauses"] == first["build"]["measures_kept_clauses"] - 1
    assert changed["measures"] == first["measures"]
    # a plan bringing new coinages into the dictionary: passages that hold one are cut again, the rest are kept
    from rag.ingest.library import Library
    from rag.text.normalize import normalize_text

    before = SearchIndex.open(settings.index_dir, settings)
    Library(settings).ingest_path(Path(__file__).parents[1] / "data" / "corpus-more" / "china-satcom-2025.txt",
                                  "china-satcom-2025", "全国")
    added = build_index(settings, embedder, progress=quiet)
    index = SearchIndex.open(settings.index_dir, settings)
    coined = index.lexicon.coinages() - before.lexicon.coinages()
    assert coined and not before.lexicon.coinages() - index.lexicon.coinages()
    holding = sum(any(t in normalize_text(p.text) for t in coined) for p in (before.passages[i] for i in
                                                                              range(len(before.passages))))
    new = added["counts"]["passages"] - changed["counts"]["passages"]
    assert added["build"]["parsed"] == 1 and added["build"]["tokenized"] == new + holding < added["counts"]["passages"]

    fresh = Settings(home=home_with_model(model_home, tmp_path / "fresh"), corpus=settings.corpus)
    nothing = build_index(fresh, embedder, progress=quiet, full=True)
    assert nothing["build"]["parsed"] == 6 and nothing["build"]["measures_kept_clauses"] == 0
    assert nothing["build"]["tokenized"] == nothing["counts"]["passages"]
    ours, theirs = _digest(settings.index_dir), _digest(fresh.index_dir)
    # vectors: a text embedded in another batch differs in its last bits (padding); everything else, bit for bit
    floats = ("manifest.json", "vectors.npy", "sentence_vectors.npy", "dense.faiss")
    assert {k: v for k, v in ours.items() if k not in floats} == {k: v for k, v in theirs.items() if k not in floats}
    for name in floats[1:3]:
        assert np.allclose(np.load(settings.index_dir / name), np.load(fresh.index_dir / name), atol=1e-5)
    for name in ("corpus", "counts", "measures", "lexicon", "bm25", "dense"):
        assert added[name] == nothing[name], name


def test_a_bad_document_stops_the_build_and_the_old_index_serves(built, model_home, embedder, tmp_path):
    settings = _copy_home(built, model_home, tmp_path)
    before = _digest(settings.index_dir)
    (settings.corpus / "broken-2024.txt").write_bytes(b"\x00\x01binary" * 100)
    (settings.corpus / "broken-2024.json").write_text('{"plan_id": "broken-2024", "file": "broken-2024.txt"}',
                                                       encoding="utf-8")
    with pytest.raises(IndexBuildError, match=r"broken-2024\.txt: binary data.*previous index still serves"):
        build_index(settings, embedder, progress=lambda _: None)
    assert _digest(settings.index_dir) == before
    SearchIndex.open(settings.index_dir, settings)


def test_kill_9_midway_leaves_the_old_index_serving(built, model_home, tmp_path):
    settings = _copy_home(built, model_home, tmp_path)
    before = _digest(settings.index_dir)
    env = dict(os.environ, POLICYQA_HOME=str(settings.home), POLICYQA_CORPUS=str(settings.corpus))
    proc = subprocess.Popen([sys.executable, "-m", "rag", "index", "--full"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    for line in proc.stderr:  # wait until it is embedding: the middle of the build
        if "embedding" in line or time.monotonic() > deadline:
            break
    time.sleep(2)
    assert proc.poll() is None, "the build finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert _digest(settings.index_dir) == before
    assert SearchIndex.open(settings.index_dir, settings).manifest["counts"]["clauses"] > 200
    done = subprocess.run([sys.executable, "-m", "rag", "index"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "0 embedded" in done.stdout and not list(settings.home.glob(".search-*"))


def test_every_damaged_file_is_refused_by_name(built, tmp_path):
    folder = tmp_path / "search"
    shutil.copytree(built.index_dir, folder)
    for path in sorted(folder.iterdir()):
        original = path.read_bytes()
        damaged = bytearray(original)
        damaged[len(damaged) // 2] ^= 0xFF
        path.write_bytes(bytes(damaged))
        with pytest.raises(IndexInvalidError) as exc:
            SearchIndex.open(folder, built)
        message = str(exc.value)
        assert str(path) in message and "policyqa index" in message, message
        path.write_bytes(original)
    SearchIndex.open(folder, built)
    (folder / "manifest.json").unlink()
    with pytest.raises(IndexInvalidError, match=r"manifest\.json is missing.*policyqa index"):
        SearchIndex.open(folder, built)


def test_an_index_built_for_other_settings_is_refused(built):
    with pytest.raises(IndexInvalidError, match="policy dictionary"):
        SearchIndex.open(built.index_dir, built.with_(use_dictionary=False))
    with pytest.raises(IndexInvalidError, match="BAAI/bge-small-zh-v1.5"):
        SearchIndex.open(built.index_dir, built.with_(embedding_model="BAAI/bge-small-zh-v1.5"))


def test_cli_names_the_damaged_file(built, tmp_path, monkeypatch, capsys):
    from rag.cli import main

    home = tmp_path / "home"
    shutil.copytree(built.index_dir, home / "search")
    vectors = home / "search" / "vectors.npy"
    vectors.write_bytes(vectors.read_bytes()[:-8])
    monkeypatch.setenv("POLICYQA_HOME", str(home))
    assert main(["search", "人才"]) == 1
    err = capsys.readouterr().err
    assert str(vectors) in err and "run `policyqa index`" in err
    shutil.rmtree(home / "search")
    assert main(["search", "人才"]) == 1
    assert "no search index" in capsys.readouterr().err


def test_hnsw_index_serves_with_plan_filters(built, model_home, embedder, tmp_path):
    """The approximate index (chosen above `exact_limit` passages, or by POLICYQA_ANN) answers like the exact one."""
    from rag.search.retriever import HybridRetriever

    settings = _copy_home(built, model_home, tmp_path).with_(ann="hnsw")
    manifest = build_index(settings, embedder, progress=lambda _: None)
    assert manifest["dense"]["kind"] == "hnsw" and manifest["build"]["embedded"] == 0
    auto = settings.with_(ann="auto", exact_limit=10)
    from rag.indexing.build import ann_kind

    assert ann_kind(auto, 11) == "hnsw" and ann_kind(auto, 10) == "flat"
    retriever = HybridRetriever(SearchIndex.open(settings.index_dir, settings), embedder, settings)
    hits = retriever.search("都江堰数字孪生", k=3, mode="dense")
    assert hits[0].item_path == "二、(三)专栏4"
    filtered = retriever.search("人才", k=5, plans=["jinan-2022"], mode="dense")
    assert filtered and {h.plan_id for h in filtered} == {"jinan-2022"}


def test_an_hnsw_graph_is_kept_when_plans_come_and_go(built, model_home, embedder, tmp_path, monkeypatch):
    """Adding a plan to an HNSW index adds its passages to the live graph (nothing else re-embedded or rebuilt);
    taking one out leaves tombstones; either way the index answers as a new graph over the same vectors does."""
    from rag.indexing import dense
    from rag.ingest.library import Library
    from rag.store.local import LocalStore

    settings = _copy_home(built, model_home, tmp_path).with_(ann="hnsw")
    quiet = lambda _: None  # noqa: E731
    first = build_index(settings, embedder, progress=quiet)
    assert first["build"]["graph"] == "built"  # the copied index was exact: no graph to keep
    Library(settings).ingest_path(Path(__file__).parents[1] / "data" / "corpus-more" / "china-satcom-2025.txt",
                                  "china-satcom-2025", "全国")
    said: list[str] = []
    added = build_index(settings, embedder, progress=said.append)
    new = added["counts"]["passages"] - first["counts"]["passages"]
    assert new > 0 and added["build"]["graph"] == "extended"
    assert (added["build"]["kept"], added["build"]["added"], added["build"]["tombstones"]) == \
        (first["counts"]["passages"], new, 0)
    assert any("HNSW graph kept" in line for line in said)

    def same_as_a_new_graph(manifest):
        index = SearchIndex.open(settings.index_dir, settings)
        assert dense.live_rows(index.dense) == manifest["counts"]["passages"] == len(index.passages)
        rows = range(0, len(index.passages), 3)
        got = [LocalStore(index).dense(index.vectors[r], 10) for r in rows]
        assert all(ranked[0][0] == r for r, ranked in zip(rows, got))  # each passage's own vector finds its row
        index.dense = dense.build(index.vectors[np.arange(len(index.passages))], "hnsw")  # what a full build makes
        again = [LocalStore(index).dense(index.vectors[r], 10) for r in rows]
        assert [[i for i, _ in ranked] for ranked in got] == [[i for i, _ in ranked] for ranked in again]
        assert np.allclose([[s for _, s in ranked] for ranked in got], [[s for _, s in ranked] for ranked in again])

    same_as_a_new_graph(added)
    monkeypatch.setattr(dense, "RETIRE_LIMIT", 0.5)  # the seed plans are few: one of them is >10% of the slots
    Library(settings).remove("yongchuan-2023", tmp_path / "removed")
    removed = build_index(settings, embedder, progress=quiet)
    gone = added["counts"]["passages"] - removed["counts"]["passages"]
    assert removed["build"]["graph"] == "extended" and removed["build"]["added"] == 0
    assert removed["build"]["retired"] == removed["build"]["tombstones"] == gone > 0
    assert "yongchuan-2023" not in SearchIndex.open(settings.index_dir, settings).plans
    same_as_a_new_graph(removed)
    monkeypatch.setattr(dense, "RETIRE_LIMIT", 0.10)
    shutil.copy(tmp_path / "removed" / "yongchuan-2023.txt", settings.corpus)
    shutil.copy(tmp_path / "removed" / "yongchuan-2023.json", settings.corpus)
    build_index(settings, embedder, progress=quiet)  # back in: its texts join the graph again
    Library(settings).remove("yongchuan-2023", tmp_path / "removed-again")
    assert build_index(settings, embedder, progress=quiet)["build"]["graph"] == "built"  # past 10%: a new graph
