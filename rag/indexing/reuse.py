"""What a build takes from the live index instead of computing it again: vectors of unchanged texts (same model),
BM25 tokens of unchanged passages (same dictionary), and the HNSW graph (same graph parameters)."""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from ..files import file_sha256, read_json, read_jsonl
from ..fingerprint import PROGRAM
from ..itempath import reported
from ..match.measures import SupportMeasure
from ..match.terms import Terms
from ..regions import Jurisdictions
from ..settings import Settings
from ..text.lexicon import Lexicon
from ..text.normalize import normalize_text
from ..types import Clause, PlanMeta
from . import dense as dense_index
from .bm25 import FILES as BM25_FILES
from .bm25 import TOKEN_FILES, Tokens
from .embedding import TextEncoder
from .folder import FORMAT, MANIFEST, live_index_dir
from .passages import Passage, text_key

_VECTOR_FORMATS = (3, FORMAT)  # index formats whose vector files are laid out as this one's (3: before self_sha256)
_VECTOR_FILES = ("clauses.jsonl", "passages.jsonl", "vectors.npy", "sentences.jsonl", "sentence_vectors.npy")


def _verified(folder: Path, manifest: dict[str, Any], names: Iterable[str]) -> bool:
    """These files of an index folder are as its manifest says."""
    try:
        return all(file_sha256(folder / name) == manifest["files"][name]["sha256"] for name in names)
    except (OSError, KeyError):
        return False


def _repeated(chunk_ids: Iterable[str]) -> frozenset[str]:
    """The chunk ids that occur more than once (the same text at the same path of one plan)."""
    return frozenset(cid for cid, n in Counter(chunk_ids).items() if n > 1)


Match = tuple[np.ndarray, list[int]]  # dense.match_rows: old row -> new row (or TOMBSTONE), the new rows added


@dataclass
class Previous:
    """What a build takes from the live index when the same model built it."""

    folder: Path
    cache: dict[str, np.ndarray]  # text_key -> vector of every passage and sentence
    keys: list[str]  # text_key of each passage row
    manifest: dict[str, Any]
    clauses: dict[str, dict[str, Any]]  # chunk id -> the clause as stored
    repeated: frozenset[str]  # chunk ids two clauses share (the same text at the same path of one plan)

    def match(self, passages: list[Passage]) -> Match:
        """Its passage rows matched to these passages by text (computed once per build: the tokens and the graph
        both follow it)."""
        return dense_index.match_rows(self.keys, [p.key for p in passages])

    def verified(self, *names: str) -> bool:
        """These files of the live index are as its manifest says."""
        return _verified(self.folder, self.manifest, names)

    def tokens(self, lexicon: Lexicon) -> tuple[Tokens, frozenset[str]] | None:
        """Its passages' BM25 tokens and the coinages its dictionary and this one do not share, when the same program
        (its tokenizer, jieba, OpenCC: rag/fingerprint.py) cut them, the dictionaries differ in nothing else (the
        program's terms, stopwords, the dictionary on or off) and its files are as the manifest says."""
        try:
            if self.manifest.get("program") != PROGRAM or not self.verified(*TOKEN_FILES, BM25_FILES[3], "lexicon.json"):
                return None
            old = Lexicon(read_json(self.folder / "lexicon.json")["extra_terms"], use_dictionary=lexicon.use_dictionary)
            if old.checksum != self.manifest["lexicon"]["checksum"]:
                return None
            tokens = Tokens.load(self.folder)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return (tokens, old.coinages() ^ lexicon.coinages()) if len(tokens) == len(self.keys) else None

    @classmethod
    def of_live(cls, settings: Settings, embedder: TextEncoder) -> "Previous | None":
        """The live index's vectors by text and its passages' texts by row, when built by the same model.

        A vector depends only on its text and the model, so only the files holding texts and vectors are read (each
        checked against the manifest): an index built with another dictionary or vocabulary still lends its vectors."""
        folder = live_index_dir(settings)
        try:
            manifest = read_json(folder / MANIFEST)
            if manifest.get("format") not in _VECTOR_FORMATS or manifest["embedding"]["fingerprint"] != embedder.fingerprint:
                return None
            if not _verified(folder, manifest, _VECTOR_FILES):
                return None
            rows = read_jsonl(folder / "clauses.jsonl")
            clauses = {c["chunk_id"]: c for c in rows}
            passages = read_jsonl(folder / "passages.jsonl")
            vectors = np.load(folder / "vectors.npy")
            sentences = read_jsonl(folder / "sentences.jsonl")
            sentence_vectors = np.load(folder / "sentence_vectors.npy")
        except (OSError, ValueError, KeyError):
            return None
        if len(vectors) != len(passages) or len(sentence_vectors) != len(sentences):
            return None
        keys = [text_key(p["text"]) for p in passages]
        cache = dict(zip(keys, vectors))
        for row, s in enumerate(sentences):
            cache[text_key(clauses[s["chunk_id"]]["text"][s["start"]:s["end"]])] = sentence_vectors[row]
        return cls(folder, cache, keys, manifest, clauses, _repeated(c["chunk_id"] for c in rows))


