"""Facts about a plan stated in its own text: title, 文号, issuing bodies, date, period.

The per-plan manifest in `corpus/` only fills what the text does not state (`fill`) or corrects it
(`override`); `PlanMeta.provenance` records which source each fact came from.
"""
from __future__ import annotations

import re
from typing import Any

from ..text.patterns import DATE_LINE, DOC_NUMBER, ORG_NAME
from ..types import PlanMeta, Region
from .structure import ParsedDocument

_NOTICE_TITLE = re.compile(r"关于印发《?(.+?)》?的通知")
_PLAN_IN_QUOTES = re.compile(r"《([^《》]{4,60}?(?:计划|规划|方案|意见|办法|措施|纲要|细则)(?:\([^()]*\))?)》")
_ANNEX_PREFIX = re.compile(r"^附(?:件\d*)?[::]?")
_DATE_ISSUED = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日[^。]{0,30}印发")
_NOTICE_BODY = re.compile(r"印发给你们|现印发|现予印发")
_JOINT_ISSUE = re.compile(r"([\u4e00-\u9fff]{2,30}等\d+(?:个)?部门)联合印发")
PERIOD = re.compile(r"\((\d{4})\s*[-—–~至]\s*(\d{4})年?\)")
FIELDS = ("title", "issuer", "issuing_bodies", "doc_number", "issued_on", "period")


def _title(doc: ParsedDocument) -> str | None:
    for line in doc.notice + doc.news:
        m = _NOTICE_TITLE.search(line.text)
        if m:
            return m.group(1)
    if doc.title_lines:
        return _ANNEX_PREFIX.sub("", "".join(line.text for line in doc.title_lines))
    for line in doc.news + doc.notice:
        m = _PLAN_IN_QUOTES.search(line.text)
        if m:
            return m.group(1)
    return None


def _issuing_bodies(doc: ParsedDocument) -> list[str]:
    lines = [line.text for line in doc.notice]
    body_at = next((i for i, text in enumerate(lines) if _NOTICE_BODY.search(text)), None)
    if body_at is not None:
        bodies = []
        for text in lines[body_at + 1:]:
            if DATE_LINE.match(text):
                break
            if ORG_NAME.match(text):
                bodies.append(text)
        if bodies:
            return bodies
    for line in doc.news:
        m = _JOINT_ISSUE.search(line.text)
        if m:
            return [m.group(1)]
    return []


def _issued_on(doc: ParsedDocument) -> str | None:
    for line in doc.notice:
        m = DATE_LINE.match(line.text)
        if m:
            return "%s-%02d-%02d" % (m.group(1), int(m.group(2)), int(m.group(3)))
    for line in doc.news + doc.notice:
        m = _DATE_ISSUED.search(line.text)
        if m:
            return "%s-%02d-%02d" % (m.group(1), int(m.group(2)), int(m.group(3)))
    return None


def period_of(title: str | None) -> str | None:
    """`…行动计划(2023—2025年)` -> `2023-2025`."""
    m = PERIOD.search(title or "")
    return f"{m.group(1)}-{m.group(2)}" if m else None


def stated_metadata(doc: ParsedDocument) -> dict[str, Any]:
    """What the document's own text says, field by field (None where it says nothing)."""
    title = _title(doc)
    bodies = _issuing_bodies(doc)
    doc_number = next((m.group(0) for line in doc.notice + doc.news
                       if (m := DOC_NUMBER.search(line.text))), None)
    issuer = None
    if bodies:
        issuer = "、".join(bodies) if len(bodies) <= 3 else f"{bodies[0]}等{len(bodies)}部门"
    return {
        "title": title,
        "issuer": issuer,
        "issuing_bodies": bodies,
        "doc_number": doc_number,
        "issued_on": _issued_on(doc),
        "period": period_of(title),
    }


def build_meta(plan_id: str, file: str, doc: ParsedDocument, manifest: dict[str, Any],
               read_as: str, sha256: str) -> PlanMeta:
    """Merge what the text states with the manifest's `fill` (gaps only) and `override` (always)."""
    stated = stated_metadata(doc)
    fill = manifest.get("fill", {})
    override = manifest.get("override", {})
    values: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    for key in FIELDS:
        value, origin = stated.get(key), "text"
        if key in override:
            origin = "manifest override" + (f" (text says {value!r})" if value else "")
            value = override[key]
        elif not value and key in fill:
            value, origin = fill[key], "manifest"
        if key == "period" and not value:
            value = period_of(values.get("title"))
        if value:
            values[key] = value
            provenance[key] = origin
    region = manifest.get("region")
    if region:
        provenance["region"] = "manifest"
    if doc.sources:
        provenance["source"] = "text"
    return PlanMeta(
        plan_id=plan_id, file=file, region=Region(**region) if region else None,
        source=doc.sources[0] if doc.sources else None, provenance=provenance,
        read_as=read_as, sha256=sha256, **values,
    )
