"""The plan library: raw documents + manifests in the corpus folder, parsed plans in the data directory.

corpus/<plan_id>.<ext>  the document as received (never modified)
corpus/<plan_id>.json   its manifest: plan_id, file, region, optional `fill` / `override` metadata
<home>/library/<plan_id>/{meta.json, clauses.jsonl, cleaned.txt, dropped.jsonl}   derived, rebuildable

A plan's parsed folder is written beside the old one and swapped in only when complete, so a failed or
interrupted ingest leaves what was ingested before untouched.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import BadInputError, IngestError, NotBuiltError, NotFoundError
from ..files import atomic_dir, file_sha256, read_json, read_jsonl, recover, write_json, write_jsonl
from ..fingerprint import PROGRAM
from ..itempath import path_within
from ..regions import load_gazetteer
from ..settings import Settings
from ..types import Clause, PlanMeta, Region
from ..writer import is_held, one_writer
from .identity import derive_plan_id, find_region, region_of
from .metadata import build_meta
from .noise import Dropped
from .readers import SUPPORTED_SUFFIXES, read_document
from .structure import ParsedDocument, parse_document

PLAN_ID = re.compile(r"^[a-z]+(?:-[a-z0-9]+)*-\d{4}$")


@dataclass
class IngestResult:
    meta: PlanMeta
    doc: ParsedDocument

    def summary(self) -> str:
        n = len(self.doc.clauses)
        line = (f"ingested {self.meta.plan_id}: {n} clauses ({self.doc.shape}), {len(self.doc.dropped)} lines set "
                f"aside (see `policyqa show {self.meta.plan_id} --dropped`)")
        if self.meta.title:
            line += f" — {self.meta.title}"
        return line


def _documents_in(path: Path) -> list[Path]:
    """A file as given; a folder's supported, visible files in name order."""
    if not path.is_dir():
        return [path]
    return sorted(f for f in path.iterdir()
                  if f.is_file() and not f.name.startswith(".") and f.suffix.lower() in SUPPORTED_SUFFIXES)


