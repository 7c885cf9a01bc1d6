"""Retrieval behind one small interface: `search(query, k, plans) -> list[Hit]`, and `retrieve` for the raw
scores and the query vector the answer stage judges them by.

Lexical (BM25 over jieba tokens) and dense (FAISS over sentence embeddings) rankers rank passages; the
hybrid retriever fuses their rankings (`fusion.py`) and returns clauses. Answer code sees only `Retriever`,
`SearchResult` and `Hit`, so another backend (Milvus Lite, a Milvus cluster) slots in by implementing them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from ..errors import BadInputError, IndexInvalidError
from ..indexing.embedding import TextEncoder
from ..indexing.folder import REBUILD, SearchIndex
from ..limits import analysed_part
from ..settings import Settings
from ..text.normalize import normalize_text
from ..types import Hit
from .corpus import check_plans
from .fusion import rrf, weighted


@dataclass(frozen=True)
class SearchResult:
    """Hits plus what the answer layer needs to judge them: the best raw scores and the query vector."""

    hits: list[Hit]
    top_dense: float  # best cosine of any passage (0 when the dense retriever did not run)
    top_lexical: float  # best BM25 score
    query_vector: np.ndarray | None


class Retriever(Protocol):
    """What the answer stage needs of retrieval."""

    def search(self, query: str, k: int = 5, plans: Sequence[str] | None = None,
               mode: str | None = None) -> list[Hit]: ...

    def retrieve(self, query: str, k: int = 5, plans: Sequence[str] | None = None, mode: str | None = None,
                 vector: np.ndarray | None = None, lexical: str | None = None) -> SearchResult: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    @property
    def embedder(self) -> TextEncoder: ...


class LexicalRanker:
    """BM25 over passages; the plan filter masks other plans before ranking."""

    def __init__(self, index: SearchIndex):
        self.index = index

    def rank(self, query: str, n: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        scores = self.index.bm25.scores(query)
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf)
        top = np.argsort(-scores, kind="stable")[:n]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


class DenseRanker:
    """Inner product of normalised vectors in FAISS; the plan filter is a FAISS id selector."""

    def __init__(self, index: SearchIndex, embedder: TextEncoder):
        self.index = index
        self.embedder = embedder

    def rank(self, query: str, n: int, allowed: np.ndarray | None,
             vector: np.ndarray | None = None) -> list[tuple[int, float]]:
        import faiss

        hnsw: Any = faiss.SearchParametersHNSW  # type: ignore[attr-defined]  # faiss's stubs lack the class
        flat: Any = faiss.SearchParameters
        vector = self.embedder.queries([query]) if vector is None else vector
        params = None
        if allowed is not None:
            ids = np.flatnonzero(allowed).astype(np.int64)
            selector = faiss.IDSelectorBatch(ids)
            params = hnsw(sel=selector, efSearch=max(64, n)) \
                if isinstance(self.index.dense, faiss.IndexHNSWFlat) else flat(sel=selector)
            n = min(n, len(ids))
        elif isinstance(self.index.dense, faiss.IndexHNSWFlat):
            params = hnsw(efSearch=max(64, n))
        if n == 0:
            return []
        scores, ids = self.index.dense.search(vector, n, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]


class HybridRetriever:
    """Both rankers, fused; passages folded into clauses; a news paragraph never outranks its plan clause."""

    def __init__(self, index: SearchIndex, embedder: TextEncoder, settings: Settings):
        if index.manifest["embedding"]["fingerprint"] != embedder.fingerprint:
            raise IndexInvalidError(f"{index.folder / 'manifest.json'}: built with another version of "
                                    f"{index.manifest['embedding']['name']}; {REBUILD}")
        self.index = index
        self.settings = settings
        self.lexical = LexicalRanker(index)
        self.dense = DenseRanker(index, embedder)

    def _allowed(self, plans: Sequence[str] | None) -> np.ndarray | None:
        if not plans:
            return None
        check_plans(self.index, plans)
        return np.isin(self.index.plan_of_passage, list(plans))

    def search(self, query: str, k: int = 5, plans: Sequence[str] | None = None,
               mode: str | None = None) -> list[Hit]:
        return self.retrieve(query, k, plans, mode).hits

    def embed_query(self, text: str) -> np.ndarray:
        return self.dense.embedder.queries([text])

    @property
    def embedder(self) -> TextEncoder:
        """The model this retriever embeds with (lent to an index opened later in the same process)."""
        return self.dense.embedder

    def retrieve(self, query: str, k: int = 5, plans: Sequence[str] | None = None,
                 mode: str | None = None, vector: np.ndarray | None = None, lexical: str | None = None) -> SearchResult:
        """`vector`: the query's embedding when the caller already has it (one query, several searches);
        `lexical`: other words for BM25 than the query's (an English question's Chinese words). A query is
        searched by its first MAX_ANALYSED_CHARS characters: what one search costs does not grow with its length."""
        query = normalize_text(analysed_part(query))
        if not query:
            raise BadInputError("the query is empty")
        mode = mode or self.settings.mode
        allowed = self._allowed(plans)
        n = max(self.settings.candidates, k)
        if vector is None and mode in ("hybrid", "dense"):
            vector = self.embed_query(query)
        words = normalize_text(lexical) if lexical is not None else query
        ranked = self.lexical.rank(words, n, allowed) if mode in ("hybrid", "bm25") and words else []
        dense = self.dense.rank(query, n, allowed, vector) if mode in ("hybrid", "dense") else []
        fused: list[tuple[Any, float]]
        if mode == "bm25":
            fused = ranked
        elif mode == "dense":
            fused = dense
        elif self.settings.fusion == "rrf":
            fused = rrf([[p for p, _ in ranked], [p for p, _ in dense]], k=self.settings.rrf_k)
        else:
            w = self.settings.dense_weight
            fused = weighted([dict(ranked), dict(dense)], [1 - w, w])
        return SearchResult(self._to_hits(fused, ranked, dense, k), dense[0][1] if dense else 0.0,
                            ranked[0][1] if ranked else 0.0, vector)

    def _to_hits(self, fused: list[tuple[Any, float]], lexical: list[tuple[int, float]],
                 dense: list[tuple[int, float]], k: int) -> list[Hit]:
        passages = self.index.passages
        lex_rank = self._clause_ranks(lexical)
        den_rank = self._clause_ranks(dense)
        order: list[tuple[str, float]] = []
        seen: set[str] = set()
        for pid, score in fused:
            cid = passages[pid].chunk_id
            if cid not in seen:
                seen.add(cid)
                order.append((cid, score))
        order = self._plan_before_news(order)
        hits = []
        for rank, (cid, score) in enumerate(order[:k], start=1):
            c = self.index.by_id[cid]
            hits.append(Hit.of(c, rank=rank, score=round(score, 6), lexical_rank=lex_rank.get(cid),
                               dense_rank=den_rank.get(cid)))
        return hits

    def _clause_ranks(self, ranked: list[tuple[int, float]]) -> dict[str, int]:
        ranks: dict[str, int] = {}
        for pid, _ in ranked:
            cid = self.index.passages[pid].chunk_id
            if cid not in ranks:
                ranks[cid] = len(ranks) + 1
        return ranks

    def _plan_before_news(self, order: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """When a 相关报道 paragraph repeats a plan clause, the plan's clause takes its place and it follows."""
        out: list[tuple[str, float]] = []
        placed: set[str] = set()
        for cid, score in order:
            if cid in placed:
                continue
            twin = self.index.twins.get(cid)
            if twin and twin not in placed:
                out.append((twin, score))
                placed.add(twin)
            out.append((cid, score))
            placed.add(cid)
        return out


def open_retriever(settings: Settings, progress: Callable[[str], None] = print,
                   plans: Sequence[str] = (), embedder: TextEncoder | None = None,
                   index: SearchIndex | None = None) -> HybridRetriever:
    """Load the verified index and the embedding model (the index must exist: `policyqa index`).

    `plans`: plan ids the caller will filter by, checked against the index before the model loads.
    `embedder`: a model already loaded (after building the index in the same process).
    `index`: the index already opened and checked against the corpus by the caller."""
    from ..indexing.embedding import Embedder
    from ..indexing.folder import corpus_drift, open_index

    if index is None:
        index = open_index(settings)
        drift = corpus_drift(settings, index.manifest)
        if drift:  # answers still come from the index as built (a document that fails to parse must not stop them)
            progress(f"warning: {drift}")
    check_plans(index, plans)
    return HybridRetriever(index, embedder or Embedder.from_settings(settings, progress), settings)
