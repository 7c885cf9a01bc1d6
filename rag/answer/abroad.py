"""Other countries a question names (`德国`, `Vietnam`): the library's plans are China's, so a question about
another country's policy asks about a region with no plan, and is told so rather than answered from Chinese
clauses that share its words.

Names come from ISO 3166-1 as the `pycountry` package ships it: English (name, common and official name) and
Chinese (its zh_CN translation). China, Hong Kong, Macao and Taiwan are not abroad. A Chinese name counts only on
word boundaries of general Chinese (`加纳` is not in `增加纳入`), an English one as a capitalised word.
"""
from __future__ import annotations

import gettext
import re
import threading
from dataclasses import dataclass

from ..text.lexicon import general_jieba

_CHINA = frozenset({"CN", "HK", "MO", "TW"})
# a question that also names China is about China (a comparison, a cooperation), not only about abroad
ABOUT_CHINA = re.compile(r"中国|我国|全国|国务院|中共中央|党中央|China|Chinese|State Council")


@dataclass(frozen=True)
class Country:
    name: str  # as the question writes it (`Germany`, `德国`)
    chinese: str  # as a Chinese text writes it (`德国`; "" when the translation has none)


@dataclass(frozen=True)
class Countries:
    english: dict[str, Country]  # every English way of writing it -> the country
    chinese: dict[str, Country]
    english_pattern: re.Pattern[str]


_LOCK = threading.Lock()
_LOADED: list[Countries] = []


def countries() -> Countries:
    """Every country but China, by its English and Chinese names (read once per process)."""
    with _LOCK:
        if not _LOADED:
            import pycountry

            zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
            english: dict[str, Country] = {}
            chinese: dict[str, Country] = {}
            for country in pycountry.countries:
                if country.alpha_2 in _CHINA:
                    continue
                name = country.name
                translated = zh.gettext(name)
                translated = translated if re.fullmatch(r"[\u4e00-\u9fff]{2,}", translated) else ""
                if translated:
                    chinese[translated] = Country(translated, translated)
                shown = getattr(country, "common_name", None) or name
                for written in (name, getattr(country, "common_name", None), getattr(country, "official_name", None)):
                    if written and "," not in written:  # (`Korea, Republic of` is no way to write it)
                        english[written] = Country(shown, translated)
            names = sorted(english, key=len, reverse=True)
            pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")
            _LOADED.append(Countries(english, chinese, pattern))
    return _LOADED[0]


def countries_named(text: str) -> list[Country]:
    """The other countries `text` names, each once; none when it names China too."""
    if ABOUT_CHINA.search(text):
        return []
    known = countries()
    found = [known.english[m.group(1)] for m in known.english_pattern.finditer(text)]
    if re.search(r"[\u4e00-\u9fff]", text):
        tokens = [t for t, _, _ in general_jieba().tokenize(text)]
        starts, pos = {}, 0
        for token in tokens:
            starts[pos] = token
            pos += len(token)
        ends = {p + len(t) for p, t in starts.items()}
        for name in known.chinese:
            at = text.find(name)
            while at >= 0:
                if at in starts and at + len(name) in ends:
                    found.append(known.chinese[name])
                    break
                at = text.find(name, at + 1)
    return list(dict.fromkeys(found))
