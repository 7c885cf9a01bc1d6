"""The staff API: who is asking (an API key, once any account exists), their conversations, feedback, the
statistics and the log. Mounted by rag/api.py next to the answer routes, sharing their answerer and CPU thread.

Authentication is middleware (`Authenticate`): with no account configured the server is open (it is then only
served on a loopback address: `policyqa serve` refuses another host without an admin); with accounts, every /api
request needs `Authorization: Bearer <key>` (401 without a valid one). Admin routes answer 403 to staff; a
conversation or turn of another user is 404.
"""
from __future__ import annotations

import copy
import logging
import time
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from ..apimodels import COMMON_ERRORS, ErrorBody, SearchRequest
from ..errors import BadInputError
from ..guards import error_response
from ..limits import MAX_HISTORY_TURNS
from ..served import CpuThread, Served
from ..writer import BusyError
from . import records
from .accounts import Account, account_for_key
from .db import Database, DatabaseError
from .export import conversation_docx, conversation_markdown
from .models import REASONS

log = logging.getLogger("policyqa.staff")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    **COMMON_ERRORS, 404: {"model": ErrorBody, "description": "no such conversation or turn of yours"}}
_ADMIN = {**AUTH_ERRORS, 403: {"model": ErrorBody, "description": "for admins only"}}


class Authenticate:
    """Who a request to /api is from: `scope["state"]["account"]` (None while no account exists)."""

    def __init__(self, app: ASGIApp, db: Database, prefixes: tuple[str, ...] = ("/api/",)):
        self.app = app
        self.db = db
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        header = Headers(scope=scope).get("authorization", "")
        key = header[7:].strip() if header[:7].lower() == "bearer " else ""
        try:
            account = await anyio.to_thread.run_sync(self._account, key)
        except DatabaseError as exc:  # the accounts cannot be read: refuse, and say it is on our side
            log.error("authentication: %s", exc)
            await error_response(503, "the account database is unavailable; try again shortly",
                                 headers={"Retry-After": "5"})(scope, receive, send)
            return
        if account is False:
            reply = error_response(401, "an API key is needed: `Authorization: Bearer <key>` "
                                        "(`policyqa keys create --user NAME`)", headers={"WWW-Authenticate": "Bearer"})
            await reply(scope, receive, send)
            return
        scope.setdefault("state", {})["account"] = account
        await self.app(scope, receive, send)

    def _account(self, key: str) -> Account | None | bool:
        if not self.db.has_users():
            return None  # open: no accounts configured
        return (account_for_key(self.db, key) if key else None) or False


def account_of(request: Request) -> Account | None:
    return getattr(request.state, "account", None)


def admin_of(request: Request) -> Account | None:
    account = account_of(request)
    if account is not None and not account.admin:
        raise Forbidden()
    return account


class Forbidden(Exception):
    """A staff key on an admin route (or no account where one is needed: the message says)."""

    def __init__(self, message: str = "for admins only"):
        super().__init__(message)


Admin = Annotated[Account | None, Depends(admin_of)]


class NewConversation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(default="", max_length=200)


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    turn_id: int = Field(ge=1)
    rating: Literal["up", "down"]
    reason: Literal[REASONS] | None = None  # type: ignore[valid-type]  # (the tuple's values)
    chunk_id: str | None = Field(default=None, max_length=32, description="the clause that should have answered")
    comment: str = Field(default="", max_length=2000)


