"""Item paths, the contract's address of a clause in its plan: `二、(一)3.(1)`, `二、(三)专栏4`, `前言`.

The parser (rag/ingest/body.py) is the only place a path is made; this module reads them: split into labels,
test whether one lies inside another, names the zones outside the numbered body, and tells reported speech.
"""
from __future__ import annotations

import re

from .errors import BadInputError
from .types import Clause, ClauseKind

CN_NUM = "一二三四五六七八九十"
# Zones: text around the numbered body, each cited by its name.
PREAMBLE, NOTICE, NEWS = "前言", "印发通知", "相关报道"
ZONES = (NEWS, NOTICE, PREAMBLE)

_LABEL = re.compile(rf"[{CN_NUM}]{{1,3}}、|\([{CN_NUM}]{{1,3}}\)|\d{{1,3}}\.|\(\d{{1,3}}\)|专栏\d{{1,3}}|"
                    rf"第[{CN_NUM}百零〇]{{1,4}}[章节条]|问答\d{{1,3}}|第\d{{1,4}}段|{PREAMBLE}|{NOTICE}|{NEWS}")


def split_path(item_path: str) -> list[str]:
    """`二、(一)3.(1)` -> [`二、`, `(一)`, `3.`, `(1)`], `第二章第十条` -> [`第二章`, `第十条`]; raises
    BadInputError for text that is not a path."""
    labels = _LABEL.findall(item_path)
    if "".join(labels) != item_path:
        raise BadInputError(f"not an item path: {item_path!r} (expected labels like 二、(一)3.(1), 专栏4, "
                            "第二章第十条, 问答3 or 第4段)")
    return labels


def path_within(path: str, prefix: str) -> bool:
    """True when `path` is `prefix` or lies inside it, compared label by label (`专栏1` is not in `专栏10`)."""
    a, b = split_path(path), split_path(prefix)
    return a[: len(b)] == b


def is_qa(item_path: str) -> bool:
    """A transcript's question with the answers that follow it (`问答3`)."""
    return item_path.startswith("问答")


OPENING = "开场发言"  # the item title of a transcript's 前言: the turns before its first question


def spoken_preamble(clause: Clause) -> bool:
    """A transcript's turns before its first question (the host's opening, an official's statement): its 前言."""
    return clause.kind == ClauseKind.PREAMBLE and clause.item_title == OPENING


def reported(clause: Clause) -> bool:
    """A news report or a press conference's words (a district's official on its measures): its sentences are placed
    by the places they name, so its measures depend on the library's places (rag/match/measures.py, indexing/reuse.py)."""
    return clause.kind == ClauseKind.NEWS or is_qa(clause.item_path) or spoken_preamble(clause)


def is_zone(item_path: str) -> bool:
    return item_path in ZONES
