"""The on-disk search index: a folder of plain files plus a manifest that says how it was built.

<home>/search/
  manifest.json      model + fingerprint, dimension, dictionary checksum, corpus checksums, parameters,
                     versions, build time, and the sha256 of every other file here
  clauses.jsonl      the clauses this index answers with (a snapshot of the library)
  plans.json         the plans' metadata
  passages.jsonl     retrieval units: a clause, or a part of a long one, with its heading context
  vectors.npy        one L2-normalised vector per passage
  dense.faiss        FAISS inner-product index over the vectors (exact, or HNSW for large libraries)
  bm25_*.npy/.json   BM25 weights over jieba tokens
  lexicon.json       the quoted coinages added to the dictionary at build time
  twins.json         相关报道 paragraphs that repeat a plan clause -> that clause
  sentences.jsonl    every clause's sentences as [start, end) spans; sentence_vectors.npy their vectors,
                     used to pick the quote that answers a question
  measures.jsonl     support tags of every clause that grants or promises support (rag/tags.py)

Builds are incremental (a passage whose text and model are unchanged keeps its vector) and atomic (written
beside the live index, verified, then swapped in), so a crash or a bad document leaves the old index serving.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from . import __version__
from .bm25 import BM25
from .checksum import file_sha256
from .errors import NotBuiltError, PolicyQAError
from .lexicon import Lexicon, quoted_coinages
from .library import IngestResult, Library
from .sentences import sentence_spans
from .settings import Settings
from .tags import ClauseTags, Vocabulary, tag_clauses
from .types import Clause, PlanMeta

FORMAT = 2
MANIFEST = "manifest.json"
MAX_PASSAGE_CHARS = 400  # well under the model's 512 tokens for Chinese text
_SENTENCE = re.compile(r"(?<=[。!?;])")
REBUILD = "run `policyqa index` to rebuild it"


class IndexBuildError(PolicyQAError):
    """The build stopped; the previous index (if any) is untouched and still serves."""


class IndexInvalidError(NotBuiltError):
    """The index on disk is missing, corrupt or built for other settings; the message names the file."""


def text_key(text: str) -> str:
    """What identifies a text's vector in the embedding cache (incremental builds)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Passage:
    pid: int
    chunk_id: str
    plan_id: str
    text: str  # what BM25 and the embedding model see

    @property
    def key(self) -> str:
        return text_key(self.text)


def _split_long(text: str, limit: int = MAX_PASSAGE_CHARS) -> list[str]:
    """Cut a long clause at sentence ends into parts of at most `limit` characters (a longer sentence stays whole)."""
    if len(text) <= limit:
        return [text]
    parts, current = [], ""
    for sentence in filter(None, _SENTENCE.split(text)):
        if current and len(current) + len(sentence) > limit:
            parts.append(current)
            current = ""
        current += sentence
    if current:
        parts.append(current)
    return parts


# Words people use when they ask what a zone holds (its facts are rarely named in its own text).
ZONE_WORDS = {"印发通知": "印发通知 文号 发文字号 印发机关 印发日期 发布时间",
              "相关报道": "相关报道 新闻 发布 印发",
              "前言": "前言 目的 依据"}


def passage_texts(clause: Clause, plan_title: str) -> list[str]:
    """The retrieval text of a clause: its plan and headings, then (a part of) its text."""
    heading = " ".join(t for t in (*clause.parents, clause.item_title) if t and t not in ("前言", "印发通知"))
    head = f"《{plan_title}》{ZONE_WORDS.get(clause.item_path, '')} {heading}".strip()
    return [f"{head}\n{part}" for part in _split_long(clause.text)]


def _twins(clauses: list[Clause]) -> dict[str, str]:
    """相关报道 paragraphs whose text is mostly a plan clause of the same plan -> that clause's chunk_id."""
    def grams(text: str) -> set[str]:
        text = re.sub(r"\s+", "", text)
        return {text[i:i + 2] for i in range(len(text) - 1)}

    body = [c for c in clauses if c.kind not in ("news", "notice")]
    out = {}
    for news in (c for c in clauses if c.kind == "news"):
        g = grams(news.text)
        if len(g) < 10:
            continue
        best = max(((len(g & grams(c.text)) / len(g), c) for c in body if c.plan_id == news.plan_id),
                   key=lambda x: x[0], default=(0.0, None))
        if best[1] is not None and best[0] >= 0.6:
            out[news.chunk_id] = best[1].chunk_id
    return out


