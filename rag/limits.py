"""Bounds on what a caller may ask, in one place: the answerer, the CLI and the API all check these."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import BadInputError

MAX_QUESTION_CHARS = 2000
# what one question may cost: only its first MAX_ANALYSED_CHARS characters are analysed, searched and embedded
# (the longest of 671 gold questions has 242); a longer question is answered from that part and says so
MAX_ANALYSED_CHARS = 300
MIN_TOP_K, MAX_TOP_K, DEFAULT_TOP_K = 1, 20, 5
MAX_FIELD_CHARS = 300  # a company profile's free-text fields (region, industry)
MAX_PLANS = 50  # plan ids in one request's filter
MAX_HISTORY_TURNS = 20
MAX_BODY_BYTES = 64 * 1024  # an HTTP request body
# One document to ingest (a text file as read; the text of a PDF or .docx). The largest real plan is ~0.1 MB;
# 20 MB is 200 times that, and a document this size parses in seconds (ingest is linear in its size).
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_BYTES = MAX_DOCUMENT_BYTES + 64 * 1024  # a document uploaded with its form fields


def check_question(text: object) -> str:
    """The question itself, or BadInputError: empty, blank or over MAX_QUESTION_CHARS."""
    if not isinstance(text, str) or not text.strip():
        raise BadInputError("the question is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise BadInputError(f"the question has {len(text)} characters; at most {MAX_QUESTION_CHARS}")
    return text


def analysed_part(text: str) -> str:
    """The part of a question that is analysed: its first MAX_ANALYSED_CHARS characters."""
    return text[:MAX_ANALYSED_CHARS]


def check_top_k(k: int) -> int:
    if not MIN_TOP_K <= k <= MAX_TOP_K:
        raise BadInputError(f"top_k must be between {MIN_TOP_K} and {MAX_TOP_K}")
    return k


def read_batch(path: str, key: str = "question") -> list[dict[str, Any]]:
    """JSONL with one {"id": ..., "question": ...} per line (other fields ignored); `key` names the field that
    must be there (`profile` for profile files)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read batch file {path}: {exc}") from exc
    rows = []
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise BadInputError(f"{path}:{no}: not a JSON object ({exc})") from exc
        if key == "question":
            if not isinstance(row, dict) or not isinstance(row.get("question"), str):
                raise BadInputError(f"{path}:{no}: expected {{\"id\": ..., \"question\": \"...\"}}")
            check_question(row["question"])
        elif not isinstance(row, dict) or not isinstance(row.get(key), dict):
            raise BadInputError(f"{path}:{no}: expected {{\"id\": ..., \"{key}\": {{...}}}}")
        rows.append(row)
    return rows
