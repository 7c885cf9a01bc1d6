"""Okapi BM25 as a sparse term-by-document weight matrix, saved as plain .npy/.json files.

Scores equal rank-bm25's `BM25Okapi` (same idf with its epsilon floor for common terms); a test pins that.
We keep our own implementation because a query is then one sparse row-sum instead of a Python loop over
every document, and because the index must be plain files, never pickles.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from scipy import sparse

from ..files import read_json

FILES = ("bm25_data.npy", "bm25_indices.npy", "bm25_indptr.npy", "bm25_vocab.json")


class BM25:
    def __init__(self, weights: sparse.csr_matrix, vocab: dict[str, int], tokenizer: Callable[[str], list[str]],
                 params: dict[str, float]):
        self.weights = weights  # terms x documents
        self.vocab = vocab
        self.tokenizer = tokenizer
        self.params = params

    @classmethod
    def build(cls, docs: Sequence[str], tokenizer: Callable[[str], list[str]], k1: float = 1.5,
              b: float = 0.75, epsilon: float = 0.25) -> "BM25":
        tokenized = [tokenizer(d) for d in docs]
        return cls.from_tokens(tokenized, tokenizer, k1, b, epsilon)

    @classmethod
    def from_tokens(cls, tokenized: Sequence[Sequence[str]], tokenizer: Callable[[str], list[str]],
                    k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> "BM25":
        """Counted with numpy over (term, document) pairs: linear in the tokens, no Python loop per posting."""
        n_docs = len(tokenized)
        lengths = np.array([len(t) for t in tokenized], dtype=np.float64)
        avgdl = lengths.mean() if n_docs else 0.0
        # terms in order of first appearance: rank-bm25 sums idf in that order (below)
        first_seen = dict.fromkeys(t for doc in tokenized for t in doc)
        terms = sorted(first_seen)
        vocab = {term: i for i, term in enumerate(terms)}
        flat = np.fromiter((vocab[t] for doc in tokenized for t in doc), dtype=np.int64, count=int(lengths.sum()))
        docs = np.repeat(np.arange(n_docs, dtype=np.int64), lengths.astype(np.int64))
        pairs, tf = np.unique(flat * max(n_docs, 1) + docs, return_counts=True)  # sorted by term, then document
        rows, cols = pairs // max(n_docs, 1), pairs % max(n_docs, 1)
        df = np.bincount(rows, minlength=len(vocab))
        # rank-bm25: idf = ln(N - n + 0.5) - ln(n + 0.5); negative idf -> epsilon * mean idf. Per term in Python
        # (math.log, summed in order of first appearance) so that the weights equal rank-bm25's to the last bit
        by_term = {t: math.log(n_docs - int(df[vocab[t]]) + 0.5) - math.log(int(df[vocab[t]]) + 0.5) for t in first_seen}
        floor = epsilon * (sum(by_term.values()) / len(by_term)) if by_term else 0.0
        idf = np.array([by_term[t] if by_term[t] >= 0 else floor for t in terms], dtype=np.float64)
        norm = k1 * (1 - b + b * lengths / avgdl) if avgdl else np.full(n_docs, k1)
        tf = tf.astype(np.float64)
        vals = idf[rows] * tf * (k1 + 1) / (tf + norm[cols])
        weights = sparse.csr_matrix((vals, (rows, cols)), shape=(len(vocab), n_docs), dtype=np.float64)
        return cls(weights, vocab, tokenizer, {"k1": k1, "b": b, "epsilon": epsilon})

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document (a term repeated in the query counts again, as in rank-bm25)."""
        ids = [self.vocab[t] for t in self.tokenizer(query) if t in self.vocab]
        if not ids:
            return np.zeros(self.weights.shape[1])
        return np.asarray(self.weights[ids].sum(axis=0)).ravel()

    def save(self, folder: Path) -> list[str]:
        np.save(folder / FILES[0], self.weights.data)
        np.save(folder / FILES[1], self.weights.indices)
        np.save(folder / FILES[2], self.weights.indptr)
        (folder / FILES[3]).write_text(json.dumps({"vocab": self.vocab, "shape": list(self.weights.shape),
                                                   "params": self.params}, ensure_ascii=False),
                                       encoding="utf-8")
        return list(FILES)

    @classmethod
    def load(cls, folder: Path, tokenizer: Callable[[str], list[str]]) -> "BM25":
        meta = read_json(folder / FILES[3])
        # memory-mapped, not read: a query touches only its terms' rows (at 10^6 passages the arrays are ~0.7 GB)
        arrays = [np.load(folder / name, mmap_mode="r") for name in FILES[:3]]
        weights = sparse.csr_matrix((arrays[0], arrays[1], arrays[2]), shape=tuple(meta["shape"]), copy=False)
        return cls(weights, meta["vocab"], tokenizer, meta["params"])
