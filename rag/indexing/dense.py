"""The FAISS index over the passage vectors (`dense.faiss`): exact inner product, or an HNSW graph for large
libraries — and how a build keeps that graph instead of building it again.

An HNSW graph over 10⁶ passages takes 10–20 minutes to build on two cores; adding one plan's passages to it
takes seconds (most of them reading the graph file). So an HNSW index is a graph over 8-bit codes wrapped in an
id map (`IndexIDMap`): the graph's slot → the passage row it holds. A build whose previous index was made by the
same model and the same graph parameters keeps that graph: a passage whose text is unchanged keeps its slot (its
id becomes its new row), a new or changed passage is added, and a passage that is gone keeps its slot as a tombstone (id -1),
which every search excludes (`LocalStore`). Once tombstones pass `RETIRE_LIMIT` of the slots, or the library has
grown to `RETRAIN_GROWTH` times what the codes were trained on, the graph is built again from the vectors alone.
A flat index is the vectors themselves, so it is always rebuilt.
"""
from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

HNSW_M = 32  # graph neighbours per node
EF_CONSTRUCTION = 200
RETIRE_LIMIT = 0.10  # share of tombstoned slots past which the graph is rebuilt
# the 8-bit codes' ranges are trained on the vectors a graph is built with; once the library has grown past this
# many times that, a new graph retrains them (added vectors outside the ranges are clipped; re-ranking is exact)
RETRAIN_GROWTH = 2
TOMBSTONE = -1


def params(kind: str) -> dict[str, Any]:
    """What the manifest records of the index's shape; a graph is reused only by a build with the same."""
    if kind == "hnsw":
        return {"kind": kind, "metric": "inner_product", "m": HNSW_M, "ef_construction": EF_CONSTRUCTION,
                "codes": "sq8"}
    return {"kind": kind, "metric": "inner_product"}


def graph_of(index: Any) -> Any | None:
    """The HNSW index inside `index` (plain, or under an id map), or None for an exact index."""
    import faiss

    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap) else index
    return inner if isinstance(inner, faiss.IndexHNSW) else None


def slot_ids(index: Any) -> np.ndarray | None:
    """Slot → passage row (TOMBSTONE for a retired slot) of an id-mapped index; None when slots are rows."""
    import faiss

    return faiss.vector_to_array(index.id_map) if isinstance(index, faiss.IndexIDMap) else None


def live_rows(index: Any) -> int:
    """How many passages the index holds (its slots less its tombstones)."""
    ids = slot_ids(index)
    return int(index.ntotal) if ids is None else int(np.count_nonzero(ids != TOMBSTONE))


def check_rows(index: Any, n_passages: int) -> str | None:
    """Why this index does not hold exactly the rows 0..n_passages-1 once each, or None when it does."""
    ids = slot_ids(index)
    if ids is None:
        return None if index.ntotal == n_passages else f"{index.ntotal} vectors for {n_passages} passages"
    live = ids[ids != TOMBSTONE]
    if len(live) != n_passages or (n_passages and (live.min() < 0 or live.max() >= n_passages
                                                   or np.bincount(live, minlength=n_passages).max() != 1)):
        return f"its {len(live)} live slots are not the passage rows 0..{n_passages - 1} once each"
    return None


def build(vectors: np.ndarray, kind: str, threads: int = 2) -> Any:
    """A new index over these vectors (row i = passage i)."""
    import faiss

    faiss.omp_set_num_threads(max(1, threads))  # searching sets 1 (rag/store/local.py)
    dim = vectors.shape[1]
    if kind != "hnsw":
        flat = faiss.IndexFlatIP(dim)
        flat.add(vectors)
        return flat
    # the graph over 8-bit codes (¼ of the vectors' memory); searches re-rank the candidates exactly
    graph = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, HNSW_M,  # type: ignore[arg-type]
                              faiss.METRIC_INNER_PRODUCT)
    graph.hnsw.efConstruction = EF_CONSTRUCTION
    graph.train(vectors)
    index = faiss.IndexIDMap(graph)
    index.add_with_ids(vectors, np.arange(len(vectors), dtype=np.int64))
    return index


@dataclass
class Extension:
    """How a build changed a kept graph."""

    kept: int
    added: int
    retired: int  # tombstones made by this build
    tombstones: int  # in the graph after it


def match_rows(old_keys: Sequence[str], new_keys: Sequence[str]) -> tuple[np.ndarray, list[int]]:
    """Old row → new row of the same text (TOMBSTONE when it is gone), and the new rows no old row holds.

    Texts that repeat are paired in order, so each new row gets at most one old row."""
    waiting: dict[str, deque[int]] = defaultdict(deque)
    for row, key in enumerate(old_keys):
        waiting[key].append(row)
    moved = np.full(len(old_keys), TOMBSTONE, np.int64)
    added = []
    for row, key in enumerate(new_keys):
        if waiting.get(key):
            moved[waiting[key].popleft()] = row
        else:
            added.append(row)
    return moved, added


def extend(path: Path, moved: np.ndarray, added: list[int], vectors: np.ndarray,
           threads: int = 2) -> tuple[Any, Extension] | None:
    """The previous HNSW index at `path` carried over to the new passages (`match_rows` of the old and new texts;
    `vectors` by new row), or None when it cannot be kept: not an id-mapped graph, not the previous passages, or
    too many tombstones."""
    import faiss

    try:
        index: Any = faiss.read_index(str(path))  # read whole: it grows
    except RuntimeError:
        return None
    ids = slot_ids(index)
    if ids is None or graph_of(index) is None or check_rows(index, len(moved)) is not None \
            or index.d != vectors.shape[1]:
        return None
    live = ids != TOMBSTONE
    ids[live] = moved[ids[live]]
    tombstones = int(np.count_nonzero(ids == TOMBSTONE))
    if tombstones > RETIRE_LIMIT * (len(ids) + len(added)):
        return None
    faiss.copy_array_to_vector(ids, index.id_map)
    faiss.omp_set_num_threads(max(1, threads))
    if added:
        rows = np.asarray(added, np.int64)
        index.add_with_ids(np.ascontiguousarray(vectors[rows]), rows)
    return index, Extension(kept=len(vectors) - len(added), added=len(added),
                            retired=int(np.count_nonzero(moved == TOMBSTONE)), tombstones=tombstones)
