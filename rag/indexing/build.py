"""Build the search index from the corpus: parse every plan, embed passages and sentences, write the folder.

Builds are incremental (a passage or sentence whose text and model are unchanged keeps its vector) and atomic
(written beside the live index, verified, then swapped in), so a crash or a bad document leaves the old index
serving.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .. import __version__
from ..errors import IndexBuildError, PolicyQAError
from ..files import atomic_dir, file_sha256, read_json, read_jsonl, write_json, write_jsonl
from ..ingest.library import IngestResult, Library
from ..match.measures import extract_library
from ..match.terms import Terms
from ..settings import Settings
from ..text.lexicon import Lexicon, quoted_coinages
from ..text.sentences import sentence_spans
from ..types import Clause, PlanMeta
from ..writer import one_writer
from .bm25 import BM25
from .embedding import TextEncoder
from .folder import FORMAT, MANIFEST, SearchIndex, live_index_dir, manifest_digest
from .passages import Passage, passage_texts, text_key, twins

Progress = Callable[[str], None]


def versions() -> dict[str, str]:
    """The versions that shaped the index, read from the installed distributions (no heavy imports)."""
    from importlib.metadata import version

    return {"policyqa": __version__, "faiss": version("faiss-cpu"), "jieba": version("jieba"),
            "sentence_transformers": version("sentence-transformers"), "torch": version("torch"),
            "onnxruntime": version("onnxruntime")}


def ann_kind(settings: Settings, n_passages: int) -> str:
    if settings.ann != "auto":
        return settings.ann
    return "flat" if n_passages <= settings.exact_limit else "hnsw"


def _faiss_index(vectors: np.ndarray, kind: str, threads: int = 2) -> Any:
    import faiss

    faiss.omp_set_num_threads(max(1, threads))  # searching sets 1 (rag/store/local.py)
    dim = vectors.shape[1]
    index: Any
    if kind == "hnsw":  # the graph over 8-bit codes (¼ of the vectors' memory); searches re-rank exactly
        index = faiss.IndexHNSWSQ(dim, faiss.ScalarQuantizer.QT_8bit, 32,  # type: ignore[arg-type]
                                  faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 200
        index.train(vectors)
    else:
        index = faiss.IndexFlatIP(dim)
    index.add(vectors)
    return index


@dataclass
class _Contents:
    """Everything one index folder holds, before it is written."""

    results: list[IngestResult]
    clauses: list[Clause]
    plans: dict[str, PlanMeta]
    lexicon: Lexicon
    extra_terms: list[str]
    passages: list[Passage]
    vectors: np.ndarray
    sentences: list[dict[str, Any]]
    sentence_vectors: np.ndarray
    bm25: BM25
    dense: Any
    kind: str
    embedded: int
    reused: int


def _parse_corpus(settings: Settings) -> list[IngestResult]:
    library = Library(settings)
    results: list[IngestResult] = []
    failures = []
    for manifest in library.manifests():
        try:
            results.append(library.parse(settings.corpus / manifest["file"], manifest["plan_id"], manifest))
        except PolicyQAError as exc:
            failures.append(str(exc))
    if failures:
        raise IndexBuildError("not building: " + "; ".join(failures) + " (the previous index still serves)")
    if not results:
        raise IndexBuildError(f"no plans in {settings.corpus}; add one with `policyqa ingest FILE`")
    for result in results:
        library.store(result)
    return results


_VECTOR_FORMATS = (3, FORMAT)  # index formats whose vector files are laid out as this one's (3: before self_sha256)
_VECTOR_FILES = ("clauses.jsonl", "passages.jsonl", "vectors.npy", "sentences.jsonl", "sentence_vectors.npy")


def _vector_cache(settings: Settings, embedder: TextEncoder) -> dict[str, np.ndarray]:
    """text_key -> vector of every passage and sentence of the live index, when built by the same model.

    A vector depends only on its text and the model, so only the files holding texts and vectors are read (each
    checked against the manifest): an index built with another dictionary or vocabulary still lends its vectors."""
    folder = live_index_dir(settings)
    try:
        manifest = read_json(folder / MANIFEST)
        if manifest.get("format") not in _VECTOR_FORMATS or manifest["embedding"]["fingerprint"] != embedder.fingerprint:
            return {}
        for name in _VECTOR_FILES:
            if file_sha256(folder / name) != manifest["files"][name]["sha256"]:
                return {}
        texts = {c["chunk_id"]: c["text"] for c in read_jsonl(folder / "clauses.jsonl")}
        passages = read_jsonl(folder / "passages.jsonl")
        vectors = np.load(folder / "vectors.npy")
        sentences = read_jsonl(folder / "sentences.jsonl")
        sentence_vectors = np.load(folder / "sentence_vectors.npy")
    except (OSError, ValueError, KeyError):
        return {}
    if len(vectors) != len(passages) or len(sentence_vectors) != len(sentences):
        return {}
    cache = {text_key(p["text"]): vectors[i] for i, p in enumerate(passages)}
    for row, s in enumerate(sentences):
        cache[text_key(texts[s["chunk_id"]][s["start"]:s["end"]])] = sentence_vectors[row]
    return cache


def _stack(vectors: list[np.ndarray], dim: int) -> np.ndarray:
    return np.stack(vectors).astype(np.float32) if vectors else np.zeros((0, dim), np.float32)


def build_index(settings: Settings, embedder: TextEncoder, progress: Progress = print,
                full: bool = False) -> dict[str, Any]:
    """Parse the corpus and (re)build the index atomically, holding the data directory's writer lock (a second
    writer waits, or stops with `settings.wait_for_writer` off). Returns the new manifest."""
    with one_writer(settings.home, "policyqa index", settings.wait_for_writer, progress):
        return _build(settings, embedder, progress, full)


def _build(settings: Settings, embedder: TextEncoder, progress: Progress, full: bool) -> dict[str, Any]:
    started = time.perf_counter()
    results = _parse_corpus(settings)
    clauses = [c for r in results for c in r.doc.clauses]
    plans = {r.meta.plan_id: r.meta for r in results}
    extra_terms = quoted_coinages(c.text for c in clauses) if settings.use_dictionary else []
    lexicon = Lexicon(extra_terms, use_dictionary=settings.use_dictionary)
    passages: list[Passage] = []
    for c in clauses:
        for text in passage_texts(c, plans[c.plan_id].display_title):
            passages.append(Passage(len(passages), c.chunk_id, c.plan_id, text))
    sentences, sentence_texts = [], []
    for c in clauses:
        for a, b in sentence_spans(c.text):
            sentences.append({"chunk_id": c.chunk_id, "start": a, "end": b})
            sentence_texts.append(c.text[a:b])

    cache = {} if full else _vector_cache(settings, embedder)
    todo = [p for p in passages if p.key not in cache]
    todo_sentences = sorted({t for t in sentence_texts if text_key(t) not in cache})
    reused = sum(p.key in cache for p in passages) + sum(text_key(t) in cache for t in sentence_texts)
    progress(f"{len(passages)} passages and {len(sentences)} sentences from {len(clauses)} clauses of "
             f"{len(plans)} plans; embedding {len(todo) + len(todo_sentences)}, reusing {reused}")
    fresh = embedder.passages([p.text for p in todo] + todo_sentences,
                              show_progress=len(todo) + len(todo_sentences) > 0)
    cache.update({p.key: v for p, v in zip(todo, fresh)})
    cache.update({text_key(t): v for t, v in zip(todo_sentences, fresh[len(todo):])})
    vectors = _stack([cache[p.key] for p in passages], embedder.dim)
    kind = ann_kind(settings, len(passages))
    contents = _Contents(
        results=results, clauses=clauses, plans=plans, lexicon=lexicon, extra_terms=extra_terms, passages=passages,
        vectors=vectors, sentences=sentences,
        sentence_vectors=_stack([cache[text_key(t)] for t in sentence_texts], embedder.dim),
        bm25=BM25.from_tokens([lexicon.tokenize(p.text) for p in passages], lexicon.tokenize),
        dense=_faiss_index(vectors, kind, settings.threads), kind=kind, embedded=len(todo) + len(todo_sentences), reused=reused)

    def verify(folder: Path) -> None:
        index = SearchIndex.open(folder, settings)  # verified before it serves
        if settings.store == "milvus":  # filled before the swap: a build killed now leaves the old pair serving
            from ..store.milvus import write_collection

            write_collection(settings, index, progress)

    previous = _live_manifest(settings)
    with atomic_dir(settings.index_dir, verify) as tmp:
        manifest = _write_folder(tmp, settings, embedder, contents, started)
    if settings.store == "milvus":
        from ..store.milvus import collection_name, prune

        prune(settings, [collection_name(m) for m in (manifest, previous) if m], progress)
    return manifest


def _live_manifest(settings: Settings) -> dict[str, Any] | None:
    try:
        manifest = read_json(live_index_dir(settings) / MANIFEST)
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and "self_sha256" in manifest else None


def _write_folder(folder: Path, settings: Settings, embedder: TextEncoder, c: _Contents,
                  started: float) -> dict[str, Any]:
    import faiss

    write_jsonl(folder / "clauses.jsonl", (x.to_dict() for x in c.clauses))
    write_jsonl(folder / "passages.jsonl", (p.to_dict() for p in c.passages))
    write_json(folder / "plans.json", {k: m.to_dict() for k, m in c.plans.items()}, indent=1)
    write_json(folder / "lexicon.json", {"extra_terms": c.extra_terms}, indent=None)
    pairs = twins(c.clauses)
    write_json(folder / "twins.json", pairs, indent=None)
    np.save(folder / "vectors.npy", c.vectors)
    write_jsonl(folder / "sentences.jsonl", c.sentences)
    np.save(folder / "sentence_vectors.npy", c.sentence_vectors)
    terms = Terms.load()
    measures = extract_library(c.clauses, c.plans, terms, pairs)
    write_jsonl(folder / "measures.jsonl", (m.to_dict() for m in measures))
    faiss.write_index(c.dense, str(folder / "dense.faiss"))
    c.bm25.save(folder)
    files = {f.name: {"sha256": file_sha256(f), "bytes": f.stat().st_size} for f in sorted(folder.iterdir())}
    manifest = {
        "format": FORMAT,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "embedding": {"name": embedder.spec.name, "fingerprint": embedder.fingerprint, "dimension": embedder.dim,
                      "query_prefix": embedder.spec.query_prefix, "passage_prefix": embedder.spec.passage_prefix},
        "lexicon": {"checksum": c.lexicon.checksum, "dictionary": settings.use_dictionary,
                    "terms": len(c.lexicon.terms)},
        "dense": {"kind": c.kind, "metric": "inner_product"},
        "bm25": c.bm25.params,
        "corpus": {r.meta.plan_id: {"file": r.meta.file, "sha256": r.meta.sha256, "clauses": len(r.doc.clauses)}
                   for r in c.results},
        "counts": {"plans": len(c.plans), "clauses": len(c.clauses), "passages": len(c.passages),
                   "sentences": len(c.sentences), "measures": len(measures)},
        "measures": {"checksum": terms.checksum},
        "build": {"embedded": c.embedded, "reused": c.reused, "seconds": round(time.perf_counter() - started, 2)},
        "versions": versions(),
        "files": files,
    }
    manifest["self_sha256"] = manifest_digest(manifest)
    write_json(folder / MANIFEST, manifest)
    return manifest

