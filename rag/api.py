"""HTTP API: thin FastAPI routes over the same Answerer the CLI uses.

One index and one model per process, shared by every request; a lock serialises the CPU-bound work, so
concurrent requests are safe. Errors are JSON (`{"error": ..., "detail": ...}`) with a 4xx status for bad
input; no traceback and no file path ever reaches a client.
"""
from __future__ import annotations

import logging
import threading
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr
from starlette.exceptions import HTTPException as StarletteHTTPException

from .answer import MAX_QUESTION_CHARS, Answer, Answerer
from .errors import BadInputError, NotFoundError, PolicyQAError
from .match import MAX_FIELD_CHARS, Profile
from .types import Hit

MAX_BODY_BYTES = 64 * 1024
log = logging.getLogger("policyqa.api")


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    top_k: StrictInt = Field(default=5, ge=1, le=20)
    plans: list[StrictStr] | None = Field(default=None, max_length=50)
    history: list["HistoryTurn"] | None = Field(default=None, max_length=20)


class HistoryTurn(BaseModel):
    """An earlier turn: its question and the result object the API returned for it."""

    question: StrictStr = Field(max_length=MAX_QUESTION_CHARS)
    answer: dict[str, Any]


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    question: StrictStr = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    top_k: StrictInt = Field(default=5, ge=1, le=20)
    plans: list[StrictStr] | None = Field(default=None, max_length=50)


class MatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    region: StrictStr = Field(min_length=1, max_length=MAX_FIELD_CHARS)
    industry: StrictStr = Field(default="", max_length=MAX_FIELD_CHARS)
    size: StrictStr = Field(default="", max_length=20)
    stage: StrictStr = Field(default="", max_length=20)


class SearchResponse(BaseModel):
    id: Any = None
    query: str
    hits: list[Hit]


def _error(status: int, message: str, detail: Any = None) -> JSONResponse:
    body = {"error": message}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(status_code=status, content=body)


def turns_from(history: list[HistoryTurn] | None):
    """API history -> answer turns (only what follow-up resolution reads: question, plans and clauses cited)."""
    from .answer import Answer, Citation, Turn

    turns = []
    for turn in history or []:
        a = turn.answer
        try:
            citations = [Citation(**{k: c[k] for k in Citation.__dataclass_fields__}) for c in a.get("citations", [])]
        except (KeyError, TypeError) as exc:
            raise BadInputError(f"history: a citation is missing a field ({exc})") from exc
        turns.append(Turn(turn.question, Answer(turn.question, str(a.get("answer", "")), bool(a.get("no_answer")),
                                                citations, resolved_question=a.get("resolved_question"))))
    return turns


def create_app(answerer: Answerer, lock: threading.Lock | None = None) -> FastAPI:
    app = FastAPI(title="PolicyQA", version="1", description="Cited, extractive answers from Chinese policy plans.")
    lock = lock or threading.Lock()
    index = answerer.index

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                return _error(400, "invalid Content-Length header")
            if int(length) > MAX_BODY_BYTES:
                return _error(413, f"request body over {MAX_BODY_BYTES} bytes")
        elif request.method in ("POST", "PUT", "PATCH"):
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    return _error(413, f"request body over {MAX_BODY_BYTES} bytes")
            request._body = body  # starlette reads the cached body
        return await call_next(request)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError):
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return _error(422, "invalid request", detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, exc: NotFoundError):
        return _error(404, str(exc))

    @app.exception_handler(BadInputError)
    async def bad_input(_: Request, exc: BadInputError):
        return _error(400, str(exc))

    @app.exception_handler(PolicyQAError)
    async def failed(_: Request, exc: PolicyQAError):
        log.error("request failed: %s", exc)
        return _error(500, "the server could not answer; see its log")

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception):
        log.exception("unexpected error")
        return _error(500, "internal error")

    # the response models are the library's own dataclasses: the JSON contract is their serialisation
    @app.post("/api/ask", response_model=Answer)
    def ask(body: AskRequest) -> dict:
        with lock:
            result = answerer.answer(body.question, turns_from(body.history), top_k=body.top_k, plans=body.plans)
        return result.to_dict()

    @app.post("/api/match")
    def match(body: MatchRequest) -> dict:
        profile = Profile.parse(body.region, body.industry, body.size, body.stage)
        with lock:
            return answerer.matcher.match(profile).to_dict()

    @app.post("/api/search", response_model=SearchResponse)
    def search(body: SearchRequest) -> dict:
        with lock:
            hits = answerer.retriever.search(body.question, k=body.top_k, plans=body.plans)
        return {"id": None, "query": body.question, "hits": [h.to_dict() for h in hits]}

    @app.get("/api/plans")
    def plans() -> list[dict]:
        return [_plan_summary(m) for m in index.plans.values()]

    @app.get("/api/plans/{plan_id}")
    def plan(plan_id: str) -> dict:
        meta = index.plans.get(plan_id)
        if meta is None:
            raise NotFoundError(f"unknown plan id {plan_id!r}; known plans: {', '.join(sorted(index.plans))}")
        outline = [{"item_path": c.item_path, "item_title": c.item_title, "kind": c.kind, "parents": list(c.parents),
                    "chunk_id": c.chunk_id} for c in index.clauses if c.plan_id == plan_id]
        return {**_plan_summary(meta), "outline": outline}

    @app.get("/api/clauses/{chunk_id}")
    def clause(chunk_id: str) -> dict:
        c = index.by_id.get(chunk_id)
        if c is None:
            raise NotFoundError(f"no clause with chunk_id {chunk_id!r}")
        return {**c.to_dict(), "plan_title": answerer.titles.get(c.plan_id, c.plan_id)}

    @app.get("/health")
    def health() -> dict:
        m = index.manifest
        return {"status": "ok", "built_at": m["built_at"], "counts": m["counts"], "plans": sorted(index.plans),
                "embedding": {k: m["embedding"][k] for k in ("name", "dimension", "fingerprint")},
                "dense": m["dense"]["kind"]}

    return app


def _plan_summary(meta) -> dict:
    d = meta.to_dict()
    return {k: d[k] for k in ("plan_id", "title", "region", "issuer", "issuing_bodies", "doc_number", "issued_on",
                              "period", "source", "provenance")}


AskRequest.model_rebuild()
