"""The HTTP API's request and error models: every field a client sends is validated here, to the last field of
an earlier turn's citations, so the routes only ever see well-formed input; the OpenAPI document is generated
from these models, so it states exactly what is accepted (ranges, patterns, allowed values).
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr

from .limits import (
    DEFAULT_TOP_K,
    MAX_BODY_BYTES,
    MAX_FIELD_CHARS,
    MAX_HISTORY_TURNS,
    MAX_PLANS,
    MAX_QUESTION_CHARS,
    MAX_TOP_K,
    MIN_TOP_K,
)
from .match.profile import MAX_QUALIFICATIONS, SIZE_ALIASES, SIZES, STAGE_ALIASES, STAGES, qualification_names
from .types import Hit

PLAN_ID = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"  # the contract's plan ids: `jinan-2022`, `shanghai-5g-2025`
CHUNK_ID = r"^[0-9a-f]{16}$"  # rag/types.py clause_id
SOME_TEXT = r"\S"  # at least one character that is not a space


def _whole(value: Any) -> Any:
    """A JSON integer: `13` or `13.0` (JSON Schema counts both as integers); not `true`, `"13"` or `13.5`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be a whole number")
        return int(value)
    return value


def _encodable(value: str) -> str:
    """Text that is UTF-8: JSON may carry a lone surrogate (`"\\ud800"`), which no answer could echo back."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("not valid Unicode text (a lone surrogate)") from None
    return value


Text = Annotated[StrictStr, AfterValidator(_encodable)]


TopK = Annotated[int, Field(ge=MIN_TOP_K, le=MAX_TOP_K), BeforeValidator(_whole)]
Question = Annotated[Text, Field(min_length=1, max_length=MAX_QUESTION_CHARS, pattern=SOME_TEXT)]
PlanId = Annotated[StrictStr, Field(max_length=80, pattern=PLAN_ID)]


def _in(choices: list[str]) -> AfterValidator:
    """A string that must be one of `choices` (listed as the field's `enum` in the OpenAPI document)."""
    def check(value: str) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(c for c in choices if c)}")
        return value
    return AfterValidator(check)


SIZE_CHOICES = ["", *SIZES, *SIZE_ALIASES]
STAGE_CHOICES = ["", *STAGES, *STAGE_ALIASES]
QUALIFICATION_CHOICES = sorted(qualification_names())
Size = Annotated[StrictStr, Field(json_schema_extra={"enum": SIZE_CHOICES}),
                 _in(SIZE_CHOICES)]
Stage = Annotated[StrictStr, Field(json_schema_extra={"enum": STAGE_CHOICES}),
                  _in(STAGE_CHOICES)]
Qualification = Annotated[StrictStr, Field(
                                           json_schema_extra={"enum": QUALIFICATION_CHOICES}),
                          _in(QUALIFICATION_CHOICES)]


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description="where in the request: body, then the field names and list positions")
    msg: str


class ErrorBody(BaseModel):
    """Every error the API answers, whatever its status."""

    error: str = Field(description="one line saying what was wrong")
    detail: list[ErrorItem] | None = Field(default=None, description="for 422: one entry per invalid field")


_RETRY = {"Retry-After": {"description": "seconds to wait before trying again", "schema": {"type": "string"}}}
COMMON_ERRORS: dict[int | str, dict[str, Any]] = {  # what any /api route may answer
    400: {"model": ErrorBody, "description": "unusable input the schema cannot express (e.g. an unknown region)"},
    401: {"model": ErrorBody, "description": "once accounts exist: no API key, or not a valid one "
                                             "(`Authorization: Bearer <key>`)"},
    413: {"model": ErrorBody, "description": f"request body over {MAX_BODY_BYTES} bytes"},
    422: {"model": ErrorBody, "description": "a field is missing, of the wrong type or out of range"},
    429: {"model": ErrorBody, "description": "too many requests from this client", "headers": _RETRY},
    500: {"model": ErrorBody, "description": "the server could not answer (the reason is in its log)"},
    503: {"model": ErrorBody, "description": "too many requests waiting for the CPU", "headers": _RETRY},
}


class HistoryCitation(BaseModel):
    """What follow-up resolution reads of an earlier answer's citation: the clause it cites (looked up again on
    the server: a chunk id that is not in the library is refused) and its score. Other fields are ignored."""

    model_config = ConfigDict(extra="ignore")
    chunk_id: Annotated[StrictStr, Field(pattern=CHUNK_ID)]
    plan_id: PlanId | None = None
    score: float = Field(default=0.0, allow_inf_nan=False)


class HistoryAnswer(BaseModel):
    """The result object the API returned for an earlier turn; only these fields are read, the rest ignored."""

    model_config = ConfigDict(extra="ignore")
    answer: Text = Field(default="", max_length=20 * MAX_QUESTION_CHARS)
    no_answer: StrictBool = False
    citations: list[HistoryCitation] = Field(default=[], max_length=MAX_TOP_K)
    resolved_question: Annotated[Text, Field(max_length=2 * MAX_QUESTION_CHARS)] | None = None


class HistoryTurn(BaseModel):
    """An earlier turn: its question and the result object the API returned for it."""

    model_config = ConfigDict(extra="forbid")
    question: Question
    answer: HistoryAnswer


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: Question
    top_k: TopK = DEFAULT_TOP_K
    plans: list[PlanId] | None = Field(default=None, max_length=MAX_PLANS)
    history: list[HistoryTurn] | None = Field(default=None, max_length=MAX_HISTORY_TURNS)


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: Question
    top_k: TopK = DEFAULT_TOP_K
    plans: list[PlanId] | None = Field(default=None, max_length=MAX_PLANS)


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    region: Annotated[Text, Field(min_length=1, max_length=MAX_FIELD_CHARS, pattern=SOME_TEXT,
                                       description="where the company is registered: a province, city or county")]
    industry: Text = Field(default="", max_length=MAX_FIELD_CHARS)
    size: Size = ""
    stage: Stage = ""
    qualifications: list[Qualification] = Field(default=[], max_length=MAX_QUALIFICATIONS)
    not_qualifications: list[Qualification] = Field(default=[], max_length=MAX_QUALIFICATIONS)
    founded: Annotated[int, Field(ge=1900, le=date.today().year + 1), BeforeValidator(_whole)] | None = None
    on: date | None = Field(default=None, description="judge validity as of this date (default today)")
    format: Literal["json", "markdown", "docx"] = "json"


class SearchResponse(BaseModel):
    id: Any = None
    query: str
    hits: list[Hit]
