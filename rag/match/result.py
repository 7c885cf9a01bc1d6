"""What matching returns: a verdict per measure (适用 / 需确认 / 不适用) and per condition (met / unknown / not met).
`MatchResult.to_dict()` is the JSON of `policyqa match --json` and `POST /api/match`."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..types import ClauseRef


class Applicability(StrEnum):
    """A support measure's verdict for a company profile: every condition met, some not yet known, one not met."""

    APPLIES = "适用"
    CONFIRM = "需确认"
    NOT = "不适用"


class Status(StrEnum):
    """One condition of a measure against a profile. A blank profile field is UNKNOWN, never NOT_MET."""

    MET = "met"
    UNKNOWN = "unknown"
    NOT_MET = "not_met"


@dataclass(frozen=True, kw_only=True)
class Check:
    """A condition of a measure judged for a profile. `start`/`end`: its span in the clause's text (None for the
    region and the field, which the sentence need not spell out)."""

    kind: str  # region | recipient | qualification | size | stage | founded | selection | threshold | location
    #            | domain | other
    label: str
    text: str
    status: Status
    reason: str
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "text": self.text, "status": str(self.status),
                "reason": self.reason, "start": self.start, "end": self.end}


@dataclass(frozen=True, kw_only=True)
class Measure(ClauseRef):
    """A support measure (one sentence) judged for a company: the verdict, each condition, the amount, who
    handles it, whether its plan is still in force. Spans are offsets in `context` (the clause's text)."""

    applicability: Applicability
    measure_id: str
    plan_title: str
    quote: str
    quote_start: int
    quote_end: int
    context: str
    types: list[str]
    money: bool
    amount: str
    amount_span: tuple[int, int] | None
    cap: str
    rate: str
    unit: str
    unit_span: tuple[int, int] | None
    checks: list[Check]
    national: bool
    validity: dict[str, Any]
    fit: float | None
    source: str

    @property
    def region_met(self) -> bool:
        return all(c.status != Status.NOT_MET for c in self.checks if c.kind == "region")

    @property
    def why(self) -> str:
        """The verdict's reasons: the conditions not met, else those to confirm, else all met."""
        for status in (Status.NOT_MET, Status.UNKNOWN):
            found = [c.reason for c in self.checks if c.status == status]
            if found:
                return "; ".join(found)
        return "; ".join(c.reason for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {"applicability": str(self.applicability), "measure_id": self.measure_id, "plan_id": self.plan_id,
                "plan_title": self.plan_title, "item_path": self.item_path, "item_title": self.item_title,
                "chunk_id": self.chunk_id, "quote": self.quote, "quote_span": [self.quote_start, self.quote_end],
                "context": self.context, "types": list(self.types), "money": self.money, "amount": self.amount,
                "amount_span": list(self.amount_span) if self.amount_span else None, "cap": self.cap,
                "rate": self.rate, "unit": self.unit,
                "unit_span": list(self.unit_span) if self.unit_span else None,
                "checks": [c.to_dict() for c in self.checks], "national": self.national,
                "validity": dict(self.validity), "fit": self.fit, "source": self.source, "why": self.why}


@dataclass(frozen=True)
class MatchResult:
    profile: dict[str, Any]
    measures: list[Measure]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"profile": self.profile, "measures": [m.to_dict() for m in self.measures], "notes": self.notes}

    def counts(self) -> dict[Applicability, int]:
        return {k: sum(m.applicability == k for m in self.measures) for k in Applicability}
