"""Text normalisation shared by documents and queries.

Every rule here exists because a real source needed it; the source text is quoted beside the rule.
Queries go through :func:`normalize_text` too, so a question typed in traditional characters or with
full-width punctuation meets the documents on equal terms.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

# Pinyin reading annotations after a character, as on the Yongchuan page: `重慶市永川區(qū)`.
# A pinyin annotation is lower-case Latin with at least one tone-marked vowel; `(UGC)`, `(2023-2025年)`,
# `(一)` never match, so real parentheses are kept. It is removed wherever it stands, also after a character
# the page mangled (`入?^(qū)企业`).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_ANNOTATION = re.compile(
    rf"[(（]([a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*)[)）]"
)

_CJK = r"\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
# Any run of horizontal white space inside a line (PDF extraction: `近眼 显示`, `( 一 )`, `突破 1000 亿元`).
_SPACE_RUN = re.compile(r"[ \t\u00a0\u2002-\u200b\u3000\u202f\u205f\ufeff]+")
_LEADING_BULLET = re.compile(r"^[·•●◆■□▪▶►◇○]\s*")

# The same annotation whose opening parenthesis was lost to a bad decode: `發(fā)展?fàn)I造` (Yongchuan).
_BROKEN_ANNOTATION = re.compile(rf"(?<=\?)[a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}]*\)")


def remove_pinyin_annotations(text: str) -> str:
    """`重慶市永川區(qū)人民政府` -> `重慶市永川區人民政府`."""
    return _BROKEN_ANNOTATION.sub("", _PINYIN_ANNOTATION.sub("", text))


@functools.lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # the official OpenCC bindings

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional -> simplified Chinese with OpenCC (`關於印發` -> `关于印发`)."""
    return _t2s().convert(text)


_HALFWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: ord(" ")}
_FULLWIDTH = re.compile("[\uff01-\uff5e\u3000]")


def to_halfwidth(text: str) -> str:
    """Full-width ASCII forms and the ideographic space to their ASCII twins (`（1）` -> `(1)`).

    Chinese punctuation with no ASCII twin (`。`, `、`, `“”`, `〔〕`) is kept: the plans cite `〔2022〕`.
    """
    return text.translate(_HALFWIDTH) if _FULLWIDTH.search(text) else text


def _fix_spacing(line: str) -> str:
    """Drop white space inside a line unless it separates two Latin letters or digits.

    PDF extraction puts spaces inside words (`近眼 显示`, `突破 1000 亿元`, `( 一 )指导思想`);
    Latin text keeps its spaces (`4K UHD`, `WiFi 7`).
    """

    def repl(m: re.Match[str]) -> str:
        start, end = m.start(), m.end()
        before = line[start - 1] if start > 0 else ""
        after = line[end] if end < len(line) else ""
        if before and after and _ASCII_WORD.match(before) and _ASCII_WORD.match(after):
            return " "
        return ""

    return _SPACE_RUN.sub(repl, line)


def normalize_line(line: str) -> str:
    """One line of a document, cleaned: pinyin removed, simplified, half-width, spacing fixed."""
    line = unicodedata.normalize("NFC", line)
    line = remove_pinyin_annotations(line)
    line = to_simplified(line)
    line = to_halfwidth(line)
    line = _fix_spacing(line.strip())
    return _LEADING_BULLET.sub("", line).strip()


def normalize_text(text: str) -> str:
    """A query or a multi-line text, normalised line by line exactly like documents."""
    return "\n".join(n for n in (normalize_line(x) for x in text.splitlines()) if n)


def strip_space(text: str) -> str:
    """Text with all white space removed, for comparisons that must ignore layout."""
    return re.sub(r"\s+", "", text)


def has_cjk_gap(text: str) -> bool:
    """True when spaces separate two CJK characters on one line (a PDF spacing leftover).

    Line breaks are not gaps: a notice keeps its lines (title, 文号, signatures) one per line.
    """
    return re.search(rf"[{_CJK}][^\S\n]+[{_CJK}]", text) is not None