def support_tags(clauses: list[Clause], plans: dict[str, PlanMeta], vocabulary: Vocabulary,
                 twins: dict[str, str]) -> list[ClauseTags]:
    """Tag the support clauses, each with its plan's region (full name), or for a news paragraph the places it
    names inside that region (a local policy it reports)."""
    from .regions import Jurisdictions

    juris = Jurisdictions(plans.values())
    gaz = juris.gazetteer
    regions = {pid: [{"code": place.code, "name": gaz.full_name(place)}] for pid, place in juris.plan_place.items()}

    def sub_places(plan_id: str, text: str) -> list[dict]:
        own = juris.plan_place.get(plan_id)
        if own is None:
            return []
        inside = [p for p in juris.places_in(text) if own.code in p.parents]
        return [{"code": p.code, "name": gaz.full_name(p)} for p in inside]

    return tag_clauses(clauses, vocabulary, regions, sub_places, twins)


def versions() -> dict[str, str]:
    import faiss
    import jieba
    import sentence_transformers
    import torch

    return {"policyqa": __version__, "faiss": faiss.__version__, "jieba": jieba.__version__,
            "sentence_transformers": sentence_transformers.__version__, "torch": torch.__version__}


def ann_kind(settings: Settings, n_passages: int) -> str:
    if settings.ann != "auto":
        return settings.ann
    return "flat" if n_passages <= settings.exact_limit else "hnsw"


def _faiss_index(vectors: np.ndarray, kind: str):
    import faiss

    dim = vectors.shape[1]
    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 200
    else:
        index = faiss.IndexFlatIP(dim)
    index.add(vectors)
    return index


class SearchIndex:
    """A verified, loaded index folder. Retrieval code uses it through `retriever.py`."""

    def __init__(self, folder: Path, manifest: dict, clauses: list[Clause], plans: dict[str, PlanMeta],
                 passages: list[Passage], vectors: np.ndarray, bm25: BM25, dense, twins: dict[str, str],
                 lexicon: Lexicon, sentences: list[dict], sentence_vectors: np.ndarray,
                 measures: list[ClauseTags], vocabulary: Vocabulary):
        self.folder = folder
        self.measures = measures
        self.vocabulary = vocabulary  # the support vocabulary the tags were made with (checksum verified)
        self.manifest = manifest
        self.clauses = clauses
        self.by_id = {c.chunk_id: c for c in clauses}
        self.plans = plans
        self.passages = passages
        self.vectors = vectors
        self.bm25 = bm25
        self.dense = dense
        self.twins = twins
        self.lexicon = lexicon
        self.plan_of_passage = np.array([p.plan_id for p in passages])
        self.sentence_vectors = sentence_vectors
        self.sentences_of: dict[str, list[tuple[int, int, int]]] = {}  # chunk_id -> (row, start, end)
        for row, s in enumerate(sentences):
            self.sentences_of.setdefault(s["chunk_id"], []).append((row, s["start"], s["end"]))

    @classmethod
    def open(cls, folder: Path, settings: Settings) -> "SearchIndex":
        """Load and verify; refuse a missing, corrupt or mismatched index with the file and the fix."""
        manifest_path = folder / MANIFEST
        if not folder.is_dir() or not manifest_path.is_file():
            raise IndexInvalidError(f"no search index at {folder} ({MANIFEST} is missing); {REBUILD}")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            files = manifest["files"]
        except (ValueError, KeyError) as exc:
            raise IndexInvalidError(f"{manifest_path} is unreadable ({exc}); {REBUILD}") from exc
        if manifest.get("format") != FORMAT:
            raise IndexInvalidError(f"{manifest_path}: index format {manifest.get('format')}, this PolicyQA "
                                    f"reads format {FORMAT}; {REBUILD}")
        for name, info in files.items():
            path = folder / name
            if not path.is_file():
                raise IndexInvalidError(f"{path} is missing; {REBUILD}")
            if path.stat().st_size != info["bytes"] or file_sha256(path) != info["sha256"]:
                raise IndexInvalidError(f"{path} does not match its checksum in {MANIFEST} (corrupt or "
                                        f"edited); {REBUILD}")
        if manifest["lexicon"]["dictionary"] != settings.use_dictionary:
            raise IndexInvalidError(f"{manifest_path}: built {'with' if manifest['lexicon']['dictionary'] else 'without'}"
                                    f" the policy dictionary, but POLICYQA_DICTIONARY says otherwise; {REBUILD}")
        if manifest["embedding"]["name"] != settings.embedding_model:
            raise IndexInvalidError(f"{manifest_path}: built with {manifest['embedding']['name']}, settings ask for "
                                    f"{settings.embedding_model}; {REBUILD}")
        try:
            extra = json.loads((folder / "lexicon.json").read_text(encoding="utf-8"))["extra_terms"]
            lexicon = Lexicon(extra, use_dictionary=settings.use_dictionary)
            if lexicon.checksum != manifest["lexicon"]["checksum"]:
                raise IndexInvalidError(f"{folder / 'lexicon.json'}: the dictionary or stopwords changed since the "
                                        f"index was built; {REBUILD}")
            clauses = [Clause.from_dict(json.loads(line))
                       for line in (folder / "clauses.jsonl").read_text(encoding="utf-8").splitlines() if line]
            plans = {k: PlanMeta.from_dict(v)
                     for k, v in json.loads((folder / "plans.json").read_text(encoding="utf-8")).items()}
            passages = [Passage(**json.loads(line))
                        for line in (folder / "passages.jsonl").read_text(encoding="utf-8").splitlines() if line]
            vectors = np.load(folder / "vectors.npy")
            bm25 = BM25.load(folder, lexicon.tokenize)
            import faiss

            dense = faiss.read_index(str(folder / "dense.faiss"))
            twins = json.loads((folder / "twins.json").read_text(encoding="utf-8"))
            sentences = [json.loads(line) for line in
                         (folder / "sentences.jsonl").read_text(encoding="utf-8").splitlines() if line]
            sentence_vectors = np.load(folder / "sentence_vectors.npy")
            vocabulary = Vocabulary.load()
            if vocabulary.checksum != manifest["tags"]["checksum"]:
                raise IndexInvalidError(f"{folder / 'measures.jsonl'}: the support vocabulary changed since the "
                                        f"index was built; {REBUILD}")
            measures = [ClauseTags.from_dict(json.loads(line)) for line in
                        (folder / "measures.jsonl").read_text(encoding="utf-8").splitlines() if line]
        except IndexInvalidError:
            raise
        except Exception as exc:  # a file that passed its checksum but does not parse: built by a bad build
            raise IndexInvalidError(f"{folder}: cannot load the index ({type(exc).__name__}: {exc}); {REBUILD}") from exc
        if vectors.shape != (len(passages), manifest["embedding"]["dimension"]) or dense.ntotal != len(passages):
            raise IndexInvalidError(f"{folder / 'vectors.npy'}: {vectors.shape} vectors for {len(passages)} passages; "
                                    f"{REBUILD}")
        if sentence_vectors.shape != (len(sentences), manifest["embedding"]["dimension"]):
            raise IndexInvalidError(f"{folder / 'sentence_vectors.npy'}: {sentence_vectors.shape} vectors for "
                                    f"{len(sentences)} sentences; {REBUILD}")
        return cls(folder, manifest, clauses, plans, passages, vectors, bm25, dense, twins, lexicon, sentences,
                   sentence_vectors, measures, vocabulary)


