"""Adding and removing a plan while the server runs (the 文档管理 tab and `/api/documents`).

- preview: the uploaded file parsed as it would be added — its suggested plan id and region (from the text), its
  title, its outline — nothing stored;
- accept: the file copied into the corpus with its manifest and parsed (as `policyqa ingest`), the index brought
  up to date (only the new plan's texts are embedded; the calibration refitted), and the new index served at
  once — no restart; recorded in the documents table;
- remove: the plan's document and manifest moved to `<home>/removed/<plan_id>-<time>/` (nothing a user gave is
  deleted), its parsed folder dropped, the index rebuilt and served.
Each holds the data directory's writer lock, as the CLI's writers do.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..errors import BadInputError, IngestError
from ..ingest.library import Library
from ..ingest.readers import SUPPORTED_SUFFIXES
from ..served import Served
from ..settings import Settings
from ..writer import one_writer
from .accounts import Account
from .db import Database
from .models import Document

Progress = Callable[[str], None]


def staged(name: str, data: bytes) -> Path:
    """An uploaded file in a folder of its own, under a name of ours with the upload's suffix (never its path)."""
    suffix = Path(name or "").suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise BadInputError(f"{name!r}: a document must be one of {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    folder = Path(tempfile.mkdtemp(prefix="policyqa-upload-"))
    path = folder / f"upload{suffix}"
    path.write_bytes(data)
    return path


def _outline(result: Any) -> list[dict[str, Any]]:
    return [{"item_path": c.item_path, "item_title": c.item_title, "kind": str(c.kind), "depth": len(c.parents),
             "chars": len(c.text)} for c in result.doc.clauses]


def _shown(exc: Exception, path: Path, filename: str) -> str:
    """An error about the staged file, naming the file as the user sent it (never a path of this server)."""
    return str(exc).replace(str(path), Path(filename or path.name).name)


def preview(settings: Settings, path: Path, plan_id: str | None = None, region: str | None = None,
            filename: str = "") -> dict[str, Any]:
    try:
        result, suggested, where = Library(settings).suggest(path, plan_id or None, region or None)
    except (BadInputError, IngestError) as exc:
        raise BadInputError(_shown(exc, path, filename)) from None
    meta = result.meta
    return {"plan_id": suggested, "region": where.name if where else "", "title": meta.title,
            "issued_on": meta.issued_on, "doc_number": meta.doc_number, "clauses": len(result.doc.clauses),
            "warnings": list(result.doc.warnings), "outline": _outline(result)}


def accept(settings: Settings, served: Served, db: Database, account: Account | None, path: Path, filename: str,
           plan_id: str | None, region: str | None, progress: Progress = lambda _: None) -> dict[str, Any]:
    """Add the document and serve it. Runs beside the answers (not on their thread: questions go on being
    answered while the index builds); another writer at work is `BusyError` at once, not a wait. If the index
    cannot be brought up to date, the document is taken out again (kept under removed/) and the library is as
    it was."""
    from ..assemble import index_and_calibrate

    settings = settings.with_(wait_for_writer=False)
    with one_writer(settings.home, "文档管理:入库", False, progress):
        progress("解析文档")
        library = Library(settings)
        try:
            result = library.ingest_path(path, plan_id or None, region or None)
        except (BadInputError, IngestError) as exc:
            raise BadInputError(_shown(exc, path, filename)) from None
        added = result.meta.plan_id
        try:
            progress("更新索引(只为新文档计算向量)")
            manifest = index_and_calibrate(settings, served.answerer.retriever.embedder, progress)
        except Exception as exc:
            library.remove(added, _kept(settings, added))
            try:  # an index that already holds the plan is brought back to the library without it
                index_and_calibrate(settings, served.answerer.retriever.embedder, progress)
            finally:
                served.reload()
            raise BadInputError(f"{Path(filename).name}: the index could not take it ({type(exc).__name__}: "
                                f"{_shown(exc, path, filename)}); the library is as it was") from None
    served.reload()
    live = added in served.answerer.corpus.plans
    with db.session() as s:
        s.add(Document(plan_id=added, filename=Path(filename).name[:300],
                       region=result.meta.region.name if result.meta.region else "",
                       uploaded_by=account.id if account else None, status="indexed" if live else "added"))
    return {"plan_id": added, "title": result.meta.title, "clauses": len(result.doc.clauses), "served": live,
            "index": manifest["counts"]}


def _kept(settings: Settings, plan_id: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    return settings.home / "removed" / f"{plan_id}-{stamp}"


def remove(settings: Settings, served: Served, db: Database, plan_id: str, progress: Progress = lambda _: None,
           ) -> dict[str, Any]:
    """Take a plan out (its files kept under removed/) and serve the index without it; beside the answers, and
    `BusyError` at once while another writer works."""
    from ..assemble import index_and_calibrate

    settings = settings.with_(wait_for_writer=False)
    keep = _kept(settings, plan_id)
    with one_writer(settings.home, "文档管理:删除", False, progress):
        library = Library(settings)
        if len(library.manifests()) <= 1:
            raise BadInputError("the library's last plan cannot be removed (add another first)")
        moved = library.remove(plan_id, keep)
        progress("更新索引")
        manifest = index_and_calibrate(settings, served.answerer.retriever.embedder, progress)
    served.reload()
    with db.session() as s:
        for row in s.scalars(select(Document).where(Document.plan_id == plan_id)):
            row.status = "removed"
    return {"plan_id": plan_id, "kept_in": str(keep.relative_to(settings.home)), "files": [p.name for p in moved],
            "index": manifest["counts"]}


def uploads(db: Database) -> list[dict[str, Any]]:
    with db.session() as s:
        return [{"id": d.id, "plan_id": d.plan_id, "filename": d.filename, "region": d.region, "status": d.status,
                 "uploaded_by": d.uploaded_by, "created_at": d.created_at.isoformat(timespec="seconds")}
                for d in s.scalars(select(Document).order_by(Document.id))]


def discard(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)