def add_staff_routes(router: Any, served: Served, cpu: CpuThread, db: Database) -> None:
    """The routes, on the app itself (an included APIRouter would hide them from the 405 guard's route table)."""

    @router.get("/api/me", responses=AUTH_ERRORS)
    def me(request: Request) -> dict[str, Any]:
        """Who this key belongs to (`open`: no accounts configured, this server is open on its own machine)."""
        account = account_of(request)
        return {"open": True} if account is None else {"open": False, "name": account.name, "role": account.role}

    @router.post("/api/conversations", status_code=201, responses=AUTH_ERRORS)
    def create(body: NewConversation, request: Request) -> dict[str, Any]:
        return records.new_conversation(db, account_of(request), body.title)

    @router.get("/api/conversations", responses=AUTH_ERRORS)
    def listed(request: Request) -> list[dict[str, Any]]:
        """Your conversations, the most recent first (staff see only their own)."""
        return records.conversations(db, account_of(request))

    @router.get("/api/conversations/{conversation_id}", responses=AUTH_ERRORS)
    def read(conversation_id: str, request: Request) -> dict[str, Any]:
        return records.conversation(db, account_of(request), conversation_id)

    @router.post("/api/conversations/{conversation_id}/ask", responses=AUTH_ERRORS)
    def ask(conversation_id: str, body: SearchRequest, request: Request) -> dict[str, Any]:
        """Answer in this conversation, with its earlier turns as context (a follow-up question), and save it.
        (The body is a search's: question, top_k, plans — the history is the conversation's own.)"""
        account = account_of(request)
        saved = records.conversation(db, account, conversation_id, last=MAX_HISTORY_TURNS)
        answerer = served.answerer
        started = time.perf_counter()
        result = cpu.run(answerer.answer, body.question, records.as_turns(saved), top_k=body.top_k, plans=body.plans)
        latency = round((time.perf_counter() - started) * 1000, 1)
        answer = result.to_dict()
        turn_id = records.add_turn(db, account, conversation_id, body.question, answer, latency)
        return {"turn_id": turn_id, "conversation_id": conversation_id, **answer}

    @router.get("/api/conversations/{conversation_id}/export", response_model=None, responses={
        **AUTH_ERRORS, 200: {"description": "the conversation with every quote, plan, item path and chunk id",
                       "content": {"text/markdown": {"schema": {"type": "string"}},
                                   DOCX: {"schema": {"type": "string", "format": "binary"}}}}})
    def export(conversation_id: str, request: Request, format: Literal["markdown", "docx"] = "markdown") -> Response:
        saved = records.conversation(db, account_of(request), conversation_id)
        name = f"conversation-{conversation_id}"
        if format == "docx":
            return Response(conversation_docx(saved), media_type=DOCX,
                            headers={"Content-Disposition": f"attachment; filename={name}.docx"})
        return Response(conversation_markdown(saved), media_type="text/markdown; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename={name}.md"})

    @router.post("/api/feedback", status_code=201, responses=AUTH_ERRORS)
    def give_feedback(body: FeedbackIn, request: Request) -> dict[str, Any]:
        """👍 or 👎 on one of your answers; a 👎 can say what was wrong and which clause should have answered."""
        clause = None
        if body.chunk_id:
            clause = served.answerer.corpus.clause(body.chunk_id)
            if clause is None:
                raise BadInputError(f"no clause with chunk_id {body.chunk_id!r} in this library")
        return records.add_feedback(db, account_of(request), body.turn_id, body.rating, body.reason, clause,
                                    body.comment)

    @router.get("/api/feedback", responses=_ADMIN)
    def feedback_list(_: Admin) -> list[dict[str, Any]]:
        return records.feedback(db)

    @router.get("/api/stats", response_model=None, responses={**_ADMIN, 200: {
        "description": "the statistics (JSON), or the log as CSV (`format=csv`)",
        "content": {"application/json": {}, "text/csv": {"schema": {"type": "string"}}}}})
    def stats(_: Admin, format: Literal["json", "csv"] = "json") -> Any:
        """Questions per day, no-answer share, latency p50/p95, the 👎 list, the most asked unanswered questions
        (grouped by meaning) and the latest 200 questions (who, when); `format=csv`: the log as CSV."""
        result = cpu.run(records.stats, db, served.answerer.retriever.embed_query)
        if format == "csv":
            return Response(records.log_csv(result["log"]), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": "attachment; filename=policyqa-log.csv"})
        return result


def install(app: Any, served: Served, cpu: CpuThread, db: Database) -> Any:
    """Mount the staff routes and their error handler on the API app. Its OpenAPI document says what the server
    does now: once accounts exist, every /api operation requires the bearer key; while it is open, none does."""
    from .docroutes import add_document_routes  # (it reads this module's names)

    add_staff_routes(app, served, cpu, db)
    add_document_routes(app, served, db)
    plain = app.openapi
    secured: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        schema: dict[str, Any] = plain()  # (FastAPI's own, made once)
        if not db.has_users():
            return schema
        if not secured:
            doc = copy.deepcopy(schema)
            doc.setdefault("components", {})["securitySchemes"] = {"apiKey": {
                "type": "http", "scheme": "bearer", "description": "`policyqa keys create --user NAME`"}}
            for path, operations in doc["paths"].items():
                for operation in operations.values() if path.startswith("/api/") else ():
                    operation["security"] = [{"apiKey": []}]
            secured.update(doc)
        return secured

    app.openapi = openapi

    @app.exception_handler(Forbidden)
    async def forbidden(_: Request, exc: Forbidden) -> Any:
        return error_response(403, str(exc))

    @app.exception_handler(BusyError)
    async def busy(_: Request, __: BusyError) -> Any:
        return error_response(409, "another writer (an index build or an ingest) is at work on the library; "
                                   "try again when it finishes")

    return app


__all__ = ["Authenticate", "install"]
