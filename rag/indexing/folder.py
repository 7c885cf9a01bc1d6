"""The on-disk search index: a folder of plain files plus a manifest that says how it was built.

<home>/search/
  manifest.json      model + fingerprint, dimension, dictionary checksum, corpus checksums, parameters,
                     versions, build time, the sha256 of every other file here, and (`self_sha256`) of
                     its own content: an edit anywhere in it is refused naming the manifest
  clauses.jsonl      the clauses this index answers with (a snapshot of the library)
  plans.json         the plans' metadata
  passages.jsonl     retrieval units: a clause, or a part of a long one, with its heading context
  vectors.npy        one L2-normalised vector per passage
  dense.faiss        FAISS inner-product index over the vectors (exact, or an HNSW graph for large libraries,
                     kept from build to build: rag/indexing/dense.py)
  bm25_*.npy/.json   BM25 weights over jieba tokens; bm25_tokens.npy + bm25_token_offsets.npy every passage's
                     tokens (as vocabulary rows), reused by the next build for unchanged passages
  lexicon.json       the quoted coinages added to the dictionary at build time
  twins.json         相关报道 paragraphs that repeat a plan clause -> that clause
  sentences.jsonl    every clause's sentences as [start, end) spans; sentence_vectors.npy their vectors,
                     used to pick the quote that answers a question
  measures.jsonl     every support measure, one per sentence, with its recipient, conditions, amount and
                     responsible unit as spans of the clause (rag/match/measures.py)

Loading verifies every file against the manifest and refuses a missing, corrupt or mismatched index with the
file's name and the command that rebuilds it.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexInvalidError
from ..files import file_sha256, read_json, read_jsonl, recover
from ..match.measures import SupportMeasure
from ..match.terms import Terms
from ..settings import Settings
from ..text.lexicon import Lexicon
from ..types import Clause, PlanMeta
from ..writer import is_held
from .bm25 import BM25
from .dense import check_rows
from .reads import NpyRows
from .tables import Clauses, Passages, Sentences, Span

FORMAT = 4  # 4: the manifest carries its own checksum
MANIFEST = "manifest.json"
REBUILD = "run `policyqa index` to rebuild it"

def rows_by_plan(plan_of: np.ndarray) -> Callable[[Sequence[str]], np.ndarray]:
    """plans -> the rows of `plan_of` (each passage's plan) that are theirs, ascending; every plan's rows found once,
    at the first ask."""
    found: dict[str, np.ndarray] = {}

    def rows(plans: Sequence[str]) -> np.ndarray:
        if not found:
            order = np.argsort(plan_of, kind="stable")
            ids, starts = np.unique(plan_of[order], return_index=True)
            bounds = [*starts, len(order)]
            found.update({str(p): np.sort(order[bounds[i]:bounds[i + 1]]) for i, p in enumerate(ids)})
        empty = np.zeros(0, np.int64)
        each = [found.get(p, empty) for p in dict.fromkeys(plans)]  # distinct plans: disjoint rows
        return each[0] if len(each) == 1 else np.sort(np.concatenate(each or [empty]))

    return rows


@dataclass
class SearchIndex:
    """A verified, loaded index folder. Retrieval reads it through rag/search; answers through `CorpusView`."""

    folder: Path
    manifest: dict[str, Any]
    clauses: Clauses  # read in place (rag/indexing/tables.py): rows decoded when asked for
    plans: dict[str, PlanMeta]
    passages: Passages
    vectors: NpyRows
    bm25: BM25
    dense: Any  # a faiss.Index
    twins: dict[str, str]
    lexicon: Lexicon
    sentences: Sentences
    sentence_vectors: NpyRows
    measures: list[SupportMeasure]
    terms: Terms  # the measure vocabulary the measures were read with (checksum verified)

    @property
    def plan_of_passage(self) -> np.ndarray:
        return self.passages.plan_of

    @cached_property
    def rows_of(self) -> Callable[[Sequence[str]], np.ndarray]:
        """plans -> their passage rows, ascending (the store's plan filter, one plan's own idf)."""
        return rows_by_plan(self.plan_of_passage)

    def clause(self, chunk_id: str) -> Clause | None:
        return self.clauses.get(chunk_id)

    def sentences_of(self, chunk_id: str) -> list[Span]:
        """(row in sentence_vectors, start, end) of each sentence of a clause."""
        return self.sentences.of(chunk_id)

    @classmethod
    def open(cls, folder: Path, settings: Settings) -> SearchIndex:
        """Load and verify; refuse a missing, corrupt or mismatched index with the file and the fix."""
        manifest = _verified_manifest(folder, settings)
        terms = Terms.load()  # a bad vocabulary file is its own error, not a corrupt index
        if terms.checksum != manifest["measures"]["checksum"]:
            raise IndexInvalidError(f"{folder / 'measures.jsonl'}: the measure vocabulary changed since the "
                                    f"index was built; {REBUILD}")
        try:
            extra = read_json(folder / "lexicon.json")["extra_terms"]
            lexicon = Lexicon(extra, use_dictionary=settings.use_dictionary)
            if lexicon.checksum != manifest["lexicon"]["checksum"]:
                raise IndexInvalidError(f"{folder / 'lexicon.json'}: the dictionary or stopwords changed since the "
                                        f"index was built; {REBUILD}")
            import faiss

            clauses = Clauses(folder / "clauses.jsonl")
            index = cls(
                folder=folder, manifest=manifest, clauses=clauses,
                plans={k: PlanMeta.from_dict(v) for k, v in read_json(folder / "plans.json").items()},
                passages=Passages(folder / "passages.jsonl", clauses),
                vectors=NpyRows(folder / "vectors.npy"),  # rows read when used
                bm25=BM25.load(folder, lexicon.tokenize),
                # mapped in place: the vectors (flat) or the codes and graph (HNSW) are pages of the file, not a copy
                dense=faiss.read_index(str(folder / "dense.faiss"), faiss.IO_FLAG_MMAP_IFC),
                twins=read_json(folder / "twins.json"),
                lexicon=lexicon,
                sentences=Sentences(folder / "sentences.jsonl", clauses),
                sentence_vectors=NpyRows(folder / "sentence_vectors.npy"),
                measures=[SupportMeasure.from_dict(d) for d in read_jsonl(folder / "measures.jsonl")],
                terms=terms,
            )
        except IndexInvalidError:
            raise
        except Exception as exc:  # a file that passed its checksum but does not parse: built by a bad build
            raise IndexInvalidError(f"{folder}: cannot load the index ({type(exc).__name__}: {exc}); {REBUILD}") from exc
        dim = manifest["embedding"]["dimension"]
        if index.vectors.shape != (len(index.passages), dim):
            raise IndexInvalidError(f"{folder / 'vectors.npy'}: {index.vectors.shape} vectors for "
                                    f"{len(index.passages)} passages; {REBUILD}")
        wrong = check_rows(index.dense, len(index.passages))
        if wrong:
            raise IndexInvalidError(f"{folder / 'dense.faiss'}: {wrong}; {REBUILD}")
        if index.sentence_vectors.shape != (len(index.sentences), dim):
            raise IndexInvalidError(f"{folder / 'sentence_vectors.npy'}: {index.sentence_vectors.shape} vectors for "
                                    f"{len(index.sentences)} sentences; {REBUILD}")
        return index


def _verified_manifest(folder: Path, settings: Settings) -> dict[str, Any]:
    """The manifest, after checking every file's checksum and the settings the index was built with."""
    manifest_path = folder / MANIFEST
    if not folder.is_dir() or not manifest_path.is_file():
        raise IndexInvalidError(f"no search index at {folder} ({MANIFEST} is missing); {REBUILD}")
    try:
        manifest = read_json(manifest_path)
        files = manifest["files"]
    except (ValueError, KeyError) as exc:
        raise IndexInvalidError(f"{manifest_path} is unreadable ({exc}); {REBUILD}") from exc
    if manifest.get("format") != FORMAT:
        raise IndexInvalidError(f"{manifest_path}: index format {manifest.get('format')}, this PolicyQA "
                                f"reads format {FORMAT}; {REBUILD}")
    if manifest.get("self_sha256") != manifest_digest(manifest):
        raise IndexInvalidError(f"{manifest_path} does not match its own checksum (edited or damaged); {REBUILD}")
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
    return manifest


def manifest_digest(manifest: dict[str, Any]) -> str:
    """sha256 of the manifest's content without its `self_sha256` (canonical JSON: sorted keys)."""
    content = {k: v for k, v in manifest.items() if k != "self_sha256"}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def corpus_drift(settings: Settings, manifest: dict[str, Any]) -> str | None:
    """How the corpus differs from what the index was built from (plans added, removed, changed, or their file
    missing), or None when it does not. An index served without its corpus folder is not checked."""
    corpus = settings.corpus
    if not corpus.is_dir():
        return None
    now: dict[str, str | None] = {}
    for path in sorted(corpus.glob("*.json")):
        try:
            entry = read_json(path)
        except (OSError, ValueError):
            continue
        if not (isinstance(entry, dict) and isinstance(entry.get("plan_id"), str) and isinstance(entry.get("file"), str)):
            continue
        source = corpus / entry["file"]
        try:
            now[entry["plan_id"]] = file_sha256(source)
        except OSError:
            now[entry["plan_id"]] = None
    built = {pid: info.get("sha256") for pid, info in manifest.get("corpus", {}).items()}
    if not now or now == built:
        return None
    kinds = (("added", sorted(set(now) - set(built))), ("removed", sorted(set(built) - set(now))),
             ("missing its file", sorted(pid for pid in now if now[pid] is None)),
             ("changed", sorted(pid for pid in set(now) & set(built) if now[pid] and now[pid] != built[pid])))
    what = "; ".join(f"{name}: {', '.join(ids)}" for name, ids in kinds if ids)
    return f"the index was built from another state of {corpus} ({what}); {REBUILD}"


def live_index_dir(settings: Settings) -> Path:
    """The live index folder, after undoing a swap that a crash interrupted — only when no writer is at work
    (a running build's swap looks the same for a moment, and is its own to finish)."""
    if settings.index_dir.exists() or is_held(settings.home):
        return settings.index_dir
    return recover(settings.index_dir)


def open_index(settings: Settings) -> SearchIndex:
    return SearchIndex.open(live_index_dir(settings), settings)
