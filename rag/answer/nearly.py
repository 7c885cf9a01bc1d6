"""`nearly_quoted`: the part of a phrase a question quotes slightly wrong that the plans hold."""
from __future__ import annotations

import math
import re
from collections.abc import Sequence

from ..search.corpus import CorpusView

# a quoted phrase's part the plans hold: at least this share of the phrase, and this many characters
NEAR_SHARE, MIN_NEAR = 0.5, 5


def nearly_quoted(corpus: CorpusView, phrase: str, scope: Sequence[str], top_k: int) -> str | None:
    """The longest part of a quoted Chinese phrase the plans do not hold (`“上海市科技专家库入库专家”`) that a few of
    their clauses hold verbatim (`专家库入库专家`): at least NEAR_SHARE of the phrase and MIN_NEAR characters, at
    most half of them a run a plan's title has (`上海市科技专家库的` is the title and one character: it names the
    plan)."""
    if not _CJK.search(phrase):
        return None
    texts = [c.text for c in corpus.clauses_of(scope)]
    if any(phrase in t for t in texts):
        return None
    titles = [corpus.title(pid) for pid in scope]
    for size in range(len(phrase) - 1, max(MIN_NEAR, math.ceil(NEAR_SHARE * len(phrase))) - 1, -1):
        for start in range(len(phrase) - size + 1):
            part = phrase[start:start + size]
            if 2 * max((_shared(part, t) for t in titles), default=0) > size:  # mostly a title: it names the plan
                continue
            holding = 0
            for t in texts:
                holding += part in t
                if holding > top_k:
                    break
            if 0 < holding <= top_k:
                return part
    return None


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _shared(a: str, b: str) -> int:
    """The length of the longest run of characters `a` and `b` share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] not in b:
                break
            best = j - i
    return best
