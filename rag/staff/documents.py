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

from ..errors import BadInputError
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


def preview(settings: Settings, path: Path, plan_id: str | None = None, region: str | None = None) -> dict[str, Any]:
    result, suggested, where = Library(settings).suggest(path, plan_id or None, region or None)
    meta = result.meta
    return {"plan_id": suggested, "region": where.name if where else "", "title": meta.title,
            "issued_on": meta.issued_on, "doc_number": meta.doc_number, "clauses": len(result.doc.clauses),
            "warnings": list(result.doc.warnings), "outline": _outline(result)}


def accept(settings: Settings, served: Served, db: Database, account: Account | None, path: Path, filename: str,
           plan_id: str | None, region: str | None, progress: Progress = lambda _: None) -> dict[str, Any]:
    from ..assemble import index_and_calibrate

    with one_writer(settings.home, "文档管理:入库", settings.wait_for_writer, progress):
        progress("解析文档")
        result = Library(settings).ingest_path(path, plan_id or None, region or None)
        progress("更新索引(只为新文档计算向量)")
        manifest = index_and_calibrate(settings, served.answerer.retriever.embedder, progress)
    served.reload()
    with db.session() as s:
        s.add(Document(plan_id=result.meta.plan_id, filename=Path(filename).name[:300],
                       region=result.meta.region.name if result.meta.region else "",
                       uploaded_by=account.id if account else None, status="indexed"))
    return {"plan_id": result.meta.plan_id, "title": result.meta.title, "clauses": len(result.doc.clauses),
            "served": result.meta.plan_id in served.answerer.corpus.plans, "index": manifest["counts"]}


def remove(settings: Settings, served: Served, db: Database, plan_id: str, progress: Progress = lambda _: None,
           ) -> dict[str, Any]:
    from ..assemble import index_and_calibrate

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    keep = settings.home / "removed" / f"{plan_id}-{stamp}"
    with one_writer(settings.home, "文档管理:删除", settings.wait_for_writer, progress):
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
    return {"plan_id": plan_id, "kept_in": str(keep), "files": [p.name for p in moved], "index": manifest["counts"]}


def uploads(db: Database) -> list[dict[str, Any]]:
    with db.session() as s:
        return [{"id": d.id, "plan_id": d.plan_id, "filename": d.filename, "region": d.region, "status": d.status,
                 "uploaded_by": d.uploaded_by, "created_at": d.created_at.isoformat(timespec="seconds")}
                for d in s.scalars(select(Document).order_by(Document.id))]


def discard(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)
