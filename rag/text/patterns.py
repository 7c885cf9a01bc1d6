"""Shapes of document facts in cleaned text: 文号, dates, issuing bodies, addressees, responsibility lines.

Ingestion reads a plan's metadata with them and the answerer recognises a sentence that states such a fact;
both take the shapes from here.
"""
from __future__ import annotations

import re

# A 文号 with its issuer's abbreviation, as a notice prints it: `川经信信安〔2023〕142号`, `永川府发[2022]22号`.
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{2,12}[〔\[【(]\d{4}[〕\]】)]\d{1,4}号")
# The bare number part, as a quote may hold it: `〔2023〕142号`.
DOC_NUMBER_SHAPE = re.compile(r"〔\d{4}〕\d+号|\[\d{4}\]\d+号")
# A date written out, anywhere in a sentence: `2023年9月12日`, `9月12日`.
DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日")
# A date alone on a line, as it closes a notice.
DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
# What an issuing or responsible body's name ends with.
BODY_SUFFIX = r"(?:政府|厅|局|委员会|委|部|办公室|办|中心|院|会|室)"
# A sentence naming a body (a signature line, `…等5部门联合印发`).
BODY = re.compile(r"(?:政府|厅|局|委员会|委|部|部门|办公室|办|中心|院|会|室)(?:$|等|联合)")
# A line that is one body's name (a notice's signature).
ORG_NAME = re.compile(rf"^[\u4e00-\u9fff()]{{3,30}}{BODY_SUFFIX}$")
# Whom a notice is addressed to: `各市(州)经济和信息化局……:`.
SALUTATION = re.compile(r"^各[^。;;]{2,}[::]$")
# Who is responsible for an item: the plans name it in `(责任单位:…)`.
OWNER = re.compile(r"责任单位")
OWNER_LINE = re.compile(r"[((]责任单位[::][^))]*[))]")


def is_owner_line(sentence: str) -> bool:
    """`(责任单位:…)`: says who is responsible, never what is done."""
    return OWNER.match(sentence.strip("(()) ")) is not None  # noqa: B005 (strips these characters)
