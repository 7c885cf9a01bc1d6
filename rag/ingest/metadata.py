"""Facts about a plan stated in its own text: title, 文号, issuing bodies, date, period.

The per-plan manifest in `corpus/` only fills what the text does not state (`fill`) or corrects it
(`override`); a crawler's page header (rag/ingest/markdown.py) comes last, below both. `PlanMeta.provenance`
records which source each fact came from (`text`, `manifest`, `manifest override`, `header`).
"""
from __future__ import annotations

import re
from typing import Any

from ..errors import IngestError
from ..text.normalize import strip_space
from ..text.patterns import BODY_SUFFIX, DATE_LINE, DOC_NUMBER, ORG_NAME
from ..types import PlanMeta, Region
from .markdown import PageHeader
from .structure import TITLE_DATE, ParsedDocument

_NOTICE_TITLE = re.compile(r"关于印发《?(.+?)》?的通知")
_PLAN_IN_QUOTES = re.compile(r"《([^《》]{4,60}?(?:计划|规划|方案|意见|办法|措施|纲要|细则)(?:\([^()]*\))?)》")
_ANNEX_PREFIX = re.compile(r"^附(?:件\d*)?[::]?")
_DATE_ISSUED = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日[^。]{0,30}印发")
_NOTICE_BODY = re.compile(r"印发给你们|现印发|现予印发")
_ISSUED_IN_NOTICE = re.compile(r"现将《([^《》]{4,80})》(?:印发|发布)")
_ISSUED_AS = re.compile(r"印发了?《([^《》]{4,80})》")  # `国务院印发了《…》`, `办公厅印发《…》的通知`
_PUBLISHER = re.compile(rf"^[\u4e00-\u9fff()、]{{2,40}}(?:{BODY_SUFFIX}|国务院|中央)$")
_NOTICE_ISSUER = re.compile(r"^([\u4e00-\u9fff、 ]{2,40}?)关于印发")  # `国务院关于印发…的通知`
_NEWS_ISSUER = re.compile(r"(?:^|[,。\s])([\u4e00-\u9fff、]{2,30}?)(?:近日|日前)?印发了?《")  # `中共中央、国务院印发了《…》`
_JOINT_ISSUE = re.compile(r"([\u4e00-\u9fff]{2,30}等\d+(?:个)?部门)联合印发")
PERIOD = re.compile(r"\((\d{4})\s*[-—–~至]\s*(\d{4})年?\)")
FIELDS = ("title", "issuer", "issuing_bodies", "doc_number", "issued_on", "period")


def _title(doc: ParsedDocument, header: PageHeader) -> str | None:
    """The official title: named by the issuing notice (`关于印发《…》的通知`, `现将《…》印发给你们`), else the
    page header's file name, the document's own title lines, the page heading, a 《…》 in the news."""
    for line in doc.notice + doc.news:
        m = _NOTICE_TITLE.search(line.text)
        if m:
            return m.group(1)
    opening = "".join(line.text for line in doc.notice[:3])  # a notice title broken over two lines
    for pattern in (_NOTICE_TITLE, _ISSUED_IN_NOTICE):
        if m := pattern.search(opening):
            return m.group(1)
    if header.fields.get("title"):
        return header.fields["title"]
    if doc.title_lines:
        return _ANNEX_PREFIX.sub("", "".join(line.text for line in doc.title_lines if not TITLE_DATE.match(line.text)))
    for line in doc.news:
        if m := _ISSUED_AS.search(line.text):
            return m.group(1)
    if header.heading:
        return _heading_title(header.heading)
    for line in doc.news + doc.notice:
        m = _PLAN_IN_QUOTES.search(line.text)
        if m:
            return m.group(1)
    return None


