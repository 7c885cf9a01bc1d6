"""What a build takes from the live index instead of computing it again: vectors of unchanged texts (same model),
BM25 tokens of unchanged passages (same dictionary), and the HNSW graph (same graph parameters)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..files import file_sha256, read_json, read_jsonl
from ..settings import Settings
from ..text.lexicon import Lexicon
from . import dense as dense_index
from .bm25 import FILES as BM25_FILES
from .bm25 import TOKEN_FILES, Tokens
from .embedding import TextEncoder
from .folder import FORMAT, MANIFEST, live_index_dir
from .passages import Passage, text_key

_VECTOR_FORMATS = (3, FORMAT)  # index formats whose vector files are laid out as this one's (3: before self_sha256)
_VECTOR_FILES = ("clauses.jsonl", "passages.jsonl", "vectors.npy", "sentences.jsonl", "sentence_vectors.npy")


@dataclass
class Previous:
    """What a build takes from the live index when the same model built it."""

    cache: dict[str, np.ndarray]  # text_key -> vector of every passage and sentence
    keys: list[str]  # text_key of each passage row
    manifest: dict[str, Any]

    def tokens(self, folder: Path, lexicon: Lexicon) -> Tokens | None:
        """Its passages' BM25 tokens, when they were cut by this dictionary and stopwords and its files are as the
        manifest says."""
        try:
            if self.manifest["lexicon"]["checksum"] != lexicon.checksum:
                return None
            for name in (*TOKEN_FILES, BM25_FILES[3]):
                if file_sha256(folder / name) != self.manifest["files"][name]["sha256"]:
                    return None
            tokens = Tokens.load(folder)
        except (OSError, ValueError, KeyError):
            return None
        return tokens if len(tokens) == len(self.keys) else None

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
            for name in _VECTOR_FILES:
                if file_sha256(folder / name) != manifest["files"][name]["sha256"]:
                    return None
            texts = {c["chunk_id"]: c["text"] for c in read_jsonl(folder / "clauses.jsonl")}
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
            cache[text_key(texts[s["chunk_id"]][s["start"]:s["end"]])] = sentence_vectors[row]
        return cls(cache, keys, manifest)


def reuse_tokens(settings: Settings, previous: Previous | None, passages: list[Passage],
                 lexicon: Lexicon) -> tuple[Tokens, int]:
    """Every passage's BM25 tokens: an unchanged passage's from the live index when the same dictionary cut them,
    the rest tokenized now. Returns them and how many passages were tokenized."""
    old = previous.tokens(live_index_dir(settings), lexicon) if previous is not None else None
    if previous is None or old is None:
        return Tokens.of([lexicon.tokenize(p.text) for p in passages]), len(passages)
    moved, added = dense_index.match_rows(previous.keys, [p.key for p in passages])
    source = np.full(len(passages), -1, np.int64)
    kept = np.flatnonzero(moved >= 0)
    source[moved[kept]] = kept
    return Tokens.reusing(old, source, lambda row: lexicon.tokenize(passages[row].text)), len(added)


def reuse_dense(settings: Settings, previous: Previous | None, passages: list[Passage], vectors: np.ndarray,
                kind: str) -> tuple[Any, dict[str, Any]]:
    """The FAISS index for these passages: the live index's HNSW graph extended when it can be kept (same model,
    same graph parameters, its file as the manifest says, few tombstones), else a new one."""
    if kind == "hnsw" and previous is not None and previous.manifest.get("dense") == dense_index.params(kind):
        path = live_index_dir(settings) / "dense.faiss"
        kept = None
        try:
            if file_sha256(path) == previous.manifest["files"]["dense.faiss"]["sha256"]:
                kept = dense_index.extend(path, previous.keys, [p.key for p in passages], vectors, settings.threads)
        except (OSError, KeyError):
            kept = None
        if kept is not None:
            index, ext = kept
            return index, {"graph": "extended", "kept": ext.kept, "added": ext.added, "retired": ext.retired,
                           "tombstones": ext.tombstones}
    index = dense_index.build(vectors, kind, settings.threads)
    return index, ({"graph": "built", "tombstones": 0} if kind == "hnsw" else {})
