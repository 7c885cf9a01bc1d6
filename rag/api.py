"""HTTP API: thin FastAPI routes over the same Answerer the CLI uses.

One index and one model per process, shared by every request; a lock serialises the CPU-bound work, so
concurrent requests are safe. Errors are JSON (`{"error": ..., "detail": ...}`) with a 4xx status for bad
input; no traceback and no file path ever reaches a client.
"""
from __future__ import annotations

import logging
import threading
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .answer.answerer import Answerer
from .errors import BadInputError, NotFoundError, PolicyQAError
from .limits import (
    DEFAULT_TOP_K,
    MAX_BODY_BYTES,
    MAX_CHOICE_CHARS,
    MAX_FIELD_CHARS,
    MAX_HISTORY_TURNS,
    MAX_PLANS,
    MAX_QUESTION_CHARS,
    MAX_TOP_K,
    MIN_TOP_K,
)
from .match.profile import Profile
from .match.report import render_docx, render_markdown
from .types import Answer, Hit, PlanMeta, Turn

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

log = logging.getLogger("policyqa.api")


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    top_k: StrictInt = Field(default=DEFAULT_TOP_K, ge=MIN_TOP_K, le=MAX_TOP_K)
    plans: list[StrictStr] | None = Field(default=None, max_length=MAX_PLANS)
    history: list["HistoryTurn"] | None = Field(default=None, max_length=MAX_HISTORY_TURNS)


class HistoryTurn(BaseModel):
    """An earlier turn: its question and the result object the API returned for it."""

    question: StrictStr = Field(max_length=MAX_QUESTION_CHARS)
    answer: dict[str, Any]


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    top_k: StrictInt = Field(default=DEFAULT_TOP_K, ge=MIN_TOP_K, le=MAX_TOP_K)
    plans: list[StrictStr] | None = Field(default=None, max_length=MAX_PLANS)


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    region: StrictStr = Field(min_length=1, max_length=MAX_FIELD_CHARS)
    industry: StrictStr = Field(default="", max_length=MAX_FIELD_CHARS)
    size: StrictStr = Field(default="", max_length=MAX_CHOICE_CHARS)
    stage: StrictStr = Field(default="", max_length=MAX_CHOICE_CHARS)
    qualifications: list[Annotated[StrictStr, Field(max_length=MAX_CHOICE_CHARS)]] = Field(default=[], max_length=20)
    not_qualifications: list[Annotated[StrictStr, Field(max_length=MAX_CHOICE_CHARS)]] = Field(default=[],
                                                                                               max_length=20)
    founded: StrictInt | None = None
    on: date | None = None  # judge validity as of this date (default today)
    format: Literal["json", "markdown", "docx"] = "json"


class SearchResponse(BaseModel):
    id: Any = None
    query: str
    hits: list[Hit]


