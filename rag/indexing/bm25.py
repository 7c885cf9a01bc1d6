"""Okapi BM25 as a sparse term-by-document weight matrix, saved as plain .npy/.json files.

Scores equal rank-bm25's `BM25Okapi` (same idf with its epsilon floor for common terms); a test pins that.
We keep our own implementation because a query is then one sparse row-sum instead of a Python loop over
every document, and because the index must be plain files, never pickles.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence, Union

import numpy as np
from scipy import sparse

from ..files import read_json
from .reads import NpyRows

Postings = Union[np.ndarray, NpyRows]

FILES = ("bm25_data.npy", "bm25_indices.npy", "bm25_indptr.npy", "bm25_vocab.json")
# every passage's tokens as vocabulary rows, in order (offsets per passage): what a later build reuses instead of
# tokenizing an unchanged passage again (jieba's search mode is the slowest step of a build without new texts)
TOKEN_FILES = ("bm25_tokens.npy", "bm25_token_offsets.npy")


def _idf(n_docs: int, df: int) -> float:
    return math.log(1 + (n_docs - df + 0.5) / (df + 0.5))


def _offsets(lengths: np.ndarray) -> np.ndarray:
    """Where each document's tokens start (and, last, where they end)."""
    return np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)


@dataclass
class Tokens:
    """Documents' tokens as ids: document d's are `ids[offsets[d]:offsets[d + 1]]`, id i being `names[i]`."""

    ids: np.ndarray
    offsets: np.ndarray
    names: list[str]

    @classmethod
    def of(cls, tokenized: Sequence[Sequence[str]]) -> "Tokens":
        number: dict[str, int] = {}
        lengths = np.array([len(doc) for doc in tokenized], dtype=np.int64)
        ids = np.fromiter((number.setdefault(t, len(number)) for doc in tokenized for t in doc), dtype=np.int64,
                          count=int(lengths.sum()))
        return cls(ids, _offsets(lengths), list(number))

    @classmethod
    def reusing(cls, previous: "Tokens", source: np.ndarray, tokenize: Callable[[int], list[str]]) -> "Tokens":
        """Tokens of new documents: document d is the previous document `source[d]`, or when that is -1, a new
        text, `tokenize(d)`."""
        number = {name: i for i, name in enumerate(previous.names)}
        parts: list[np.ndarray] = []
        for d, old in enumerate(source.tolist()):
            if old >= 0:
                parts.append(np.asarray(previous.ids[previous.offsets[old]:previous.offsets[old + 1]], np.int64))
            else:
                fresh = tokenize(d)
                parts.append(np.fromiter((number.setdefault(t, len(number)) for t in fresh), np.int64, len(fresh)))
        lengths = np.array([len(p) for p in parts], dtype=np.int64)
        ids = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        return cls(ids, _offsets(lengths), list(number))

    @classmethod
    def load(cls, folder: Path) -> "Tokens":
        """A built index's tokens (ids = its vocabulary rows), mapped."""
        vocab = read_json(folder / FILES[3])["vocab"]
        names = [""] * len(vocab)
        for term, row in vocab.items():
            names[row] = term
        ids = np.load(folder / TOKEN_FILES[0], mmap_mode="r")
        offsets = np.load(folder / TOKEN_FILES[1])
        if offsets[-1] != len(ids) or (len(ids) and int(ids.max()) >= len(names)):
            raise ValueError(f"{folder / TOKEN_FILES[0]} does not fit its offsets and vocabulary")
        return cls(ids, offsets, names)

    def __len__(self) -> int:
        return len(self.offsets) - 1


