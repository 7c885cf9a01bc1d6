"""Is a question about what the library holds? Signals from the library's own term statistics, judged against
thresholds fitted by `policyqa calibrate` (rag/answer/calibrate.py)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DataFileError
from ..files import read_json
from ..search.corpus import CorpusView
from ..search.retriever import SearchResult
from ..text.bridge import Bridge


@dataclass(frozen=True)
class Calibration:
    """Out-of-scope thresholds, fitted on evaluation questions by `policyqa calibrate`.

    keyness_min: a Chinese question is in scope when one of its words is at least this much more frequent in
                 the library than in general Chinese (log ratio; see `ScopeJudge.keyness`) …
    coverage_min: … or when at least this share of its words (weighted by informativeness) are words the
                 library uses.
    english_keyness_min, english_coverage_min: the same two for an English question, read through the English
                 dictionary (`text.bridge`): the keyness of the library words its phrases may mean, and the share of
                 its content words the dictionary glosses with a library word at all.
    """

    keyness_min: float
    coverage_min: float
    english_keyness_min: float
    english_coverage_min: float
    source: str = ""
    library: str = ""  # `calibrate.library_key` of the library it was fitted on ("" : not recorded)

    @classmethod
    def load(cls, path: Path) -> Calibration:
        try:
            d = read_json(path)
            return cls(float(d["keyness_min"]), float(d["coverage_min"]), float(d["english_keyness_min"]),
                       float(d["english_coverage_min"]), d.get("source", ""), d.get("library", ""))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise DataFileError(f"{path}: not a calibration file ({type(exc).__name__}: {exc}); "
                                "run `policyqa calibrate eval/questions.jsonl`") from exc


@dataclass(frozen=True)
class Signals:
    english: bool
    # the best keyness of the question's words (-inf when none is in the library); English: of the library words
    # its phrases may mean
    keyness: float
    # the weighted share of the question's words the library uses; English: the share of its content words the
    # dictionary glosses with a library word
    coverage: float
    top_dense: float  # the best passage cosine (reported; no threshold reads it)


class ScopeJudge:
    """Signals for a question and the verdict under a calibration (None: refuse only when nothing is found)."""

    def __init__(self, corpus: CorpusView, calibration: Calibration | None, bridge: Bridge):
        self.corpus = corpus
        self.calibration = calibration
        self.bridge = bridge

    def keyness(self, query: str) -> float:
        """How typical of this library the question's most library-typical word is.

        log(share of passages holding the word) - log(its frequency in general Chinese, from jieba's
        dictionary). Words the library never uses, and bare numbers, count for nothing.
        """
        shares = self.corpus.terms.shares
        best = float("-inf")
        for token in set(self.corpus.tokenize(query)):
            if token not in shares or token.isdigit():
                continue
            count, total = self.corpus.general_frequency(token)
            best = max(best, float(np.log(shares[token]) - np.log((count + 1) / total)))
        return best

    def coverage(self, query: str) -> float:
        """Weighted share of the question's words that occur in the library (unknown words weigh most)."""
        terms = self.corpus.terms
        tokens = {t for t in self.corpus.tokenize(query) if not t.isdigit()}
        weights = {t: terms.weight(t, terms.unknown_weight) for t in tokens}
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if terms.known(t)) / total if total else 0.0

    def signals(self, query: str, english: bool, top_dense: float) -> Signals:
        if english:  # its words are not the library's: the library words they may mean, through the dictionary
            return Signals(english, self.keyness(self.bridge.chinese(query)), self.bridge.coverage(query), top_dense)
        return Signals(english, self.keyness(query), self.coverage(query), top_dense)

    def out_of_scope(self, probe: SearchResult, signals: Signals) -> bool:
        c = self.calibration
        if c is None or not probe.hits:
            return not probe.hits
        if signals.english:
            return signals.keyness < c.english_keyness_min and signals.coverage < c.english_coverage_min
        return signals.keyness < c.keyness_min and signals.coverage < c.coverage_min
