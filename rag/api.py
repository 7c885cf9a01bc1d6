"""HTTP API: thin FastAPI routes over the same Answerer the CLI uses.

One index and one model per process, shared by every request; the CPU-bound work runs on one thread in turn
(`CpuThread`), so concurrent requests are safe. Every input is validated by its model (rag/apimodels.py) before a route runs;
errors are one JSON body (`{"error": ..., "detail": ...}`) with the status the OpenAPI document declares for
them; no traceback and no file path ever reaches a client. Middleware (rag/guards.py) bounds what a request may
cost: body size, rate per client, requests waiting for the CPU. A newly built index is picked up while serving
(rag/served.py).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Route

from .answer.answerer import Answerer
from .apimodels import COMMON_ERRORS, AskRequest, ErrorBody, HistoryTurn, MatchRequest, SearchRequest, SearchResponse
from .errors import BadInputError, NotFoundError, PolicyQAError
from .guards import Admission, BodyLimit, MethodGuard, error_response, is_loopback
from .limits import MAX_BODY_BYTES, MAX_UPLOAD_BYTES, analysed_part
from .match.profile import Profile
from .match.report import render_docx, render_markdown
from .search.corpus import CorpusView
from .served import CpuThread, Served
from .settings import Settings
from .staff.db import Database
from .staff.records import log_query
from .staff.routes import Authenticate, account_of, install
from .types import Answer, Citation, PlanMeta, Turn

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

log = logging.getLogger("policyqa.api")

_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "no such plan or clause"}}
_LOOPBACK = "the reload is for the machine the server runs on"


def turns_from(history: list[HistoryTurn] | None, corpus: CorpusView) -> list[Turn]:
    """API history -> answer turns. Only the clauses an earlier answer cited are read from it, and each is looked
    up in the library again (its plan, path and text come from there); a chunk id the library does not have is
    refused (422) — a client's history is never trusted."""
    turns = []
    errors = []
    for i, turn in enumerate(history or []):
        citations = []
        for j, cited in enumerate(turn.answer.citations):
            clause = corpus.clause(cited.chunk_id)
            if clause is None or (cited.plan_id is not None and cited.plan_id != clause.plan_id):
                errors.append({"type": "value_error", "loc": ("body", "history", i, "answer", "citations", j, "chunk_id"),
                               "msg": "not a clause of this library (from an answer of another index?)",
                               "input": cited.chunk_id})
                continue
            citations.append(Citation(n=j + 1, plan_id=clause.plan_id, item_path=clause.item_path,
                                      item_title=clause.item_title, chunk_id=clause.chunk_id,
                                      plan_title=corpus.title(clause.plan_id), quote="", context=clause.text,
                                      score=cited.score))
        answer = Answer(question=turn.question, answer=turn.answer.answer, no_answer=turn.answer.no_answer,
                        citations=tuple(citations), resolved_question=turn.answer.resolved_question)
        turns.append(Turn(turn.question, answer))
    if errors:
        raise RequestValidationError(errors)
    return turns