def reuse_tokens(previous: Previous | None, match: Match | None, passages: list[Passage],
                 lexicon: Lexicon) -> tuple[Tokens, int]:
    """Every passage's BM25 tokens: an unchanged passage's from the live index when the dictionary cut it the same
    way — the same dictionary but for coinages the passage does not hold (rag/text/lexicon.py: a coinage changes
    only the texts holding it) — the rest tokenized now. Returns them and how many passages were tokenized."""
    kept = previous.tokens(lexicon) if previous is not None else None
    if match is None or kept is None:
        return Tokens.of([lexicon.tokenize(p.text) for p in passages]), len(passages)
    old, changed = kept
    moved, _ = match
    source = np.full(len(passages), -1, np.int64)
    rows = np.flatnonzero(moved >= 0)
    source[moved[rows]] = rows
    if changed:
        holds = re.compile("|".join(re.escape(t) for t in sorted(changed, key=len, reverse=True)))
        for row in np.flatnonzero(source >= 0):
            if holds.search(normalize_text(passages[row].text)):
                source[row] = -1
    tokens = Tokens.reusing(old, source, lambda row: lexicon.tokenize(passages[row].text))
    return tokens, int(np.count_nonzero(source < 0))


def reuse_dense(settings: Settings, previous: Previous | None, match: Match | None, vectors: np.ndarray,
                kind: str) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """The FAISS index for these passages' vectors, what the manifest says of it (`dense`) and how it was made
    (for `build`): the live index's HNSW graph extended when it can be kept (same model, same graph parameters,
    its file as the manifest says, few tombstones, and its 8-bit codes trained on at least 1/`RETRAIN_GROWTH` of
    the passages), else a new one."""
    shape = dense_index.params(kind)
    if kind == "hnsw" and previous is not None and match is not None:
        old = previous.manifest.get("dense", {})
        trained = int(old.get("trained_on", 0))
        kept = None
        if {k: old.get(k) for k in shape} == shape and len(vectors) <= dense_index.RETRAIN_GROWTH * trained \
                and previous.verified("dense.faiss"):
            kept = dense_index.extend(previous.folder / "dense.faiss", *match, vectors, settings.threads)
        if kept is not None:
            index, ext = kept
            return index, {**shape, "trained_on": trained}, {"graph": "extended", "kept": ext.kept, "added": ext.added,
                                                              "retired": ext.retired, "tombstones": ext.tombstones}
    index = dense_index.build(vectors, kind, settings.threads)
    if kind != "hnsw":
        return index, shape, {}
    return index, {**shape, "trained_on": len(vectors)}, {"graph": "built", "tombstones": 0}


def measures_key(terms: Terms, juris: Jurisdictions) -> dict[str, Any]:
    """What support measures depend on beyond their clause and its plan's region (the manifest's `measures`): the
    measure vocabulary, the program, the provinces whose districts are loaded, and — for news paragraphs and
    transcripts' words (`itempath.reported`), whose sentences are placed by the places they name — the places by pinyin
    (`Jurisdictions.english`)."""
    places = json.dumps(sorted(juris.english.items()), ensure_ascii=False)
    return {"checksum": terms.checksum, "program": PROGRAM, "provinces": list(juris.provinces),
            "news_places": hashlib.sha256(places.encode()).hexdigest()[:16]}


class KeptMeasures:
    """A clause's support measures from the live index when nothing they depend on changed — the same clause
    (once in both libraries), its plan's region, whether it repeats a plan clause, and the manifest's `measures`
    key — else None. `count`: the clauses answered so."""

    def __init__(self, previous: Previous | None, plans: dict[str, PlanMeta], key: dict[str, Any],
                 twins: dict[str, str], clauses: list[Clause]):
        self.count = 0
        self.twins = twins
        self.now = {pid: meta.to_dict().get("region") for pid, meta in plans.items()}
        self.repeated = _repeated(c.chunk_id for c in clauses)
        self.previous: Previous | None = None
        earlier = previous.manifest.get("measures", {}) if previous is not None else {}
        if previous is None or {k: v for k, v in earlier.items() if k != "news_places"} != \
                {k: v for k, v in key.items() if k != "news_places"} \
                or not previous.verified("measures.jsonl", "plans.json", "twins.json"):
            return
        self.news = earlier.get("news_places") == key["news_places"]
        try:
            self.regions = {pid: meta.get("region") for pid, meta in read_json(previous.folder / "plans.json").items()}
            self.old_twins = read_json(previous.folder / "twins.json")
            self.earlier: dict[str, list[dict[str, Any]]] = {}
            for row in read_jsonl(previous.folder / "measures.jsonl"):
                self.earlier.setdefault(row["chunk_id"], []).append(row)
        except (OSError, ValueError, KeyError):
            return
        self.previous = previous

    def __call__(self, clause: Clause) -> list[SupportMeasure] | None:
        if self.previous is None:
            return None
        cid = clause.chunk_id
        if self.previous.clauses.get(cid) != clause.to_dict() or (cid in self.old_twins) != (cid in self.twins) \
                or clause.plan_id not in self.regions or self.regions[clause.plan_id] != self.now[clause.plan_id] \
                or cid in self.repeated or cid in self.previous.repeated \
                or (reported(clause) and not self.news):
            return None
        self.count += 1
        return [SupportMeasure.from_dict(row) for row in self.earlier.get(cid, [])]