def live_index_dir(settings: Settings) -> Path:
    """The live index folder, after undoing a swap that a crash interrupted."""
    live, old = settings.index_dir, settings.index_dir.with_name(settings.index_dir.name + ".old")
    if not live.exists() and old.exists():
        old.rename(live)
    return live


def build_index(settings: Settings, embedder, progress: Callable[[str], None] = print,
                full: bool = False) -> dict:
    """Parse the corpus and (re)build the index atomically. Returns the new manifest."""
    started = time.perf_counter()
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
        library._store(result)

    clauses = [c for r in results for c in r.doc.clauses]
    plans = {r.meta.plan_id: r.meta for r in results}
    extra_terms = quoted_coinages(c.text for c in clauses) if settings.use_dictionary else []
    lexicon = Lexicon(extra_terms, use_dictionary=settings.use_dictionary)
    passages: list[Passage] = []
    for c in clauses:
        for text in passage_texts(c, plans[c.plan_id].title or c.plan_id):
            passages.append(Passage(len(passages), c.chunk_id, c.plan_id, text))

    sentences, sentence_texts = [], []
    for c in clauses:
        for a, b in sentence_spans(c.text):
            sentences.append({"chunk_id": c.chunk_id, "start": a, "end": b})
            sentence_texts.append(c.text[a:b])

    cache: dict[str, np.ndarray] = {}
    live = live_index_dir(settings)
    if not full:
        try:
            old = SearchIndex.open(live, settings)
            if old.manifest["embedding"]["fingerprint"] == embedder.fingerprint:
                cache = {p.key: old.vectors[p.pid] for p in old.passages}
                for cid, spans in old.sentences_of.items():
                    text = old.by_id[cid].text
                    for row, a, b in spans:
                        cache[text_key(text[a:b])] = old.sentence_vectors[row]
        except NotBuiltError:
            cache = {}
    todo = [p for p in passages if p.key not in cache]
    todo_sentences = sorted({t for t in sentence_texts if text_key(t) not in cache})
    reused = sum(p.key in cache for p in passages) + sum(text_key(t) in cache for t in sentence_texts)
    progress(f"{len(passages)} passages and {len(sentences)} sentences from {len(clauses)} clauses of "
             f"{len(plans)} plans; embedding {len(todo) + len(todo_sentences)}, reusing {reused}")
    fresh = embedder.passages([p.text for p in todo] + todo_sentences,
                              show_progress=len(todo) + len(todo_sentences) > 0)
    cache.update({p.key: v for p, v in zip(todo, fresh)})
    cache.update({text_key(t): v for t, v in zip(todo_sentences, fresh[len(todo):])})
    vectors = np.stack([cache[p.key] for p in passages]).astype(np.float32) if passages else \
        np.zeros((0, embedder.dim), np.float32)
    sentence_vectors = np.stack([cache[text_key(t)] for t in sentence_texts]).astype(np.float32) if sentences else \
        np.zeros((0, embedder.dim), np.float32)

    bm25 = BM25.from_tokens([lexicon.tokenize(p.text) for p in passages], lexicon.tokenize)
    kind = ann_kind(settings, len(passages))
    dense = _faiss_index(vectors, kind)

    settings.home.mkdir(parents=True, exist_ok=True)
    for stale in settings.home.glob(".search-*"):  # left by a build that was killed
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=".search-", dir=settings.home))
    try:
        _write_folder(tmp, settings, embedder, lexicon, extra_terms, clauses, plans, passages, vectors, bm25,
                      dense, kind, results, (len(todo) + len(todo_sentences), reused), started, sentences,
                      sentence_vectors)
        manifest = SearchIndex.open(tmp, settings).manifest  # verify before it serves
        old = live.with_name(live.name + ".old")
        if old.exists():
            shutil.rmtree(old)
        if live.exists():
            live.rename(old)
        tmp.rename(live)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return manifest


