"""The data types that flow through PolicyQA, defined once. The JSON contract is their serialisation.

Clause (ingest) -> Hit (search) -> Citation -> Answer (answer); Measure and MatchResult (match). Hit, Citation
and Measure all point at one clause through the fields of `ClauseRef`. Every type is frozen; results are
built with keywords, and `to_dict`/`from_dict` are each other's inverse.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any


class ClauseKind(StrEnum):
    """What kind of text a clause holds (where in the document it sits)."""

    ITEM = "item"
    HEADING = "heading"
    GOAL = "goal"
    COLUMN_ENTRY = "column_entry"
    PREAMBLE = "preamble"
    NOTICE = "notice"
    NEWS = "news"


class NoAnswer(StrEnum):
    """Why an answer has no citations to give (`Answer.reason`)."""

    REGION_NOT_COVERED = "region_not_covered"
    OUT_OF_SCOPE = "out_of_scope"
    NOT_FOUND = "not_found"
    REGION_MISSING = "region_missing"
    NOT_STATED = "not_stated"  # the plan asked about does not state the number or document fact asked for
    BAD_INPUT = "bad_input"


def clause_id(plan_id: str, item_path: str, text: str) -> str:
    """Stable id: the same plan, path and text always give the same id, across re-ingests."""
    digest = hashlib.sha256(f"{plan_id}\x1f{item_path}\x1f{text}".encode("utf-8")).hexdigest()
    return digest[:16]


def _from_fields(cls: type, d: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of `cls` found in `d` (extra keys, such as contract extensions, are ignored)."""
    return {f.name: d[f.name] for f in fields(cls) if f.name in d}


@dataclass(frozen=True, kw_only=True)
class Clause:
    """One citable unit of a plan: an item at its deepest level, a column entry, a heading paragraph."""

    plan_id: str
    item_path: str
    item_title: str
    text: str
    kind: ClauseKind
    parents: tuple[str, ...] = ()  # titles of the enclosing headings, outermost first
    order: int = 0  # position in the plan, for outlines
    chunk_id: str = ""

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", ClauseKind(self.kind))
        except ValueError:
            raise ValueError(f"clause kind {self.kind!r} is not one of {', '.join(ClauseKind)}") from None
        if not self.chunk_id:
            object.__setattr__(self, "chunk_id", clause_id(self.plan_id, self.item_path, self.text))

    def to_dict(self) -> dict[str, Any]:
        """As `dataclasses.asdict` gives it (every field is immutable), without its deep copy: a build writes
        every clause of the library."""
        d = {name: getattr(self, name) for name in _CLAUSE_FIELDS}
        d["parents"] = list(self.parents)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Clause:
        kw = _from_fields(cls, d)
        kw["parents"] = tuple(kw.get("parents", ()))
        return cls(**kw)


_CLAUSE_FIELDS = tuple(f.name for f in fields(Clause))


@dataclass(frozen=True)
class Region:
    """The jurisdiction a plan covers: `永川区` (区县) inside `重庆市`."""

    name: str
    level: str  # 省级 | 地级 | 县级
    parent: str | None = None


@dataclass(frozen=True, kw_only=True)
class PlanMeta:
    """What is known about one plan, with where each fact came from (`text` or `manifest`)."""

    plan_id: str
    file: str
    title: str | None = None
    region: Region | None = None
    issuer: str | None = None
    issuing_bodies: list[str] = field(default_factory=list)
    doc_number: str | None = None
    issued_on: str | None = None
    period: str | None = None
    source: str | None = None
    published: str | None = None  # as a page header gives it (provenance "header")
    publisher: str | None = None
    source_url: str | None = None
    page_title: str | None = None  # the page header's title when it is not the text's (a user may ask by either)
    aliases: list[str] = field(default_factory=list)  # names users call it by that neither states (the manifest's
    # `aliases`: `2023年中央一号文件`)
    provenance: dict[str, str] = field(default_factory=dict)
    group: str | None = None  # an evaluation library's document group (seed, unseen-dev, unseen-holdout)
    read_as: str = ""
    sha256: str = ""

    @property
    def display_title(self) -> str:
        """The title a person sees: the plan's own, or its id when the text states none."""
        return self.title or self.plan_id

    @property
    def names(self) -> tuple[str, ...]:
        """Every title the document carries: its own, a page header's that differs, and its manifest's aliases."""
        return tuple(t for t in (self.title, self.page_title, *self.aliases) if t)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PlanMeta:
        kw = _from_fields(cls, d)
        if kw.get("region"):
            kw["region"] = Region(**kw["region"])
        return cls(**kw)


