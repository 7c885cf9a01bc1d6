"""Support tags: which clauses grant or promise support, what kind, for whom, for what, how much, and where.

Computed at index time (`measures.jsonl` in the index) from the vocabulary in `data/support_terms.txt`. Every
tag keeps the words it came from and the sentence they are in, so a match can say why and quote the sentence.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable

from ..errors import DataFileError
from ..text.patterns import OWNER_LINE
from ..text.sentences import sentence_spans
from ..types import Clause, ClauseKind, PlanMeta

SECTIONS = ("measure", "beneficiary", "domain", "actor")
GENERIC = "企业"  # the beneficiary label that names no particular kind of company
TYPED = "企业·"  # prefix of a beneficiary label for enterprises of one line of business: `企业·电商消费`
# amounts and rates as written: 10%, 最高100万元, 1000万元, 20万平方米, 1000平方米3年租金, 1亿元
_AMOUNT = re.compile(r"(?:最高(?:补助|奖励|给予)?)?\d+(?:\.\d+)?(?:%|万元|亿元|元|万平方米|平方米(?:\d+年租金)?)")


def _default_path() -> Path:
    return Path(str(resources.files("rag") / "data" / "support_terms.txt"))


@dataclass(frozen=True)
class Vocabulary:
    """section -> label -> words, longest words first."""

    table: dict[str, dict[str, tuple[str, ...]]]
    checksum: str

    @classmethod
    def load(cls, path: Path | None = None) -> "Vocabulary":
        path = path or _default_path()
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileError(f"{path}: cannot read the support vocabulary ({exc})") from exc
        table: dict[str, dict[str, tuple[str, ...]]] = {s: {} for s in SECTIONS}
        for n, line in enumerate(raw.splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3 or parts[0] not in SECTIONS or not parts[2].split():
                raise DataFileError(f"{path}:{n}: expected `section<TAB>label<TAB>words`, section one of "
                                 f"{', '.join(SECTIONS)}")
            table[parts[0]][parts[1]] = tuple(sorted(set(parts[2].split()), key=len, reverse=True))
        return cls(table, hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16])

    def find(self, section: str, text: str) -> dict[str, list[str]]:
        """label -> the words of that label found in `text` (a longer word hides the shorter ones inside it)."""
        hits: list[tuple[int, int, str, str]] = []
        folded = text.lower()
        for label, words in self.table[section].items():
            for word in words:
                for m in re.finditer(re.escape(word.lower()), folded):
                    hits.append((m.start(), m.end(), label, text[m.start():m.end()]))
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out: dict[str, list[str]] = {}
        taken: list[tuple[int, int]] = []
        for a, b, label, word in hits:
            if any(a >= s and b <= e and (a, b) != (s, e) for s, e in taken):
                continue  # `企业` inside an already read `中小企业`
            taken.append((a, b))
            if word.lower() not in (w.lower() for w in out.setdefault(label, [])):
                out[label].append(word)
        return out

    def typed_enterprises(self, text: str) -> tuple[dict[str, list[str]], bool]:
        """`零售企业`, `工业企业`: enterprises of a line of business -> {domain label: words}; and whether any
        `企业` in `text` is left untyped (`元宇宙企业`, `相关企业`)."""
        typed: dict[str, list[str]] = {}
        untyped = False
        for label, words in self.table["beneficiary"].items():
            if label != GENERIC:
                for w in words:
                    text = text.replace(w, "\0" * len(w))  # `中小企业` is not an untyped `企业`
        for m in re.finditer(GENERIC, text):
            if m.start() > 0 and text[m.start() - 1] == "\0":
                continue  # the tail of `龙头企业`, `单项冠军企业`: already read as that kind
            before = text[max(0, m.start() - 6):m.start()].lower()
            hit = next(((label, w) for label, words in self.table["domain"].items() for w in words
                        if before.endswith(w.lower())), None)
            if hit is None:
                untyped = True
            else:
                bucket = typed.setdefault(hit[0], [])
                word = text[m.start() - len(hit[1]):m.end()]
                if word not in bucket:
                    bucket.append(word)
        return typed, untyped


@dataclass
class SentenceTags:
    start: int
    end: int
    measures: dict[str, list[str]]
    beneficiaries: dict[str, list[str]]
    domains: dict[str, list[str]]
    amounts: list[str]
    places: list[dict[str, str]] = field(default_factory=list)  # news only: the local policy's region


@dataclass
class ClauseTags:
    """The support a clause grants or promises. `jurisdiction`: regions as {"code", "name"} (the plan's, or for a
    news paragraph reporting a local policy, the places it names inside the plan's region)."""

    chunk_id: str
    plan_id: str
    item_path: str
    source: str  # "plan" or "news"
    jurisdiction: list[dict[str, str]]
    sentences: list[SentenceTags] = field(default_factory=list)

    def union(self, part: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for s in self.sentences:
            for label, words in getattr(s, part).items():
                bucket = out.setdefault(label, [])
                bucket.extend(w for w in words if w not in bucket)
        return out

    @property
    def measures(self) -> dict[str, list[str]]:
        return self.union("measures")

    @property
    def beneficiaries(self) -> dict[str, list[str]]:
        return self.union("beneficiaries")

    @property
    def domains(self) -> dict[str, list[str]]:
        return self.union("domains")

    @property
    def amounts(self) -> list[str]:
        return [a for s in self.sentences for a in s.amounts]

    def to_dict(self) -> dict[str, Any]:
        return {"chunk_id": self.chunk_id, "plan_id": self.plan_id, "item_path": self.item_path,
                "source": self.source, "jurisdiction": self.jurisdiction,
                "sentences": [vars(s) for s in self.sentences]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ClauseTags":
        return cls(d["chunk_id"], d["plan_id"], d["item_path"], d["source"], list(d["jurisdiction"]),
                   [SentenceTags(**s) for s in d["sentences"]])


# clause kinds that can hold a measure; a plan's preamble, goals and notice promise nothing to anyone
_SUPPORT_KINDS = (ClauseKind.ITEM, ClauseKind.HEADING, ClauseKind.COLUMN_ENTRY, ClauseKind.NEWS)
# headings whose clauses describe goals or principles, not measures
_NOT_MEASURE = re.compile(r"目标|指导思想|基本原则|发展思路|总体思路|发展定位")


def tag_clauses(clauses: Iterable[Clause], vocabulary: Vocabulary, plan_regions: dict[str, list[dict[str, str]]],
                sub_places: Callable[[str, str], list[dict[str, str]]], twins: dict[str, str]) -> list[ClauseTags]:
    """Tags of every support clause. `plan_regions`: plan_id -> [its region]; `sub_places(plan_id, text)`:
    places inside that plan's region named in `text`; `twins`: news paragraphs repeating a clause."""
    out = []
    for clause in clauses:
        if clause.kind not in _SUPPORT_KINDS or clause.chunk_id in twins:
            continue
        if _NOT_MEASURE.search(clause.item_title) or any(_NOT_MEASURE.search(p) for p in clause.parents):
            continue
        tags = tag_clause(clause, vocabulary)
        if not tags:
            continue
        region = plan_regions.get(clause.plan_id, [])
        if clause.kind == ClauseKind.NEWS:
            where = sub_places(clause.plan_id, clause.text) or region
            source = "news"
            # a report may cover several districts' policies: each sentence belongs to the place it (or the
            # sentence before it) names
            current: list[dict] = region
            at = {}
            for a, b in sentence_spans(clause.text):
                current = sub_places(clause.plan_id, clause.text[a:b]) or current
                at[a] = current
            for t in tags:
                t.places = at.get(t.start, region)
        else:
            where, source = region, "plan"
        out.append(ClauseTags(clause.chunk_id, clause.plan_id, clause.item_path, source, where, tags))
    return out


def tag_clause(clause: Clause, vocabulary: Vocabulary) -> list[SentenceTags]:
    """Tagged sentences of one clause; empty when no sentence holds a measure word."""
    tagged, any_measure = [], False
    for a, b in sentence_spans(clause.text):
        # the responsibility line names government offices, never beneficiaries
        sentence = OWNER_LINE.sub("", clause.text[a:b])
        if not sentence.strip():
            continue
        measures = vocabulary.find("measure", sentence)
        without_actors = sentence
        for words in vocabulary.find("actor", sentence).values():
            for w in words:
                without_actors = without_actors.replace(w, "、")
        beneficiaries = vocabulary.find("beneficiary", without_actors)
        if GENERIC in beneficiaries:
            typed, untyped = vocabulary.typed_enterprises(without_actors)
            for label, words in typed.items():
                beneficiaries[TYPED + label] = words
            if not untyped:
                del beneficiaries[GENERIC]
        domains = vocabulary.find("domain", sentence)
        amounts = _AMOUNT.findall(sentence)
        any_measure = any_measure or bool(measures)
        if measures or beneficiaries or domains or amounts:
            tagged.append(SentenceTags(a, b, measures, beneficiaries, domains, amounts))
    return tagged if any_measure else []


def tag_library(clauses: list[Clause], plans: dict[str, PlanMeta], vocabulary: Vocabulary,
                twins: dict[str, str]) -> list[ClauseTags]:
    """Tag the support clauses, each with its plan's region (full name), or for a news paragraph the places it
    names inside that region (a local policy it reports)."""
    from ..regions import Jurisdictions

    juris = Jurisdictions(plans.values())
    gaz = juris.gazetteer
    regions = {pid: [{"code": place.code, "name": gaz.full_name(place)}] for pid, place in juris.plan_place.items()}

    def sub_places(plan_id: str, text: str) -> list[dict[str, str]]:
        own = juris.plan_place.get(plan_id)
        if own is None or own.level < 0:
            return []  # a national document's news keeps its national reach (a dateline is not a policy's place)
        inside = [p for p in juris.places_in(text) if own.code in p.parents]
        return [{"code": p.code, "name": gaz.full_name(p)} for p in inside]

    return tag_clauses(clauses, vocabulary, regions, sub_places, twins)
