"""The lexical tokenizer: jieba with the project's policy dictionary and stopwords.

Texts are normalised exactly like documents first (traditional -> simplified, full width -> half width), so
a query typed as `數字孿生` meets `数字孪生`. The tokenizer is an object handed to BM25, not a global.
"""
from __future__ import annotations

import hashlib
import logging
import re
import threading
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, Iterable

from .normalize import normalize_text

_QUOTED = re.compile(r"[“\"‘']([\u4e00-\u9fffA-Za-z0-9+]{2,8})[”\"’']")
BOOST = 2_000_000  # the frequency given to every dictionary term
WORDLIKE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")  # a token BM25 keeps has one of these


_GENERAL_LOCK = threading.Lock()
_GENERAL: list[Any] = []


def general_jieba() -> Any:
    """jieba with its general-Chinese dictionary only, one per process and built once (under a lock): where its
    words end depends on no library, and nothing added to jieba's shared dictionary (Milvus Lite's analyzer adds
    the library's words) reaches it."""
    with _GENERAL_LOCK:
        if not _GENERAL:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            tok.initialize()
            _GENERAL.append(tok)
    return _GENERAL[0]


@lru_cache(maxsize=1 << 14)
def word_bounds(text: str) -> frozenset[int]:
    """The offsets in `text` where a word starts or ends, as general Chinese cuts it (`general_jieba`). Cached: the
    measure extractor asks it of one sentence for its instruments and again for its field's words."""
    out, at = {0}, 0
    for word in general_jieba().cut(text):
        at += len(word)
        out.add(at)
    return frozenset(out)


def _data_lines(name: str) -> list[str]:
    text = resources.files("rag").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def quoted_coinages(texts: Iterable[str]) -> list[str]:
    """Short coinages the plans put in quotation marks (`“元平台”`, `“链主企业”`, `“1650”`)."""
    found = {m.group(1) for text in texts for m in _QUOTED.finditer(text)}
    return sorted(t for t in found if not t.isdigit())


class Lexicon:
    """jieba (search mode) + policy dictionary + stopwords. `tokenize(text)` -> tokens for BM25."""

    def __init__(self, extra_terms: Iterable[str] = (), use_dictionary: bool = True):
        self.use_dictionary = use_dictionary
        # the program's own terms set jieba's word total (below); the library's coinages come on top
        self._program_terms = frozenset(_data_lines("policy_terms.txt")) if use_dictionary else frozenset()
        self.terms = sorted(self._program_terms | set(extra_terms)) if use_dictionary else []
        self.stopwords = frozenset(_data_lines("stopwords.txt"))

    @cached_property
    def _jieba(self) -> Any:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        tok = jieba.Tokenizer()
        tok.initialize()
        # general-Chinese frequencies before our terms are boosted (for `general_frequency`)
        self._general = {term: tok.FREQ.get(term, 0) for term in self.terms}
        self._general_total = tok.total
        for term in self.terms:
            tok.add_word(term, freq=BOOST)  # high frequency: keep the term whole
        # jieba scores a cut by log(freq) - log(total), and add_word adds to the total: fixed here as if only the
        # program's own dictionary had been added, the library's quoted coinages change how a text is cut only
        # where the text holds one — so a build keeps the tokens of every passage that holds none of the coinages
        # the library gained or lost (rag/indexing/reuse.py)
        tok.total = self._general_total + BOOST * len(self._program_terms)
        return tok

    def coinages(self) -> frozenset[str]:
        """The terms this library added to the program's dictionary."""
        return frozenset(self.terms) - self._program_terms

    @property
    def checksum(self) -> str:
        """Identifies the dictionary and stopwords; an index built with another one is refused. The program's
        terms and the library's coinages are hashed apart: the first set the word total (above)."""
        h = hashlib.sha256(b"total: the program's dictionary\n")
        for term in sorted(self._program_terms):
            h.update(term.encode() + b"\n")
        h.update(b"\x00coinages\n")
        for term in sorted(self.coinages()):
            h.update(term.encode() + b"\n")
        h.update(b"\x00")
        for word in sorted(self.stopwords):
            h.update(word.encode() + b"\n")
        return h.hexdigest()[:16]

    def tokenize(self, text: str) -> list[str]:
        tokens = []
        for token in self._jieba.cut_for_search(normalize_text(text)):
            token = token.strip().lower()
            if token and WORDLIKE.search(token) and token not in self.stopwords:
                tokens.append(token)
        return tokens

    __call__ = tokenize

    def general_frequency(self, token: str) -> tuple[int, int]:
        """(count of `token`, total count) in jieba's general-Chinese dictionary, as shipped."""
        tok = self._jieba
        count = self._general[token] if token in self._general else tok.FREQ.get(token, 0)
        return count, self._general_total
