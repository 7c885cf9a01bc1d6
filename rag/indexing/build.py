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
from ..files import atomic_dir, file_sha256, read_json, write_json, write_jsonl
from ..fingerprint import PROGRAM
from ..ingest.library import IngestResult, Library
from ..match.measures import extract_library
from ..match.terms import Terms
from ..regions import Jurisdictions
from ..settings import Settings
from ..text.lexicon import Lexicon, quoted_coinages
from ..text.sentences import sentence_spans
from ..types import Clause, PlanMeta
from ..writer import one_writer
from .bm25 import BM25
from .embedding import TextEncoder
from .folder import FORMAT, MANIFEST, SearchIndex, live_index_dir, manifest_digest
from .passages import Passage, passage_texts, text_key, twins
from .reuse import KeptMeasures, Previous, measures_key, reuse_dense, reuse_tokens

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


@dataclass
class _Contents:
    """Everything one index folder holds, before it is written."""

    parsed: list[tuple[PlanMeta, list[Clause]]]
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
    embedded: int
    reused: int
    steps: dict[str, Any]  # passages tokenized; how the HNSW graph was made (built, or kept and extended)
    previous: Previous | None
    dense_meta: dict[str, Any]  # the manifest's `dense`


def _parse_corpus(settings: Settings, progress: Progress,
                  full: bool = False) -> tuple[list[tuple[PlanMeta, list[Clause]]], int]:
    """Every plan's metadata and clauses: a plan whose file, manifest and program are those of its stored parse
    is taken from the library as it is (unless `full`); the others are parsed, and stored once all of them parsed.
    Returns them and how many were parsed."""
    library = Library(settings)
    plans: list[tuple[PlanMeta, list[Clause]]] = []
    parsed: list[tuple[IngestResult, str | None]] = []
    failures = []
    for manifest in library.manifests():
        path = settings.corpus / manifest["file"]
        key = library.parse_key(path, manifest)
        kept = None if full else library.stored(manifest["plan_id"], key)
        if kept is not None:
            plans.append(kept)
            continue
        try:
            result = library.parse(path, manifest["plan_id"], manifest)
        except PolicyQAError as exc:
            failures.append(str(exc))
            continue
        parsed.append((result, key))
        plans.append((result.meta, result.doc.clauses))
    if failures:
        raise IndexBuildError("not building: " + "; ".join(failures) + " (the previous index still serves)")
    if not plans:
        raise IndexBuildError(f"no plans in {settings.corpus}; add one with `policyqa ingest FILE`")
    for result, key in parsed:
        library.store(result, key)
    if len(parsed) < len(plans):
        progress(f"parsed {len(parsed)} plans, {len(plans) - len(parsed)} unchanged since they were stored")
    return plans, len(parsed)


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
    parsed, n_parsed = _parse_corpus(settings, progress, full)
    clauses = [c for _, of_plan in parsed for c in of_plan]
    plans = {meta.plan_id: meta for meta, _ in parsed}
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

    previous = None if full else Previous.of_live(settings, embedder)
    cache = previous.cache if previous else {}
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
    match = previous.match(passages) if previous is not None else None
    tokens, tokenized = reuse_tokens(previous, match, passages, lexicon)
    if tokenized < len(passages):
        progress(f"BM25: {tokenized} passages tokenized, {len(passages) - tokenized} reused")
    kind = ann_kind(settings, len(passages))
    dense, dense_meta, graph = reuse_dense(settings, previous, match, vectors, kind)
    if graph.get("graph") == "extended":
        progress(f"HNSW graph kept: {graph['kept']} passages kept, {graph['added']} added, {graph['retired']} "
                 f"retired ({graph['tombstones']} tombstones)")
    contents = _Contents(
        parsed=parsed, clauses=clauses, plans=plans, lexicon=lexicon, extra_terms=extra_terms, passages=passages,
        vectors=vectors, sentences=sentences,
        sentence_vectors=_stack([cache[text_key(t)] for t in sentence_texts], embedder.dim),
        bm25=BM25.from_ids(tokens, lexicon.tokenize),
        dense=dense, embedded=len(todo) + len(todo_sentences), reused=reused,
        steps={"parsed": n_parsed, "tokenized": tokenized, **graph}, previous=previous, dense_meta=dense_meta)

    def verify(folder: Path) -> None:
        index = SearchIndex.open(folder, settings)  # verified before it serves
        if settings.store == "milvus":  # filled before the swap: a build killed now leaves the old pair serving
            from ..store.milvus import write_collection

            write_collection(settings, index, progress)

    live = _live_manifest(settings)
    with atomic_dir(settings.index_dir, verify) as tmp:
        manifest = _write_folder(tmp, settings, embedder, contents, started)
    if settings.store == "milvus":
        from ..store.milvus import collection_name, prune

        prune(settings, [collection_name(m) for m in (manifest, live) if m], progress)
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
    key = measures_key(terms, Jurisdictions(c.plans.values()))
    kept = KeptMeasures(c.previous, c.plans, key, pairs, c.clauses)
    measures = extract_library(c.clauses, c.plans, terms, pairs, kept)
    write_jsonl(folder / "measures.jsonl", (m.to_dict() for m in measures))
    faiss.write_index(c.dense, str(folder / "dense.faiss"))
    c.bm25.save(folder)
    files = {f.name: {"sha256": file_sha256(f), "bytes": f.stat().st_size} for f in sorted(folder.iterdir())}
    manifest = {
        "format": FORMAT,
        "program": PROGRAM,  # rag/fingerprint.py: what the next build may reuse of this one
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "embedding": {"name": embedder.spec.name, "fingerprint": embedder.fingerprint, "dimension": embedder.dim,
                      "query_prefix": embedder.spec.query_prefix, "passage_prefix": embedder.spec.passage_prefix},
        "lexicon": {"checksum": c.lexicon.checksum, "dictionary": settings.use_dictionary,
                    "terms": len(c.lexicon.terms)},
        "dense": c.dense_meta,
        "bm25": c.bm25.params,
        "corpus": {meta.plan_id: {"file": meta.file, "sha256": meta.sha256, "clauses": len(of_plan)}
                   for meta, of_plan in c.parsed},
        "counts": {"plans": len(c.plans), "clauses": len(c.clauses), "passages": len(c.passages),
                   "sentences": len(c.sentences), "measures": len(measures)},
        "measures": key,
        "build": {"embedded": c.embedded, "reused": c.reused, **c.steps, "measures_kept_clauses": kept.count,
                  "seconds": round(time.perf_counter() - started, 2)},
        "versions": versions(),
        "files": files,
    }
    manifest["self_sha256"] = manifest_digest(manifest)
    write_json(folder / MANIFEST, manifest)
    return manifest