class BM25:
    """Term-by-document weights in CSR form: `indptr` (held), `indices` and `data` (in memory after a build,
    read from their files a term at a time after a load — `NpyRows`)."""

    def __init__(self, indptr: np.ndarray, indices: Postings, data: Postings, n_docs: int, vocab: dict[str, int],
                 tokenizer: Callable[[str], list[str]], params: dict[str, float], tokens: Tokens | None = None):
        self.indptr = indptr
        self.indices = indices
        self.data = data
        self.n_docs = n_docs
        self.vocab = vocab
        self.tokenizer = tokenizer
        self.params = params
        self.tokens = tokens  # after a build: every document's tokens, numbered by vocabulary row (saved with it)

    def df(self) -> np.ndarray:
        """How many documents hold each term (by term row)."""
        return np.diff(self.indptr)

    def docs_of(self, row: int) -> np.ndarray:
        """The documents holding the term of this row, ascending."""
        return np.asarray(self.indices[int(self.indptr[row]):int(self.indptr[row + 1])])

    @classmethod
    def build(cls, docs: Sequence[str], tokenizer: Callable[[str], list[str]], k1: float = 1.5,
              b: float = 0.75, epsilon: float = 0.25) -> "BM25":
        tokenized = [tokenizer(d) for d in docs]
        return cls.from_tokens(tokenized, tokenizer, k1, b, epsilon)

    @classmethod
    def from_tokens(cls, tokenized: Sequence[Sequence[str]], tokenizer: Callable[[str], list[str]],
                    k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> "BM25":
        return cls.from_ids(Tokens.of(tokenized), tokenizer, k1, b, epsilon)

    @classmethod
    def from_ids(cls, tokens: Tokens, tokenizer: Callable[[str], list[str]],
                 k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> "BM25":
        """Counted with numpy over (term, document) pairs: linear in the tokens, no Python loop per posting. The
        weights depend only on each document's token sequence, not on how the ids were numbered."""
        n_docs = len(tokens)
        lengths = np.diff(tokens.offsets).astype(np.float64)
        avgdl = lengths.mean() if n_docs else 0.0
        present, first = np.unique(tokens.ids, return_index=True)
        # terms in order of first appearance: rank-bm25 sums idf in that order (below)
        first_seen = [tokens.names[i] for i in present[np.argsort(first, kind="stable")]]
        terms = sorted(first_seen)
        vocab = {term: i for i, term in enumerate(terms)}
        row_of = np.full(len(tokens.names), -1, np.int64)
        row_of[present] = [vocab[tokens.names[i]] for i in present]
        flat = row_of[tokens.ids]
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
        return cls(weights.indptr, weights.indices, weights.data, n_docs, vocab, tokenizer,
                   {"k1": k1, "b": b, "epsilon": epsilon}, Tokens(flat.astype(np.int32), tokens.offsets, terms))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document (a term repeated in the query counts again, as in rank-bm25, and the
        terms are added in the query's order, as rank-bm25 adds them)."""
        scores = np.zeros(self.n_docs)
        for row in (self.vocab[t] for t in self.tokenizer(query) if t in self.vocab):
            a, b = int(self.indptr[row]), int(self.indptr[row + 1])
            scores[np.asarray(self.indices[a:b])] += np.asarray(self.data[a:b])  # a document once per term
        return scores

    def rescored(self, query: str, rows: np.ndarray, scope: np.ndarray, power: float) -> np.ndarray:
        """BM25 of documents `rows` with each term's idf moved toward its idf over the `scope` documents (ascending):
        a term every passage of the searched plans holds (`专家库` in the expert-pool rules) tells them apart no better
        than a common word, however rare it is in the library. Each stored weight (rank-bm25's idf) is scaled by
        (scope idf / library idf) ** `power`, both in the always-positive form ln(1 + (N - n + 0.5) / (n + 0.5)): a
        factor, so even at power 1 the result is near, not equal to, BM25 with the scope's idf."""
        scores = np.zeros(len(rows))
        for row in (self.vocab[t] for t in self.tokenizer(query) if t in self.vocab):
            a, b = int(self.indptr[row]), int(self.indptr[row + 1])
            docs, weights = np.asarray(self.indices[a:b]), np.asarray(self.data[a:b])
            within = int(np.count_nonzero(np.isin(docs, scope, assume_unique=True)))
            where = np.minimum(np.searchsorted(docs, rows), len(docs) - 1)
            held = docs[where] == rows
            scores[held] += weights[where[held]] * (_idf(len(scope), within) / _idf(self.n_docs, b - a)) ** power
        return scores

    def save(self, folder: Path) -> list[str]:
        np.save(folder / FILES[0], np.asarray(self.data[:]))
        np.save(folder / FILES[1], np.asarray(self.indices[:]))
        np.save(folder / FILES[2], self.indptr)
        (folder / FILES[3]).write_text(json.dumps({"vocab": self.vocab, "shape": [len(self.indptr) - 1, self.n_docs],
                                                   "params": self.params}, ensure_ascii=False),
                                       encoding="utf-8")
        if self.tokens is None:
            return list(FILES)
        np.save(folder / TOKEN_FILES[0], self.tokens.ids)
        np.save(folder / TOKEN_FILES[1], self.tokens.offsets)
        return list(FILES + TOKEN_FILES)

    @classmethod
    def load(cls, folder: Path, tokenizer: Callable[[str], list[str]]) -> "BM25":
        meta = read_json(folder / FILES[3])
        # read a term's postings when a query has it (at 10^6 passages the arrays are ~0.75 GB); the term offsets held
        data, indices = NpyRows(folder / FILES[0]), NpyRows(folder / FILES[1])
        indptr = np.load(folder / FILES[2])
        terms, n_docs = meta["shape"]
        if len(indptr) != terms + 1 or len(data) != len(indices) or (len(indptr) and indptr[-1] != len(data)):
            raise ValueError(f"{folder / FILES[2]}: term offsets do not fit {len(data)} postings of {terms} terms")
        return cls(indptr, indices, data, n_docs, meta["vocab"], tokenizer, meta["params"])
