"""The default store: the index folder's own files, in this process — BM25 as a sparse matrix, FAISS for
vectors (exact inner product, or HNSW above `exact_limit` passages)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from ..search.fusion import rrf
from .base import Ranked

RERANK = 100  # HNSW candidates re-ranked exactly per search
EXACT_ROWS = 20_000  # a plan filter over at most this many passages is searched exactly (HNSW misses filtered rows)

if TYPE_CHECKING:
    from ..indexing.folder import SearchIndex


def top(scores: np.ndarray, n: int) -> np.ndarray:
    """Rows of the `n` best scores, best first, ties in row order — without sorting every row."""
    if n <= 0 or len(scores) == 0:
        return np.zeros(0, np.int64)
    if n < len(scores):
        cut = np.argpartition(-scores, n - 1)[:n]
        threshold = scores[cut].min()
        cut = np.flatnonzero(scores >= threshold)  # every tie at the threshold, so the order is stable
        return cut[np.argsort(-scores[cut], kind="stable")][:n]
    return np.argsort(-scores, kind="stable")[:n]


class LocalStore:
    kind = "local"

    def __init__(self, index: SearchIndex, ef: int = 1024):
        import faiss

        from ..indexing.dense import graph_of, live_rows

        self.index = index
        self.ef = ef  # HNSW only: candidates examined per search
        self._hnsw = graph_of(index.dense) is not None
        # a graph kept across builds holds retired slots (tombstones): every search takes live rows only
        self._live = (faiss.IDSelectorRange(0, len(index.vectors))
                      if live_rows(index.dense) != index.dense.ntotal else None)
        # one query at a time: FAISS's OpenMP threads only wait on each other (a flat search of 10,000 vectors took
        # 40 ms with two threads on a busy 2-core machine, 0.4 ms with one); builds set their own count
        faiss.omp_set_num_threads(1)

    def size(self) -> int:
        return len(self.index.passages)

    def lexical(self, text: str, n: int, plans: Sequence[str] | None = None) -> Ranked:
        scores = self.index.bm25.scores(text)
        rows = np.flatnonzero(scores > 0)  # ascending, so ties keep row order
        if plans:
            rows = np.intersect1d(rows, self.index.rows_of(plans), assume_unique=True)
        best = rows[top(scores[rows], n)]
        return [(int(i), float(scores[i])) for i in best]

    def dense(self, vector: np.ndarray, n: int, plans: Sequence[str] | None = None) -> Ranked:
        """Exact inner product (flat), or HNSW candidates re-ranked by their exact inner product with the index's
        memory-mapped vectors: an HNSW over 8-bit codes holds a quarter of the vectors' memory, and its scores
        and order among the candidates are the exact ones."""
        import faiss

        hnsw: Any = faiss.SearchParametersHNSW  # type: ignore[attr-defined]  # faiss's stubs lack the class
        flat: Any = faiss.SearchParameters
        is_hnsw = self._hnsw
        query = np.asarray(vector, np.float32).reshape(1, -1)
        params = None
        if plans:
            ids = self.index.rows_of(plans).astype(np.int64)
            if is_hnsw and len(ids) <= EXACT_ROWS:  # a few plans: every one of their vectors, exactly
                return self._exact(ids, query[0], n)
            mask = np.zeros(len(self.index.vectors), bool)
            mask[ids] = True
            bitmap = np.packbits(mask, bitorder="little")
            # faiss's Python wrapper takes the array (its size in bytes, a reference kept); its stubs know only C++'s
            selector = faiss.IDSelectorBitmap(bitmap)  # type: ignore[call-arg, arg-type]
            params = hnsw(sel=selector, efSearch=max(self.ef, n)) if is_hnsw else flat(sel=selector)
            n = min(n, len(ids))
        elif is_hnsw:
            params = hnsw(efSearch=max(self.ef, n)) if self._live is None else hnsw(sel=self._live,
                                                                                     efSearch=max(self.ef, n))
        if n == 0:
            return []
        wanted = max(n, RERANK) if is_hnsw else n
        scores, ids = self.index.dense.search(query, wanted, params=params)
        found = ids[0][ids[0] >= 0]
        if not is_hnsw:
            return [(int(i), float(s)) for i, s in zip(found, scores[0])]
        return self._exact(np.sort(found), query[0], n)

    def _exact(self, rows: np.ndarray, query: np.ndarray, n: int) -> Ranked:
        """The `n` of these (ascending) rows whose mapped vectors have the highest inner product, ties in row order."""
        exact = np.asarray(self.index.vectors[rows] @ query, np.float32)
        return [(int(rows[j]), float(exact[j])) for j in np.argsort(-exact, kind="stable")[:n]]

    def hybrid(self, text: str, vector: np.ndarray, n: int, plans: Sequence[str] | None = None,
               rrf_k: float = 60.0) -> tuple[Ranked, Ranked, Ranked]:
        lexical = self.lexical(text, n, plans) if text else []
        dense = self.dense(vector, n, plans)
        return rrf([[p for p, _ in lexical], [p for p, _ in dense]], k=rrf_k), lexical, dense
