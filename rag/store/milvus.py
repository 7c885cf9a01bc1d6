"""The Milvus store: one collection per built index, named by the index manifest's checksum.

A collection holds, per passage: its row (primary key), plan id, region and chunk id (scalar fields, filtered by
expression), its vector (HNSW, inner product) and its text, from which Milvus's own BM25 function makes the
sparse side, tokenized by Milvus's jieba analyzer with the index's dictionary and stopwords. Hybrid ranking is
Milvus's `hybrid_search` with its RRF ranker. The URI is a path ending in `.db` (Milvus Lite, embedded in this
process: tests and CI) or `http(s)://host:19530` (a Milvus standalone or cluster).

Writing is atomic: a collection is filled under a `_building` name, checked (row count), then renamed; a build
killed half way leaves the previous collection, and the previous index folder that names it, serving.
"""
from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np

from ..errors import IndexInvalidError, PolicyQAError
from ..search.fusion import rrf
from ..text.lexicon import WORDLIKE
from ..text.normalize import normalize_text
from .base import Ranked

if TYPE_CHECKING:
    from ..indexing.folder import SearchIndex
    from ..settings import Settings

PREFIX = "policyqa_"
BATCH = 2_000
MAX_TEXT = 60_000  # characters of a passage given to BM25 (a VARCHAR field holds at most 65,535 bytes)
HNSW = {"M": 32, "efConstruction": 200}


class StoreUnavailableError(PolicyQAError):
    """The Milvus URI cannot be reached or opened."""


def collection_name(manifest: dict[str, Any]) -> str:
    return PREFIX + str(manifest["self_sha256"])[:16]


def connect(settings: Settings) -> Any:
    """A MilvusClient for `settings.milvus_target`, or one line naming the URI and why it cannot be used."""
    uri = settings.milvus_target
    if "://" not in uri and not uri.endswith(".db"):
        raise StoreUnavailableError(f"POLICYQA_MILVUS_URI={uri!r}: a Milvus Lite file must end in .db "
                                    "(or give http://host:19530 for a Milvus server)")
    try:
        from pymilvus import MilvusClient

        # Milvus Lite serves in this process over loopback: no keepalive pings (its gRPC server counts pings on an
        # idle connection as abuse and sends GOAWAY "too_many_pings", after which the client could not reconnect)
        lite = {} if "://" in uri else {"grpc_options": {"grpc.keepalive_time_ms": 2**31 - 1,
                                                         "grpc.keepalive_permit_without_calls": False}}
        client = MilvusClient(uri=uri, token=settings.milvus_token, timeout=10, **lite)
        client.list_collections()
    except Exception as exc:  # pymilvus raises many kinds: refused, timeout, Lite's lock held by another process
        reason = str(getattr(exc, "message", "") or exc).strip().splitlines()[0][:200] if str(exc).strip() \
            else type(exc).__name__
        if "://" not in uri and _locked_elsewhere(uri):
            reason = ("another process has it open — Milvus Lite admits one process at a time: stop that one, or "
                      "use a Milvus server")
        raise StoreUnavailableError(f"Milvus at {uri} cannot be used: {reason}") from None
    return client


def _locked_elsewhere(path: str) -> bool:
    """Another process holds Milvus Lite's advisory lock on `<path>/LOCK` (it does while it has the file open).
    Read from /proc/locks, which names the holder's pid: a lock this process holds is not another's."""
    try:
        inode = os.stat(os.path.join(path, "LOCK")).st_ino
        lines = open("/proc/locks", encoding="ascii").read().splitlines()
    except OSError:
        return False
    for line in lines:
        parts = line.split()
        if len(parts) > 5 and parts[1] == "FLOCK" and parts[5].rsplit(":", 1)[-1] == str(inode):
            return parts[4] != str(os.getpid())
    return False


def analyzer(index: SearchIndex) -> dict[str, Any]:
    """Milvus's jieba analyzer told the index's dictionary and stopwords, and the library's punctuation as stopwords
    (the local BM25 keeps only word-like tokens), so both stores' BM25 see nearly the same terms."""
    marks = {ch for p in index.passages for ch in normalize_text(p.text) if not ch.isspace() and not WORDLIKE.match(ch)}
    stop = sorted(set(index.lexicon.stopwords) | marks)
    return {"tokenizer": {"type": "jieba", "mode": "search", "dict": ["_default_", *index.lexicon.terms]},
            "filter": [{"type": "stop", "stop_words": stop}]}


def _schema(client: Any, index: SearchIndex) -> tuple[Any, Any]:
    from pymilvus import DataType, Function, FunctionType

    schema = client.create_schema(auto_id=False, description="PolicyQA passages")
    schema.add_field("pid", DataType.INT64, is_primary=True)
    schema.add_field("plan_id", DataType.VARCHAR, max_length=128)
    schema.add_field("region", DataType.VARCHAR, max_length=128)
    schema.add_field("chunk_id", DataType.VARCHAR, max_length=32)
    schema.add_field("text", DataType.VARCHAR, max_length=65_535, enable_analyzer=True,
                     analyzer_params=analyzer(index))
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=int(index.manifest["embedding"]["dimension"]))
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["text"],
                                 output_field_names=["sparse"]))
    params = client.prepare_index_params()
    params.add_index("dense", index_type="HNSW", metric_type="IP", params=HNSW)
    bm25 = index.manifest["bm25"]
    params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                     params={"bm25_k1": bm25["k1"], "bm25_b": bm25["b"]})
    return schema, params


def _rows(client: Any, name: str) -> int:
    return int(client.get_collection_stats(name).get("row_count", 0))


