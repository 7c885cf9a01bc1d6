"""The store interface: rank passages (by their row in the index's passages.jsonl) for a query.

Every method takes `plans` (None: the whole library) and returns `(passage row, score)` best first, at most `n`:
`dense` scores are inner products of normalised vectors (cosines), `lexical` scores BM25, and `hybrid` returns the
fused ranking (reciprocal rank fusion, `1 / (rrf_k + rank)` summed) together with the two lists it fused.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, Sequence

import numpy as np

from ..errors import BadInputError
from ..settings import STORES

if TYPE_CHECKING:
    from ..indexing.folder import SearchIndex
    from ..settings import Settings

Ranked = list[tuple[int, float]]


class Store(Protocol):
    kind: str

    def size(self) -> int: ...

    def dense(self, vector: np.ndarray, n: int, plans: Sequence[str] | None = None) -> Ranked: ...

    def lexical(self, text: str, n: int, plans: Sequence[str] | None = None) -> Ranked: ...

    def hybrid(self, text: str, vector: np.ndarray, n: int, plans: Sequence[str] | None = None,
               rrf_k: float = 60.0) -> tuple[Ranked, Ranked, Ranked]: ...


def open_store(settings: Settings, index: SearchIndex) -> Store:
    """The store `settings.store` names, for this verified index."""
    if settings.store == "local":
        from .local import LocalStore

        return LocalStore(index, settings.hnsw_ef)
    if settings.store == "milvus":
        from .milvus import MilvusStore

        return MilvusStore.open(settings, index)
    raise BadInputError(f"POLICYQA_STORE={settings.store!r}: expected one of {', '.join(STORES)}")
