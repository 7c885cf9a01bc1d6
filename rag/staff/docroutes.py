"""`/api/documents` and `/api/keys`: admin operations that change the library or the accounts. They need an
admin *account* — on an open server (no account) they answer 403: changing the library over HTTP is never
anonymous (the CLI's `policyqa ingest` / `index` remain)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import File, Form, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from ..apimodels import ErrorBody
from ..errors import BadInputError
from ..limits import MAX_DOCUMENT_BYTES
from ..served import Served
from . import documents
from .accounts import Account, create_key
from .db import Database
from .routes import AUTH_ERRORS, Forbidden, account_of

NEEDS_ADMIN = ("changing the library or the accounts needs an admin account: "
               "`policyqa users add NAME --role admin`, then a key with `policyqa keys create --user NAME`")
_ADMIN_ONLY = {**AUTH_ERRORS, 403: {"model": ErrorBody, "description": "not an admin account (or no account exists)"},
               409: {"model": ErrorBody, "description": "another writer (an index build, an ingest) is at work"}}


def admin_account(request: Request) -> Account:
    account = account_of(request)
    if account is None or not account.admin:
        raise Forbidden(NEEDS_ADMIN if account is None else "for admins only")
    return account


class NewKey(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user: str = Field(min_length=1, max_length=64)


def add_document_routes(router: Any, served: Served, db: Database) -> None:
    def settings() -> Any:
        if served.settings is None:
            raise BadInputError("this server has no data directory to add documents to")
        return served.settings

    def read(upload: UploadFile) -> Any:
        data = upload.file.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise BadInputError(f"{upload.filename!r} is over {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB")
        return documents.staged(upload.filename or "", data)

    @router.get("/api/documents", responses=_ADMIN_ONLY)
    def listed(request: Request) -> list[dict[str, Any]]:
        """The documents added through the server, with who added them and whether they are still in the library."""
        admin_account(request)
        return documents.uploads(db)

    @router.post("/api/documents/preview", responses=_ADMIN_ONLY)
    def preview(request: Request, file: Annotated[UploadFile, File()], plan_id: Annotated[str, Form()] = "",
                region: Annotated[str, Form()] = "") -> dict[str, Any]:
        """The document parsed as it would be added (nothing stored): the suggested plan id and region, its title
        and outline — check them before adding it."""
        admin_account(request)
        path = read(file)
        try:  # (parsing only: no model, so not on the answer thread)
            return documents.preview(settings(), path, plan_id or None, region or None, file.filename or "")
        finally:
            documents.discard(path)

    @router.post("/api/documents", status_code=201, responses=_ADMIN_ONLY)
    def add(request: Request, file: Annotated[UploadFile, File()], plan_id: Annotated[str, Form()] = "",
            region: Annotated[str, Form()] = "") -> dict[str, Any]:
        """Add the document to the library and the index; it answers as soon as this returns (no restart)."""
        account = admin_account(request)
        path = read(file)
        try:  # (beside the answer thread: questions are answered while the index builds)
            return documents.accept(settings(), served, db, account, path, file.filename or "", plan_id or None,
                                    region or None)
        finally:
            documents.discard(path)

    @router.delete("/api/documents/{plan_id}", responses=_ADMIN_ONLY)
    def remove(plan_id: str, request: Request,
               confirm: Annotated[str, Query(description="the plan id again")]) -> dict[str, Any]:
        """Take a plan out of the library and the index (its document is kept under `<home>/removed/`)."""
        admin_account(request)
        if confirm != plan_id:
            raise BadInputError(f"to remove {plan_id}, repeat its id: ?confirm={plan_id}")
        return documents.remove(settings(), served, db, plan_id)

    @router.post("/api/keys", status_code=201, responses=_ADMIN_ONLY)
    def new_key(body: NewKey, request: Request) -> dict[str, Any]:
        """A new API key for a user (shown once)."""
        admin_account(request)
        return {"user": body.user, "key": create_key(db, body.user)}
