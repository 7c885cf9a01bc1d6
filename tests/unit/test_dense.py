"""An HNSW graph kept from build to build (rag/indexing/dense.py): rows follow their texts, new passages join the
graph, gone ones become tombstones that no search returns, and too many tombstones mean a new graph."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from rag.indexing import dense
from rag.indexing.folder import rows_by_plan


def _unit(rng, n: int, dim: int = 64) -> np.ndarray:
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _saved(tmp_path, vectors):
    import faiss

    path = tmp_path / "dense.faiss"
    faiss.write_index(dense.build(vectors, "hnsw"), str(path))
    return path


def test_rows_are_matched_by_text_and_repeated_texts_pair_in_order():
    moved, added = dense.match_rows(["a", "b", "a", "c"], ["x", "a", "c", "a", "a"])
    assert moved.tolist() == [1, dense.TOMBSTONE, 3, 2] and added == [0, 4]
    moved, added = dense.match_rows([], ["a"])
    assert moved.tolist() == [] and added == [0]


def test_a_kept_graph_finds_every_passage_at_its_new_row_and_never_a_gone_one(tmp_path, monkeypatch):
    from rag.store import local
    from rag.store.local import LocalStore

    rng = np.random.default_rng(1)
    old = _unit(rng, 3000)
    old_keys = [f"t{i}" for i in range(3000)]
    path = _saved(tmp_path, old)
    # the new library: rows 500..699 gone (a plan taken out), 150 new texts in the middle, the rest shifted
    fresh = _unit(rng, 150)
    keys = old_keys[:300] + [f"n{i}" for i in range(150)] + old_keys[300:500] + old_keys[700:]
    vectors = np.concatenate([old[:300], fresh, old[300:500], old[700:]])
    kept = dense.extend(path, *dense.match_rows(old_keys, keys), vectors)
    assert kept is not None
    index, ext = kept
    assert (ext.kept, ext.added, ext.retired, ext.tombstones) == (2800, 150, 200, 200)
    assert dense.check_rows(index, len(keys)) is None and dense.live_rows(index) == len(keys)
    assert index.ntotal == 3150  # the gone passages keep their slots

    plans = np.array([f"p{i // 50}" for i in range(len(keys))])
    store = LocalStore(SimpleNamespace(dense=index, vectors=vectors, plan_of_passage=plans, rows_of=rows_by_plan(plans)),
                       ef=256)
    for row in range(0, len(keys), 7):
        ranked = store.dense(vectors[row], 10)
        assert ranked[0][0] == row and len(ranked) == 10  # its own text first, ten live rows
    found = 0
    for row in range(0, len(keys), 50):
        query = _unit(rng, 1)[0] * 0.3 + vectors[row]
        query /= np.linalg.norm(query)
        exact = set(np.argsort(-(vectors @ query))[:10].tolist())
        found += len(exact & {i for i, _ in store.dense(query, 10)})
    assert found / (10 * len(range(0, len(keys), 50))) >= 0.95
    for exact_rows in (local.EXACT_ROWS, 0):  # a filter on plans: searched exactly, or in the graph with tombstones
        monkeypatch.setattr(local, "EXACT_ROWS", exact_rows)
        ranked = store.dense(vectors[0], 500, ["p3", "p40"])  # 100 rows; the graph may miss a few of them
        assert len(ranked) >= 95 and {plans[i] for i, _ in ranked} == {"p3", "p40"}

    # and kept again: the tombstones stay counted, and a second round keeps the rows right
    import faiss

    faiss.write_index(index, str(path))
    again = dense.extend(path, *dense.match_rows(keys, keys[:-10]), vectors[:-10])
    assert again is not None and again[1].tombstones == 210 and dense.check_rows(again[0], len(keys) - 10) is None


def test_too_many_tombstones_or_an_index_that_is_not_a_kept_graph_means_a_new_one(tmp_path, monkeypatch):
    import faiss

    rng = np.random.default_rng(2)
    old = _unit(rng, 1000)
    keys = [f"t{i}" for i in range(1000)]
    path = _saved(tmp_path, old)
    assert dense.extend(path, *dense.match_rows(keys, keys[:880]), old[:880]) is None  # 120 of 1,000 slots retired: past 10%
    assert dense.extend(path, *dense.match_rows(keys, keys[:920]), old[:920]) is not None
    monkeypatch.setattr(dense, "RETIRE_LIMIT", 0.2)
    assert dense.extend(path, *dense.match_rows(keys, keys[:880]), old[:880]) is not None
    assert dense.extend(path, *dense.match_rows(keys[:999], keys), old) is None  # not the previous passages
    plain = faiss.IndexHNSWFlat(64, 16, faiss.METRIC_INNER_PRODUCT)  # a graph whose slots are its rows (format 4)
    plain.add(old)
    faiss.write_index(plain, str(path))
    assert dense.extend(path, *dense.match_rows(keys, keys), old) is None
    faiss.write_index(dense.build(old, "flat"), str(path))
    assert dense.extend(path, *dense.match_rows(keys, keys), old) is None
    path.write_bytes(b"not an index")
    assert dense.extend(path, *dense.match_rows(keys, keys), old) is None


def test_rows_held_twice_or_missing_are_named():
    import faiss

    rng = np.random.default_rng(3)
    index = dense.build(_unit(rng, 20), "hnsw")
    assert dense.check_rows(index, 20) is None
    assert "20 live slots" in (dense.check_rows(index, 21) or "")
    ids = faiss.vector_to_array(index.id_map)
    ids[3] = 4
    faiss.copy_array_to_vector(ids, index.id_map)
    assert "once each" in (dense.check_rows(index, 20) or "")
    assert dense.check_rows(dense.build(_unit(rng, 5), "flat"), 6) == "5 vectors for 6 passages"
