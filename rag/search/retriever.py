"""Retrieval behind one small interface: `search(query, k, plans) -> list[Hit]`, and `retrieve` for the raw
scores and the query vector the answer stage judges them by.

A store (`rag/store`: the index folder's BM25 + FAISS, or a Milvus collection) ranks passages lexically (BM25
over jieba tokens) and by meaning (e5 vectors), and fuses the two rankings; the retriever folds passages into
clauses. Answer code sees only `Retriever`, `SearchResult` and `Hit`, never which store ranked.
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
from ..store import Store, open_store
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
                 vector: np.ndarray | None = None, lexical: str | None = None, distinct: bool = True) -> SearchResult: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    @property
    def embedder(self) -> TextEncoder: ...


class HybridRetriever:
    """Both rankers, fused; passages folded into clauses; a news paragraph never outranks its plan clause."""

    def __init__(self, index: SearchIndex, embedder: TextEncoder, settings: Settings, store: Store | None = None):
        if index.manifest["embedding"]["fingerprint"] != embedder.fingerprint:
            raise IndexInvalidError(f"{index.folder / 'manifest.json'}: built with another version of "
                                    f"{index.manifest['embedding']['name']}; {REBUILD}")
        self.index = index
        self.settings = settings
        self._embedder = embedder
        self.store = store if store is not None else open_store(settings, index)

    def search(self, query: str, k: int = 5, plans: Sequence[str] | None = None,
               mode: str | None = None) -> list[Hit]:
        return self.retrieve(query, k, plans, mode).hits

    def embed_query(self, text: str) -> np.ndarray:
        return self._embedder.queries([text])

    @property
    def embedder(self) -> TextEncoder:
        """The model this retriever embeds with (lent to an index opened later in the same process)."""
        return self._embedder

    def retrieve(self, query: str, k: int = 5, plans: Sequence[str] | None = None, mode: str | None = None,
                 vector: np.ndarray | None = None, lexical: str | None = None, distinct: bool = True) -> SearchResult:
        """`vector`: the query's embedding when the caller already has it (one query, several searches);
        `lexical`: other words for BM25 than the query's (an English question's Chinese words: the glosses' many
        senses, whose BM25 scores' scale says little — fused by rank, RRF, whatever `fusion` says); `distinct`: a
        clause word for word the same as a better-ranked one's (a document added twice, a page serving another year's
        body) is no second hit (off: each plan's own, for comparing plans). A query is searched by its first
        MAX_ANALYSED_CHARS characters: what one search costs does not grow with its length."""
        query = normalize_text(analysed_part(query))
        if not query:
            raise BadInputError("the query is empty")
        mode = mode or self.settings.mode
        if plans:
            check_plans(self.index, plans)
        n = max(self.settings.candidates, k)
        if vector is None and mode in ("hybrid", "dense"):
            vector = self.embed_query(query)
        qv = vector if vector is not None else np.zeros(0, np.float32)  # unused by bm25 mode
        words = normalize_text(lexical) if lexical is not None else query
        fused: list[tuple[Any, float]]
        ranked: list[tuple[int, float]] = []
        dense: list[tuple[int, float]] = []
        by_rank = self.settings.fusion == "rrf" or lexical is not None
        top_dense = 0.0
        if mode == "bm25":
            fused = ranked = self.store.lexical(words, n, plans) if words else []
        elif by_rank and mode != "dense" and not self.settings.sentence_weight:
            fused, ranked, dense = self.store.hybrid(words, qv, n, plans, self.settings.rrf_k)
            top_dense = dense[0][1] if dense else 0.0
        else:
            ranked = self.store.lexical(words, n, plans) if words and mode != "dense" else []
            # within the one plan searched: what tells its passages apart (not across the plans a comparison names,
            # where a word of the matter compared, common in one of them, would lose to what is rare in the other)
            if plans and len(set(plans)) == 1 and ranked and self.settings.scoped_idf:
                rows = np.array([r for r, _ in ranked], np.int64)
                scores = self.index.bm25.rescored(words, rows, self.index.rows_of(plans), self.settings.scoped_idf)
                ranked = sorted(((int(r), float(x)) for r, x in zip(rows, scores) if x > 0), key=lambda x: (-x[1], x[0]))
            dense = self.store.dense(qv, n, plans)
            top_dense = dense[0][1] if dense else 0.0
            dense = self.by_sentence(qv, [p for p, _ in ranked], dict(dense))[:n]
            if mode == "dense":
                fused = dense
            elif by_rank:
                fused = rrf([[p for p, _ in ranked], [p for p, _ in dense]], k=self.settings.rrf_k)
            else:
                w = self.settings.dense_weight
                fused = weighted([dict(ranked), dict(dense)], [1 - w, w])
        return SearchResult(self._to_hits(fused, ranked, dense, k, distinct), top_dense, ranked[0][1] if ranked else 0.0,
                            vector)

    def by_sentence(self, vector: np.ndarray, rows: Sequence[int], cosines: dict[int, float]) -> list[tuple[int, float]]:
        """Candidate passages (the dense ranker's and the lexical ranker's) by meaning: each one's cosine mixed with
        that of its clause's best sentence, `sentence_weight` of it. A long clause's vector blurs its measures
        together; the one sentence a question paraphrases stands out in its own (`慢慢减少扶持` for
        `建立…“退坡”支持等机制`). Every candidate is scored, a lexical-only one too; the caller keeps the best
        `candidates` of them as the meaning ranking (the rest score 0 there in the weighted fusion, as before). The
        rows and sentences read are the candidates' only: the cost does not grow with the library. `cosines`: the
        dense ranker's candidates with their cosines (kept); `rows`: further candidates, whose vectors are read."""
        query = np.asarray(vector, np.float32).reshape(-1)
        cosines = dict(cosines)
        unread = [r for r in dict.fromkeys(int(r) for r in rows) if r not in cosines]
        if unread:
            cosines.update(zip(unread, (float(c) for c in self.index.vectors[unread] @ query)))
        weight = self.settings.sentence_weight
        best: dict[str, float] = {}
        scored = []
        for row, cosine in cosines.items():
            chunk_id = self.index.passages.chunk_of(row)
            if weight and chunk_id not in best:
                sentences = [r for r, _, _ in self.index.sentences_of(chunk_id)]
                best[chunk_id] = float((self.index.sentence_vectors[sentences] @ query).max()) if sentences \
                    else float(cosine)
            scored.append((row, (1 - weight) * float(cosine) + weight * best.get(chunk_id, 0.0)))
        return sorted(scored, key=lambda x: (-x[1], x[0]))

    def _to_hits(self, fused: list[tuple[Any, float]], lexical: list[tuple[int, float]],
                 dense: list[tuple[int, float]], k: int, distinct: bool = True) -> list[Hit]:
        passages = self.index.passages
        lex_rank = self._clause_ranks(lexical)
        den_rank = self._clause_ranks(dense)
        order: list[tuple[str, float]] = []
        seen: set[str] = set()
        for pid, score in fused:
            cid = passages.chunk_of(pid)
            if cid not in seen:
                seen.add(cid)
                order.append((cid, score))
        order = self._plan_before_news(order)
        hits: list[Hit] = []
        texts: set[tuple[str, str]] = set()  # (a copy says nothing new; `distinct` off: within one plan only)
        for cid, score in order:
            c = self.index.clause(cid)
            assert c is not None, cid
            copy = (c.text.strip(), "" if distinct else c.plan_id)
            if copy in texts:
                continue
            texts.add(copy)
            hits.append(Hit.of(c, rank=len(hits) + 1, score=round(score, 6), lexical_rank=lex_rank.get(cid),
                               dense_rank=den_rank.get(cid)))
            if len(hits) == k:
                break
        return hits

    def _clause_ranks(self, ranked: list[tuple[int, float]]) -> dict[str, int]:
        ranks: dict[str, int] = {}
        for pid, _ in ranked:
            cid = self.index.passages.chunk_of(pid)
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
    store = open_store(settings, index)  # an unreachable store is reported before the model loads
    return HybridRetriever(index, embedder or Embedder.from_settings(settings, progress), settings, store)
