"""The plan library: raw documents + manifests in the corpus folder, parsed plans in the data directory.

corpus/<plan_id>.<ext>  the document as received (never modified)
corpus/<plan_id>.json   its manifest: plan_id, file, region, optional `fill` / `override` metadata
<home>/library/<plan_id>/{meta.json, clauses.jsonl, cleaned.txt, dropped.jsonl}   derived, rebuildable

A plan's parsed folder is written beside the old one and swapped in only when complete, so a failed or
interrupted ingest leaves what was ingested before untouched.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BadInputError, IngestError, NotBuiltError, NotFoundError
from ..files import atomic_dir, file_sha256, read_json, read_jsonl, recover, write_json, write_jsonl
from ..itempath import path_within
from ..settings import Settings
from ..types import Clause, PlanMeta
from .metadata import build_meta
from .noise import Dropped
from .readers import read_document
from .structure import ParsedDocument, parse_document

PLAN_ID = re.compile(r"^[a-z]+(?:-[a-z]+)*-\d{4}$")
_ADMIN_UNIT = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:自治区|自治州|特别行政区|省|市|区|县|州|盟|旗)")
_NOT_A_PLACE = re.compile(r"促进|推进|推动|加快|关于|支持|发展|产业|元宇宙")


@dataclass
class IngestResult:
    meta: PlanMeta
    doc: ParsedDocument

    def summary(self) -> str:
        n = len(self.doc.clauses)
        line = (f"ingested {self.meta.plan_id}: {n} clauses, {len(self.doc.dropped)} lines set aside "
                f"(see `policyqa show {self.meta.plan_id} --dropped`)")
        if self.meta.title:
            line += f" — {self.meta.title}"
        return line


def region_from_title(title: str) -> str | None:
    """The most specific administrative unit a title starts with: `重庆市永川区元宇宙…` -> `永川区`."""
    units: list[str] = []
    rest = title
    while m := _ADMIN_UNIT.match(rest):
        if _NOT_A_PLACE.search(m.group(0)):
            break
        units.append(m.group(0))
        rest = rest[m.end():]
    return units[-1] if units else None


def derive_plan_id(meta_title: str | None, period: str | None, issued_on: str | None, name: str) -> str:
    """`<region-in-pinyin>-<first year>` from the title (contract shape)."""
    from pypinyin import lazy_pinyin

    region = region_from_title(meta_title or "")
    year = (period or issued_on or "")[:4]
    if not region or not year.isdigit():
        raise IngestError(name, "cannot derive a plan id (no region or year in the title); pass --plan-id")
    stem = re.sub(r"(自治区|自治州|特别行政区|省|市|区|县|州|盟|旗)$", "", region) or region
    return "".join(lazy_pinyin(stem)).lower() + "-" + year


class Library:
    """Reads and writes the parsed library for one Settings."""

    def __init__(self, settings: Settings):
        self.settings = settings

    # ----- corpus -----------------------------------------------------------------------------------
    def manifests(self) -> list[dict[str, Any]]:
        out = []
        for path in sorted(self.settings.corpus.glob("*.json")):
            manifest = read_json(path)
            if "plan_id" in manifest and "file" in manifest:
                out.append(manifest)
        return out

    def manifest(self, plan_id: str) -> dict[str, Any] | None:
        return next((m for m in self.manifests() if m["plan_id"] == plan_id), None)

    # ----- ingest -----------------------------------------------------------------------------------
    def parse(self, path: Path, plan_id: str, manifest: dict[str, Any]) -> IngestResult:
        text, read_as = read_document(path)
        doc = parse_document(text, plan_id, str(path), wrapped=path.suffix.lower() == ".pdf")
        meta = build_meta(plan_id, manifest.get("file", path.name), doc, manifest, read_as, file_sha256(path))
        return IngestResult(meta, doc)

    def ingest_corpus(self) -> tuple[list[IngestResult], list[IngestError]]:
        """(Re)parse every plan in the corpus folder; a failing document does not stop the others."""
        results, errors = [], []
        manifests = self.manifests()
        if not manifests:
            raise NotBuiltError(f"no plans in {self.settings.corpus} (each needs a <plan_id>.json manifest)")
        for manifest in manifests:
            try:
                result = self.parse(self.settings.corpus / manifest["file"], manifest["plan_id"], manifest)
            except IngestError as exc:
                errors.append(exc)
                continue
            self.store(result)
            results.append(result)
        return results, errors

    def ingest_path(self, path: Path, plan_id: str | None = None, region: str | None = None) -> IngestResult:
        """Add one document to the library: parse it, copy it into the corpus with a manifest, store it."""
        path = path.resolve()
        name = str(path)
        if path.parent == self.settings.corpus:
            known = next((m for m in self.manifests() if m["file"] == path.name), None)
            if known and (plan_id is None or plan_id == known["plan_id"]):
                result = self.parse(path, known["plan_id"], known)
                self.store(result)
                return result
        if plan_id is not None and not PLAN_ID.match(plan_id):
            raise BadInputError(f"plan id {plan_id!r} does not have the shape <region-in-pinyin>-<year>, "
                                "e.g. shanghai-2022")
        provisional = self.parse(path, plan_id or "new-0000", {"file": path.name})
        meta = provisional.meta
        if plan_id is None:
            plan_id = derive_plan_id(meta.title, meta.period, meta.issued_on, name)
        existing = self.manifest(plan_id)
        target = self.settings.corpus / f"{plan_id}{path.suffix.lower()}"
        if existing and (self.settings.corpus / existing["file"]).exists() \
                and file_sha256(self.settings.corpus / existing["file"]) != meta.sha256:
            raise IngestError(name, f"plan id {plan_id} is already used by {existing['file']}; "
                                    "pass --plan-id to add this document under another id")
        region_name = region or region_from_title(meta.title or "")
        manifest = existing or {
            "plan_id": plan_id,
            "file": target.name,
            "region": {"name": region_name, "level": "未知", "parent": None} if region_name else None,
            "added_from": path.name,
        }
        if existing is None:
            self.settings.corpus.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                shutil.copyfile(path, target)
            write_json(self.settings.corpus / f"{plan_id}.json", manifest)
        result = self.parse(self.settings.corpus / manifest["file"], plan_id, manifest)
        self.store(result)
        return result

    def store(self, result: IngestResult) -> None:
        """Write one plan's folder beside the old one, then swap it in."""
        with atomic_dir(self.settings.library_dir / result.meta.plan_id) as tmp:
            meta = result.meta.to_dict()
            meta["warnings"] = result.doc.warnings
            meta["clause_count"] = len(result.doc.clauses)
            write_json(tmp / "meta.json", meta)
            write_jsonl(tmp / "clauses.jsonl", (c.to_dict() for c in result.doc.clauses))
            (tmp / "cleaned.txt").write_text(result.doc.cleaned_text + "\n", encoding="utf-8")
            write_jsonl(tmp / "dropped.jsonl", (d.to_dict() for d in result.doc.dropped))

    # ----- read -------------------------------------------------------------------------------------
    def plan_ids(self) -> list[str]:
        root = self.settings.library_dir
        if not root.is_dir():
            return []
        for old in root.glob(".*.old"):  # an interrupted swap: put the previous version back
            recover(root / old.name[1:-4])
        return sorted(p.name for p in root.iterdir()
                      if p.is_dir() and not p.name.startswith(".") and (p / "meta.json").is_file())

    def _plan_dir(self, plan_id: str) -> Path:
        ids = self.plan_ids()
        if not ids:
            raise NotBuiltError(f"the library in {self.settings.library_dir} is empty; run `policyqa ingest`")
        if plan_id not in ids:
            raise NotFoundError(f"unknown plan id {plan_id!r}; known plans: {', '.join(ids)}")
        return self.settings.library_dir / plan_id

    def meta(self, plan_id: str) -> PlanMeta:
        d = read_json(self._plan_dir(plan_id) / "meta.json")
        d.pop("warnings", None)
        d.pop("clause_count", None)
        return PlanMeta.from_dict(d)

    def clauses(self, plan_id: str, item_path: str | None = None) -> list[Clause]:
        clauses = [Clause.from_dict(d) for d in read_jsonl(self._plan_dir(plan_id) / "clauses.jsonl")]
        if item_path:
            clauses = [c for c in clauses if path_within(c.item_path, item_path)]
            if not clauses:
                raise NotFoundError(f"{plan_id} has no clause at {item_path}; `policyqa show {plan_id}` "
                                    "lists its item paths")
        return clauses

    def dropped(self, plan_id: str) -> list[Dropped]:
        return [Dropped(d["line"], d["text"], d["reason"]) for d in read_jsonl(self._plan_dir(plan_id) / "dropped.jsonl")]

    def cleaned_text(self, plan_id: str) -> str:
        return (self._plan_dir(plan_id) / "cleaned.txt").read_text(encoding="utf-8")

    def ensure_built(self) -> None:
        """Parse the corpus when the library has never been built (first start)."""
        if not self.plan_ids():
            _, errors = self.ingest_corpus()
            if errors and not self.plan_ids():
                raise NotBuiltError("; ".join(str(e) for e in errors))

