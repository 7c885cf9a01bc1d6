"""The data types that flow through PolicyQA. The JSON contract is their serialisation."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

# What kind of text a clause holds (where in the document it sits).
KINDS = ("item", "heading", "goal", "column_entry", "preamble", "notice", "news")


def clause_id(plan_id: str, item_path: str, text: str) -> str:
    """Stable id: the same plan, path and text always give the same id, across re-ingests."""
    digest = hashlib.sha256(f"{plan_id}\x1f{item_path}\x1f{text}".encode("utf-8")).hexdigest()
    return digest[:16]


@dataclass(frozen=True)
class Clause:
    """One citable unit of a plan: an item at its deepest level, a column entry, a heading paragraph."""

    plan_id: str
    item_path: str
    item_title: str
    text: str
    kind: str
    parents: tuple[str, ...] = ()  # titles of the enclosing headings, outermost first
    order: int = 0  # position in the plan, for outlines
    chunk_id: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"clause kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if not self.chunk_id:
            object.__setattr__(self, "chunk_id", clause_id(self.plan_id, self.item_path, self.text))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["parents"] = list(self.parents)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Clause":
        return cls(
            plan_id=d["plan_id"], item_path=d["item_path"], item_title=d["item_title"], text=d["text"],
            kind=d["kind"], parents=tuple(d.get("parents", ())), order=d.get("order", 0),
            chunk_id=d.get("chunk_id", ""),
        )


@dataclass(frozen=True)
class Region:
    """The jurisdiction a plan covers: `永川区` (区县) inside `重庆市`."""

    name: str
    level: str  # 省级 | 地级 | 县级
    parent: str | None = None


@dataclass
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
    provenance: dict[str, str] = field(default_factory=dict)
    read_as: str = ""
    sha256: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PlanMeta":
        d = dict(d)
        if d.get("region"):
            d["region"] = Region(**d["region"])
        return cls(**d)


@dataclass(frozen=True)
class Hit:
    """A clause found for a query, with the ranks that put it there (None: not in that list's candidates)."""

    rank: int
    plan_id: str
    item_path: str
    item_title: str
    text: str
    chunk_id: str
    score: float
    lexical_rank: int | None
    dense_rank: int | None
    kind: str = "item"
    parents: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["parents"] = list(self.parents)
        return d