def _error(status: int, message: str, detail: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(status_code=status, content=body)


# what follow-up resolution reads of an earlier result: its text, the clauses it cited, its rewritten question
_HISTORY_FIELDS = ("citations", "resolved_question")


def turns_from(history: list[HistoryTurn] | None) -> list[Turn]:
    """API history -> answer turns (only what follow-up resolution reads: question, plans and clauses cited)."""
    turns = []
    for turn in history or []:
        a = turn.answer
        kept = {k: a[k] for k in _HISTORY_FIELDS if k in a}
        try:
            answer = Answer.from_dict({**kept, "question": turn.question, "answer": str(a.get("answer", "")),
                                       "no_answer": bool(a.get("no_answer"))})
        except (KeyError, TypeError) as exc:
            raise BadInputError(f"history: a citation is missing a field ({exc})") from exc
        turns.append(Turn(turn.question, answer))
    return turns


class BodyLimit:
    """ASGI middleware: a body over `limit` bytes gets 413 before anything parses it — by its Content-Length,
    or, when there is none, by counting the streamed chunks (then replayed to the app)."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        too_big = _error(413, f"request body over {self.limit} bytes")
        if length is not None:
            if not length.isdigit():
                await _error(400, "invalid Content-Length header")(scope, receive, send)
            elif int(length) > self.limit:
                await too_big(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.limit:
                await too_big(scope, receive, send)
                return
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


def create_app(answerer: Answerer, lock: threading.Lock | None = None) -> FastAPI:
    app = FastAPI(title="PolicyQA", version="1", description="Cited, extractive answers from Chinese policy plans.")
    lock = lock or threading.Lock()
    corpus = answerer.corpus

    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return _error(422, "invalid request", detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return _error(404, str(exc))

    @app.exception_handler(BadInputError)
    async def bad_input(_: Request, exc: BadInputError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(PolicyQAError)
    async def failed(_: Request, exc: PolicyQAError) -> JSONResponse:
        log.error("request failed: %s", exc)
        return _error(500, "the server could not answer; see its log")

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return _error(500, "internal error")

    # the response models are the library's own dataclasses: the JSON contract is their serialisation
    @app.post("/api/ask", response_model=Answer)
    def ask(body: AskRequest) -> dict[str, Any]:
        with lock:
            result = answerer.answer(body.question, turns_from(body.history), top_k=body.top_k, plans=body.plans)
        return result.to_dict()

    @app.post("/api/match", response_model=None)
    def match(body: MatchRequest) -> dict[str, Any] | Response:
        profile = Profile.parse(body.region, body.industry, body.size, body.stage, body.qualifications,
                                body.not_qualifications, body.founded)
        with lock:
            result = answerer.matcher.match(profile, on=body.on)
        if body.format == "markdown":
            return Response(render_markdown(result), media_type="text/markdown; charset=utf-8",
                            headers={"Content-Disposition": "attachment; filename=match.md"})
        if body.format == "docx":
            return Response(render_docx(result), media_type=DOCX,
                            headers={"Content-Disposition": "attachment; filename=match.docx"})
        return result.to_dict()

    @app.post("/api/search", response_model=SearchResponse)
    def search(body: SearchRequest) -> dict[str, Any]:
        with lock:
            hits = answerer.retriever.search(body.question, k=body.top_k, plans=body.plans)
        return {"id": None, "query": body.question, "hits": [h.to_dict() for h in hits]}

    @app.get("/api/plans")
    def plans() -> list[dict[str, Any]]:
        return [_plan_summary(m) for m in corpus.plans.values()]

    @app.get("/api/plans/{plan_id}")
    def plan(plan_id: str) -> dict[str, Any]:
        meta = corpus.plans.get(plan_id)
        if meta is None:
            raise NotFoundError(f"unknown plan id {plan_id!r}; known plans: {', '.join(sorted(corpus.plans))}")
        outline = [{"item_path": c.item_path, "item_title": c.item_title, "kind": str(c.kind),
                    "parents": list(c.parents), "chunk_id": c.chunk_id} for c in corpus.clauses if c.plan_id == plan_id]
        return {**_plan_summary(meta), "outline": outline}

    @app.get("/api/clauses/{chunk_id}")
    def clause(chunk_id: str) -> dict[str, Any]:
        c = corpus.clause(chunk_id)
        if c is None:
            raise NotFoundError(f"no clause with chunk_id {chunk_id!r}")
        return {**c.to_dict(), "plan_title": corpus.title(c.plan_id)}

    @app.get("/health")
    def health() -> dict[str, Any]:
        m = corpus.manifest
        return {"status": "ok", "built_at": m["built_at"], "counts": m["counts"], "plans": sorted(corpus.plans),
                "embedding": {k: m["embedding"][k] for k in ("name", "dimension", "fingerprint")},
                "dense": m["dense"]["kind"]}

    return app


def _plan_summary(meta: PlanMeta) -> dict[str, Any]:
    d = meta.to_dict()
    return {k: d[k] for k in ("plan_id", "title", "region", "issuer", "issuing_bodies", "doc_number", "issued_on",
                              "period", "source", "provenance")}


AskRequest.model_rebuild()