@dataclass(frozen=True, kw_only=True)
class ClauseRef:
    """Which clause a result points at: its plan, its place in the plan, and its stable id."""

    plan_id: str
    item_path: str
    item_title: str
    chunk_id: str


@dataclass(frozen=True, kw_only=True)
class Hit(ClauseRef):
    """A clause found for a query, with the ranks that put it there (None: not in that list's candidates)."""

    rank: int
    text: str
    score: float
    lexical_rank: int | None = None
    dense_rank: int | None = None
    kind: ClauseKind = ClauseKind.ITEM
    parents: tuple[str, ...] = ()

    @classmethod
    def of(cls, clause: Clause, *, rank: int, score: float, lexical_rank: int | None = None,
           dense_rank: int | None = None) -> Hit:
        return cls(rank=rank, plan_id=clause.plan_id, item_path=clause.item_path, item_title=clause.item_title,
                   text=clause.text, chunk_id=clause.chunk_id, score=score, lexical_rank=lexical_rank,
                   dense_rank=dense_rank, kind=clause.kind, parents=clause.parents)

    def to_dict(self) -> dict[str, Any]:
        return {"rank": self.rank, "plan_id": self.plan_id, "item_path": self.item_path,
                "item_title": self.item_title, "text": self.text, "chunk_id": self.chunk_id, "score": self.score,
                "lexical_rank": self.lexical_rank, "dense_rank": self.dense_rank, "kind": str(self.kind),
                "parents": list(self.parents)}


@dataclass(frozen=True, kw_only=True)
class Citation(ClauseRef):
    """One quote of an answer (contract: n, plan_id, plan_title, item_path, item_title, quote, context, score,
    chunk_id). `quote` is an exact substring of `context`, the clause's cleaned text. `more_quotes` (an extension):
    further exact substrings of `context`, later in the clause or earlier, that answer another part of the
    question."""

    n: int
    plan_title: str
    quote: str
    context: str
    score: float
    more_quotes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "plan_id": self.plan_id, "plan_title": self.plan_title, "item_path": self.item_path,
                "item_title": self.item_title, "quote": self.quote, "context": self.context, "score": self.score,
                "chunk_id": self.chunk_id, "more_quotes": list(self.more_quotes)}

    @property
    def quotes(self) -> tuple[str, ...]:
        """Every quote of this citation, the first first."""
        return (self.quote, *self.more_quotes)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Citation:
        return cls(**_from_fields(cls, {**d, "more_quotes": tuple(d.get("more_quotes") or ())}))


@dataclass(frozen=True, kw_only=True)
class Answer:
    """The contract's result object (extra fields are the contract's allowed extensions)."""

    question: str
    answer: str
    no_answer: bool
    citations: tuple[Citation, ...] = ()
    latency_ms: float = 0.0
    id: Any = None
    reason: NoAnswer | None = None  # why there is no answer
    regions: tuple[str, ...] = ()  # places the question names
    resolved_question: str | None = None  # a follow-up rewritten with the previous turn's topic
    match: dict[str, Any] | None = None  # a company describing itself: the matcher's result (rag/match)
    # the plans a question may mean, named alike (`乡村振兴意见`: of 2021, 2023 or 2024?); the answer quotes the
    # closest of them, and the asker may pick one (the chat shows them as buttons, `plans=[id]` asks again)
    candidates: tuple[str, ...] = ()
    analysed_chars: int | None = None  # a long question: only its first this many characters were read

    def __post_init__(self) -> None:
        object.__setattr__(self, "citations", tuple(self.citations))
        object.__setattr__(self, "regions", tuple(self.regions))
        object.__setattr__(self, "candidates", tuple(self.candidates))
        if self.reason is not None:
            object.__setattr__(self, "reason", NoAnswer(self.reason))

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "question": self.question, "answer": self.answer, "no_answer": self.no_answer,
             "citations": [c.to_dict() for c in self.citations], "latency_ms": self.latency_ms,
             "reason": None if self.reason is None else str(self.reason), "regions": list(self.regions)}
        if self.resolved_question:
            d["resolved_question"] = self.resolved_question
        if self.match is not None:
            d["match"] = self.match
        if self.candidates:
            d["candidates"] = list(self.candidates)
        if self.analysed_chars is not None:
            d["analysed_chars"] = self.analysed_chars
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Answer:
        """The inverse of `to_dict`; raises KeyError/TypeError/ValueError for a malformed object."""
        kw = _from_fields(cls, d)
        kw["citations"] = tuple(Citation.from_dict(c) for c in d.get("citations") or ())
        return cls(**kw)


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of a conversation."""

    question: str
    answer: Answer