def create_app(served: Served | Answerer, cpu: CpuThread | None = None,
               settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    """The API over `served` (an Answerer is wrapped as one that never reloads). `settings` bring the serving
    limits (rate per client, wait queue, API keys); without them nothing is limited but the body size. `db`: the
    staff database (rag/staff) — accounts, keys, conversations, feedback, the query log; without it the API is
    open and keeps nothing."""
    served = served if isinstance(served, Served) else Served(served)
    # (no ReDoc page: its script loads its logo from a CDN)
    app = FastAPIOffline(title="PolicyQA", version="1", redoc_url=None,
                         description="Cited, extractive answers from Chinese policy plans. Every error is an "
                                     "`ErrorBody`; 429 and 503 say when to retry in `Retry-After`.")
    cpu = cpu or CpuThread()

    def api_routes() -> Iterable[tuple[re.Pattern[str], set[str]]]:
        """The app's own routes (API, /openapi.json, /docs) and their methods; the chat's mount is not one."""
        return [(r.path_regex, set(r.methods or ())) for r in app.router.routes if isinstance(r, Route)]

    app.add_middleware(MethodGuard, routes=api_routes)
    if settings is not None:
        app.add_middleware(Admission, prefixes=("/api/",), rate=settings.rate_limit, queue=settings.queue_limit,
                           keys=settings.api_keys)
    uploads = {"/api/documents": MAX_UPLOAD_BYTES, "/gradio_api/upload": MAX_UPLOAD_BYTES} if db is not None else {}
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES, larger=uploads)
    if db is not None:  # outside the body limit and the rate limit: a request is known (or refused) first
        app.add_middleware(Authenticate, db=db)
    if settings is not None and settings.cors_origins:  # outermost: a browser's preflight is answered here
        app.add_middleware(CORSMiddleware, allow_origins=sorted(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["content-type", "x-api-key", "authorization"], max_age=600)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return error_response(422, "invalid request", detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), headers=dict(exc.headers or {}))

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return error_response(404, str(exc))

    @app.exception_handler(BadInputError)
    async def bad_input(_: Request, exc: BadInputError) -> JSONResponse:
        return error_response(400, str(exc))

    @app.exception_handler(PolicyQAError)
    async def failed(_: Request, exc: PolicyQAError) -> JSONResponse:
        log.error("request failed: %s", exc)
        return error_response(500, "the server could not answer; see its log")

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_response(500, "internal error")

    # the response models are the library's own dataclasses: the JSON contract is their serialisation
    @app.post("/api/ask", response_model=Answer, responses={**COMMON_ERRORS, **_NOT_FOUND})
    def ask(body: AskRequest, request: Request) -> dict[str, Any]:
        answerer = served.answerer
        turns = turns_from(body.history, answerer.corpus)
        result = cpu.run(answerer.answer, body.question, turns, top_k=body.top_k, plans=body.plans)
        if db is not None:
            try:  # the log is best effort: an answer is never lost to it
                log_query(db, account_of(request), "ask", body.question, result.no_answer, result.latency_ms or 0.0)
            except PolicyQAError as exc:
                log.error("query not logged: %s", exc)
        return result.to_dict()

    @app.post("/api/match", response_model=None, responses={
        **COMMON_ERRORS, 200: {"description": "the measures, as JSON, Markdown or DOCX (`format`)", "content": {
            "application/json": {}, "text/markdown": {"schema": {"type": "string"}},
            DOCX: {"schema": {"type": "string", "format": "binary"}}}}})
    def match(body: MatchRequest) -> dict[str, Any] | Response:
        answerer = served.answerer
        profile = Profile.parse(body.region, body.industry, body.size, body.stage, body.qualifications,
                                body.not_qualifications, body.founded)
        result = cpu.run(answerer.matcher.match, profile, on=body.on)
        if body.format == "markdown":
            return Response(render_markdown(result), media_type="text/markdown; charset=utf-8",
                            headers={"Content-Disposition": "attachment; filename=match.md"})
        if body.format == "docx":
            return Response(render_docx(result), media_type=DOCX,
                            headers={"Content-Disposition": "attachment; filename=match.docx"})
        return result.to_dict()

    @app.post("/api/search", response_model=SearchResponse, responses={**COMMON_ERRORS, **_NOT_FOUND})
    def search(body: SearchRequest) -> dict[str, Any]:
        answerer = served.answerer
        hits = cpu.run(answerer.retriever.search, body.question, k=body.top_k, plans=body.plans)
        return {"id": None, "query": analysed_part(body.question), "hits": [h.to_dict() for h in hits]}

    @app.get("/api/plans", responses=COMMON_ERRORS)
    def plans() -> list[dict[str, Any]]:
        return [_plan_summary(m) for m in served.answerer.corpus.plans.values()]

    @app.get("/api/plans/{plan_id}", responses={**COMMON_ERRORS, **_NOT_FOUND})
    def plan(plan_id: str) -> dict[str, Any]:
        corpus = served.answerer.corpus
        meta = corpus.plans.get(plan_id)
        if meta is None:
            raise NotFoundError(f"unknown plan id {plan_id!r}; known plans: {', '.join(sorted(corpus.plans))}")
        outline = [{"item_path": c.item_path, "item_title": c.item_title, "kind": str(c.kind),
                    "parents": list(c.parents), "chunk_id": c.chunk_id} for c in corpus.clauses_of([plan_id])]
        return {**_plan_summary(meta), "outline": outline}

    @app.get("/api/clauses/{chunk_id}", responses={**COMMON_ERRORS, **_NOT_FOUND})
    def clause(chunk_id: str) -> dict[str, Any]:
        corpus = served.answerer.corpus
        c = corpus.clause(chunk_id)
        if c is None:
            raise NotFoundError(f"no clause with chunk_id {chunk_id!r}")
        return {**c.to_dict(), "plan_title": corpus.title(c.plan_id)}

    @app.post("/api/admin/reload", response_model=None,
              responses={**COMMON_ERRORS, 403: {"model": ErrorBody, "description": _LOOPBACK}})
    def reload(request: Request) -> dict[str, Any] | JSONResponse:
        """Serve the index on disk now if it is newer than the one served (the server also checks by itself
        every few seconds). Only from the server's own machine."""
        if not is_loopback(request.client.host if request.client else ""):
            return error_response(403, f"{_LOOPBACK}; call it from there")
        if (account := account_of(request)) is not None and not account.admin:
            return error_response(403, "for admins only")
        swapped = served.reload()  # (False while a writer is at work: call again when it is done)
        return {"reloaded": swapped, **served.status()}

    @app.get("/health", responses={500: COMMON_ERRORS[500]})
    def health() -> dict[str, Any]:
        """What is served: the index's build, counts and plans, and whether a newer index waits on disk."""
        corpus = served.answerer.corpus
        m = corpus.manifest
        return {"status": "ok", "built_at": m["built_at"], "counts": m["counts"], "plans": sorted(corpus.plans),
                "embedding": {k: m["embedding"][k] for k in ("name", "dimension", "fingerprint")},
                "dense": m["dense"]["kind"], "index": served.status()}

    return install(app, served, cpu, db) if db is not None else app


def _plan_summary(meta: PlanMeta) -> dict[str, Any]:
    d = meta.to_dict()
    return {k: d[k] for k in ("plan_id", "title", "region", "issuer", "issuing_bodies", "doc_number", "issued_on",
                              "period", "source", "provenance")}