def write_collection(settings: Settings, index: SearchIndex, progress: Callable[[str], None] = print) -> str:
    """Copy a verified index folder's passages and vectors into Milvus (no embedding); returns the collection."""
    client = connect(settings)
    name = collection_name(index.manifest)
    if client.has_collection(name) and _rows(client, name) == len(index.passages):
        progress(f"Milvus at {settings.milvus_target} already holds {name}")
        return name
    building = name + "_building"
    for old in (building, name):
        if client.has_collection(old):
            client.drop_collection(old)
    schema, params = _schema(client, index)
    client.create_collection(building, schema=schema, index_params=params)
    regions = {pid: meta.region.name if meta.region else "" for pid, meta in index.plans.items()}
    total = len(index.passages)
    for start in range(0, total, BATCH):
        rows = [{"pid": p.pid, "plan_id": p.plan_id, "region": regions.get(p.plan_id, ""), "chunk_id": p.chunk_id,
                 "text": normalize_text(p.text)[:MAX_TEXT], "dense": index.vectors[p.pid].tolist()}
                for p in index.passages[start:start + BATCH]]
        client.insert(building, rows)
        if total > 10 * BATCH:
            progress(f"Milvus: {min(start + BATCH, total)}/{total} passages")
    client.flush(building)
    held = _rows(client, building)
    if held != total:
        raise IndexInvalidError(f"Milvus at {settings.milvus_target}: {building} holds {held} "
                                f"of {total} passages; the previous collection still serves")
    client.rename_collection(building, name)
    progress(f"Milvus at {settings.milvus_target}: {name} holds {total} passages")
    return name


def prune(settings: Settings, keep: Sequence[str], progress: Callable[[str], None] = print) -> list[str]:
    """Drop PolicyQA collections other than `keep` (a server still on the previous index keeps that one)."""
    client = connect(settings)
    dropped = [n for n in client.list_collections() if n.startswith(PREFIX) and n not in keep]
    for n in dropped:
        client.drop_collection(n)
    if dropped:
        progress(f"Milvus: dropped {', '.join(dropped)}")
    return dropped


class MilvusStore:
    kind = "milvus"

    def __init__(self, client: Any, name: str, passages: int, ef: int = 1024):
        self.client = client
        self.name = name
        self.passages = passages
        self.ef = ef

    @classmethod
    def open(cls, settings: Settings, index: SearchIndex) -> MilvusStore:
        client = connect(settings)
        name = collection_name(index.manifest)
        if not client.has_collection(name):
            raise IndexInvalidError(f"Milvus at {settings.milvus_target} has no collection {name} for the index built "
                                    f"{index.manifest['built_at']}; run `policyqa migrate` to copy it there")
        client.load_collection(name)
        rows = _rows(client, name)
        if rows != len(index.passages):
            raise IndexInvalidError(f"Milvus at {settings.milvus_target}: {name} holds {rows} of "
                                    f"{len(index.passages)} passages; run `policyqa migrate` to copy it again")
        return cls(client, name, rows, settings.hnsw_ef)

    def size(self) -> int:
        return self.passages

    @staticmethod
    def _filter(plans: Sequence[str] | None) -> str:
        return f"plan_id in {json.dumps(list(plans), ensure_ascii=False)}" if plans else ""

    @staticmethod
    def _ranked(result: Any, lexical: bool) -> Ranked:
        hits = result[0] if result else []
        # BM25 scores are positive; Milvus Lite reports them negated as distances, a Milvus server as they are
        return [(int(h["pid"]), abs(float(h["distance"])) if lexical else float(h["distance"])) for h in hits]

    def _dense_request(self, vector: np.ndarray, n: int) -> tuple[list[list[float]], dict[str, Any]]:
        data = [np.asarray(vector, np.float32).ravel().tolist()]
        return data, {"metric_type": "IP", "params": {"ef": max(self.ef, n)}}

    def dense(self, vector: np.ndarray, n: int, plans: Sequence[str] | None = None) -> Ranked:
        data, params = self._dense_request(vector, n)
        return self._ranked(self.client.search(self.name, data=data, anns_field="dense", limit=n,
                                               filter=self._filter(plans), search_params=params,
                                               output_fields=["pid"]), lexical=False)

    def lexical(self, text: str, n: int, plans: Sequence[str] | None = None) -> Ranked:
        if not text.strip():
            return []
        return self._ranked(self.client.search(self.name, data=[text], anns_field="sparse", limit=n,
                                               filter=self._filter(plans), search_params={"metric_type": "BM25"},
                                               output_fields=["pid"]),
                            lexical=True)

    def hybrid(self, text: str, vector: np.ndarray, n: int, plans: Sequence[str] | None = None,
               rrf_k: float = 60.0) -> tuple[Ranked, Ranked, Ranked]:
        from pymilvus import AnnSearchRequest, RRFRanker

        lexical = self.lexical(text, n, plans)
        dense = self.dense(vector, n, plans)
        if not lexical:  # nothing for Milvus to fuse: the dense ranking, scored as RRF scores it
            return rrf([[p for p, _ in dense]], k=rrf_k), lexical, dense
        data, params = self._dense_request(vector, n)
        expr = self._filter(plans)
        requests = [AnnSearchRequest(data=[text], anns_field="sparse", param={"metric_type": "BM25"}, limit=n,
                                     expr=expr),
                    AnnSearchRequest(data=data, anns_field="dense", param=params, limit=n, expr=expr)]
        result = self.client.hybrid_search(self.name, requests, RRFRanker(int(rrf_k)), limit=2 * n,
                                            output_fields=["pid"])
        return self._ranked(result, lexical=False), lexical, dense