def _write_folder(folder: Path, settings: Settings, embedder, lexicon: Lexicon, extra_terms: list[str],
                  clauses: list[Clause], plans: dict[str, PlanMeta], passages: list[Passage], vectors: np.ndarray,
                  bm25: BM25, dense, kind: str, results: list[IngestResult], counts: tuple[int, int], started: float,
                  sentences: list[dict], sentence_vectors: np.ndarray) -> None:
    import faiss

    def jsonl(name: str, rows) -> None:
        with (folder / name).open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")

    jsonl("clauses.jsonl", (c.to_dict() for c in clauses))
    jsonl("passages.jsonl", ({"pid": p.pid, "chunk_id": p.chunk_id, "plan_id": p.plan_id, "text": p.text}
                             for p in passages))
    (folder / "plans.json").write_text(json.dumps({k: m.to_dict() for k, m in plans.items()}, ensure_ascii=False,
                                                  indent=1), encoding="utf-8")
    (folder / "lexicon.json").write_text(json.dumps({"extra_terms": extra_terms}, ensure_ascii=False),
                                         encoding="utf-8")
    twins = _twins(clauses)
    (folder / "twins.json").write_text(json.dumps(twins, ensure_ascii=False), encoding="utf-8")
    np.save(folder / "vectors.npy", vectors)
    jsonl("sentences.jsonl", sentences)
    np.save(folder / "sentence_vectors.npy", sentence_vectors)
    vocabulary = Vocabulary.load()
    measures = support_tags(clauses, plans, vocabulary, twins)
    jsonl("measures.jsonl", (m.to_dict() for m in measures))
    faiss.write_index(dense, str(folder / "dense.faiss"))
    bm25.save(folder)
    files = {f.name: {"sha256": file_sha256(f), "bytes": f.stat().st_size} for f in sorted(folder.iterdir())}
    manifest = {
        "format": FORMAT,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "embedding": {"name": embedder.spec.name, "fingerprint": embedder.fingerprint, "dimension": embedder.dim,
                      "query_prefix": embedder.spec.query_prefix, "passage_prefix": embedder.spec.passage_prefix},
        "lexicon": {"checksum": lexicon.checksum, "dictionary": settings.use_dictionary,
                    "terms": len(lexicon.terms)},
        "dense": {"kind": kind, "metric": "inner_product"},
        "bm25": bm25.params,
        "corpus": {r.meta.plan_id: {"file": r.meta.file, "sha256": r.meta.sha256, "clauses": len(r.doc.clauses)}
                   for r in results},
        "counts": {"plans": len(plans), "clauses": len(clauses), "passages": len(passages),
                   "sentences": len(sentences), "support_clauses": len(measures)},
        "tags": {"checksum": vocabulary.checksum},
        "build": {"embedded": counts[0], "reused": counts[1],
                  "seconds": round(time.perf_counter() - started, 2)},
        "versions": versions(),
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