def _heading_title(heading: str) -> str:
    """The document a page heading names: `关于印发《X》的通知` / `…办公厅印发《X》` -> X; else the heading itself."""
    m = _NOTICE_TITLE.search(heading) or _ISSUED_AS.search(heading)
    return m.group(1) if m else heading


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
    for line in doc.notice[:2]:  # the notice's title names its issuer: `国务院关于印发…`
        if m := _NOTICE_ISSUER.match(line.text):
            return [m.group(1).strip()]
    for line in doc.news:  # a report of the issuance: `中共中央、国务院印发了《…》`
        if m := _NEWS_ISSUER.search(line.text):
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
    for line in doc.title_lines:  # `(2023年1月2日)` printed under the title
        if m := TITLE_DATE.match(line.text):
            return "%s-%02d-%02d" % (m.group(1), int(m.group(2)), int(m.group(3)))
    return None


def period_of(title: str | None) -> str | None:
    """`…行动计划(2023—2025年)` -> `2023-2025`."""
    m = PERIOD.search(title or "")
    return f"{m.group(1)}-{m.group(2)}" if m else None


def stated_metadata(doc: ParsedDocument, header: PageHeader | None = None) -> dict[str, Any]:
    """What the document's own text says, field by field (None where it says nothing)."""
    title = _title(doc, header or PageHeader())
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


def names_a_body(name: str) -> bool:
    """`上海市科学技术委员会`, `工业和信息化部`, `国家互联网信息办`: a body's name, not a phrase that happens to end like
    one (`加快布局`): it starts with a place or a central body, or is a ministry."""
    from .identity import is_central, starts_with_place

    return bool(_PUBLISHER.match(name)) and (is_central(name) or starts_with_place(name))


def header_facts(header: PageHeader, warnings: list[str]) -> dict[str, str]:
    """What a page header says that can be trusted as such: a publisher that names a body, a date, a URL."""
    facts = {k: v for k, v in header.fields.items() if k in ("published", "source_url", "doc_number")}
    publisher = header.fields.get("publisher")
    if publisher and names_a_body(publisher.replace(" ", "")):
        facts["publisher"] = publisher
    elif publisher:
        warnings.append(f"the page header's publisher {publisher!r} does not name a body; not used")
    return facts


def build_meta(plan_id: str, file: str, doc: ParsedDocument, manifest: dict[str, Any],
               read_as: str, sha256: str, header: PageHeader | None = None) -> PlanMeta:
    """Merge what the text states with the manifest's `fill` (gaps only) and `override` (always), then what a
    page header says (gaps only, provenance `header`)."""
    header = header or PageHeader()
    stated = stated_metadata(doc, header)
    from_header = header_facts(header, doc.warnings)
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
        if not value and key == "doc_number" and from_header.get("doc_number"):
            value, origin = from_header["doc_number"], "header"
        if key == "title" and value and stated_title_from_header(header, value):
            origin = "header"
        if value:
            values[key] = value
            provenance[key] = origin
    named = _heading_title(header.heading or "")
    if named and values.get("title") and strip_space(named) not in strip_space(values["title"]) \
            and strip_space(values["title"]) not in strip_space(named):
        doc.warnings.append(f"the page header names 《{named}》 but the text is 《{values['title']}》; the text's "
                            "title is used (a crawler error or a typo in the header?)")
        values["page_title"] = named
        provenance["page_title"] = "header"
    for key in ("published", "publisher", "source_url"):
        if from_header.get(key):
            values[key] = from_header[key]
            provenance[key] = "header"
    region = manifest.get("region")
    if region:
        provenance["region"] = "manifest"
    aliases = manifest.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise IngestError(file, "the manifest's `aliases` must be a list of names (strings)")
    if aliases:
        values["aliases"] = [a.strip() for a in aliases]
        provenance["aliases"] = "manifest"
    if doc.sources:
        provenance["source"] = "text"
    return PlanMeta(
        plan_id=plan_id, file=file, region=Region(**region) if region else None,
        source=doc.sources[0] if doc.sources else None, provenance=provenance, group=manifest.get("group"),
        read_as=read_as, sha256=sha256, **values,
    )


def stated_title_from_header(header: PageHeader, title: str) -> bool:
    """True when the title came from the page header, not from the document's text."""
    heading = header.heading or ""
    return title == header.fields.get("title") or title == heading or f"《{title}》" in heading