class Library:
    """Reads and writes the parsed library for one Settings. `progress`, when given, is told how a long
    document's parsing goes (`rag.console.progress` prints it on standard error)."""

    def __init__(self, settings: Settings, progress: Callable[[str], None] | None = None):
        self.settings = settings
        self.progress = progress

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
        read = read_document(path)
        doc = parse_document(read.text, plan_id, str(path), wrapped=path.suffix.lower() == ".pdf",
                             set_aside=read.set_aside, progress=self.progress)
        meta = build_meta(plan_id, manifest.get("file", path.name), doc, manifest, read.read_as, file_sha256(path),
                          read.header)
        return IngestResult(meta, doc)

    def parse_key(self, path: Path, manifest: dict[str, Any]) -> str | None:
        """What a parse of this document depends on: the file's bytes, its manifest, this program (None when the
        file cannot be read: parsing it says why)."""
        try:
            content = file_sha256(path)
        except OSError:
            return None
        identity = json.dumps(manifest, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(f"{PROGRAM}\0{content}\0{identity}".encode()).hexdigest()

    def stored(self, plan_id: str, key: str | None) -> tuple[PlanMeta, list[Clause]] | None:
        """The plan's stored parse when it was made from the same key (a build then need not parse it again)."""
        folder = self.settings.library_dir / plan_id
        try:
            meta = read_json(folder / "meta.json")
            if key is None or meta.get("parse_key") != key:
                return None
            clauses = [Clause.from_dict(d) for d in read_jsonl(folder / "clauses.jsonl")]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return (PlanMeta.from_dict(meta), clauses) if len(clauses) == meta.get("clause_count") else None

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

    def ingest_paths(self, paths: list[Path], plan_id: str | None = None,
                     region: str | None = None) -> tuple[list[IngestResult], list[IngestError]]:
        """Add documents (files, or every supported file in a folder); a refused one does not stop the others
        and nothing already in the library changes for it."""
        files = [f for p in paths for f in _documents_in(p)]
        if plan_id and len(files) > 1:
            raise BadInputError("--plan-id names one plan: give it with a single file")
        results, errors = [], []
        for path in files:
            try:
                results.append(self.ingest_path(path, plan_id=plan_id, region=region))
            except IngestError as exc:
                errors.append(exc)
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
        provisional, plan_id, where = self.suggest(path, plan_id, region)
        meta = provisional.meta
        existing = self.manifest(plan_id)
        target = self.settings.corpus / f"{plan_id}{path.suffix.lower()}"
        if existing and (self.settings.corpus / existing["file"]).exists() \
                and file_sha256(self.settings.corpus / existing["file"]) != meta.sha256:
            raise IngestError(name, f"plan id {plan_id} is already used by {existing['file']}; "
                                    "pass --plan-id to add this document under another id")
        manifest = existing or {
            "plan_id": plan_id,
            "file": target.name,
            "region": {"name": where.name, "level": where.level, "parent": where.parent} if where else None,
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

    def suggest(self, path: Path, plan_id: str | None = None,
                region: str | None = None) -> tuple[IngestResult, str, Region | None]:
        """A document parsed as it would be added, nothing stored: (the parse, its plan id — the one given, or
        derived from its title, region and year —, its region — the one given, or found in the document)."""
        name = str(path)
        if plan_id is not None and (not PLAN_ID.match(plan_id) or len(plan_id) > 80):
            raise BadInputError(f"plan id {plan_id!r} does not have the shape <region-in-pinyin>[-<topic>]-<year> "
                                "(lowercase letters, digits, hyphens; at most 80), e.g. shanghai-2022 or shanghai-5g-2025")
        provisional = self.parse(path, plan_id or "new-0000", {"file": path.name})
        meta = provisional.meta
        where = self._region(meta, region, name)
        if plan_id is None:
            self._refuse_same_title(meta, name)
            taken = {m["plan_id"] for m in self.manifests()}
            plan_id = derive_plan_id(meta.title, where, (meta.period, meta.issued_on, meta.published), taken, name)
        return provisional, plan_id, where

    def remove(self, plan_id: str, keep: Path) -> list[Path]:
        """Take a plan out of the library: its document and manifest are moved into the folder `keep` (nothing a
        user gave is deleted), its parsed folder is dropped. Returns the moved files."""
        manifest = self.manifest(plan_id)
        if manifest is None:
            raise NotFoundError(f"no plan {plan_id!r} in the library")
        keep.mkdir(parents=True, exist_ok=True)
        moved = []
        for path in (self.settings.corpus / manifest["file"], self.settings.corpus / f"{plan_id}.json"):
            if path.exists():
                shutil.move(str(path), keep / path.name)
                moved.append(keep / path.name)
        parsed = self.settings.library_dir / plan_id
        if parsed.exists():
            gone = parsed.with_name(f".{plan_id}.removed-{os.getpid()}")
            parsed.rename(gone)
            shutil.rmtree(gone, ignore_errors=True)
        return moved

    @staticmethod
    def _region(meta: PlanMeta, given: str | None, name: str) -> Region | None:
        """The jurisdiction: `--region` resolved in the gazetteer (全国 for national), or found in the document."""
        if given:
            gaz = load_gazetteer()
            place = gaz.lookup(given) or next(iter(gaz.find(given)), None)
            if place is None:
                raise BadInputError(f"unknown region {given!r}: give a Chinese province, city or county name, or 全国")
            return region_of(place, gaz)
        return find_region(meta.title or "", [*meta.issuing_bodies, meta.issuer or "", meta.publisher or ""])

    def _refuse_same_title(self, meta: PlanMeta, name: str) -> None:
        """A document whose title a plan in the library already has is a copy or a new version, not a new plan."""
        if self.manifests():
            self.ensure_built()
        for pid in self.plan_ids():
            if meta.title and self.meta(pid).title == meta.title:
                raise IngestError(name, f"the library already holds 《{meta.title}》 as {pid}; pass --plan-id with "
                                        "another id to add it as a separate plan")

    def store(self, result: IngestResult, key: str | None = None) -> None:
        """Write one plan's folder beside the old one, then swap it in. `key`: what the parse was made from
        (`parse_key`), so that a later build can take it as it is."""
        with atomic_dir(self.settings.library_dir / result.meta.plan_id) as tmp:
            meta = result.meta.to_dict()
            if key is not None:
                meta["parse_key"] = key
            meta["warnings"] = result.doc.warnings
            meta["clause_count"] = len(result.doc.clauses)
            meta["shape"] = result.doc.shape
            write_json(tmp / "meta.json", meta)
            write_jsonl(tmp / "clauses.jsonl", (c.to_dict() for c in result.doc.clauses))
            (tmp / "cleaned.txt").write_text(result.doc.cleaned_text + "\n", encoding="utf-8")
            write_jsonl(tmp / "dropped.jsonl", (d.to_dict() for d in result.doc.dropped))

    # ----- read -------------------------------------------------------------------------------------
    def plan_ids(self) -> list[str]:
        root = self.settings.library_dir
        if not root.is_dir():
            return []
        interrupted = list(root.glob(".*.old"))
        if interrupted and not is_held(self.settings.home):  # no writer at work: put the previous versions back
            for old in interrupted:
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
            with one_writer(self.settings.home, "parsing the corpus", self.settings.wait_for_writer,
                            self.progress or print):
                if self.plan_ids():  # built by another process while this one waited
                    return
                _, errors = self.ingest_corpus()
            if errors and not self.plan_ids():
                raise NotBuiltError("; ".join(str(e) for e in errors))

