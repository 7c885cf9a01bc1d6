"""An index folder's JSON-lines files read in place: what a library of 10⁶ clauses can hold in memory.

A row is read from its file when it is asked for (`os.pread`, rag/indexing/reads.py: the process does not keep
the pages its questions have touched) and decoded; the last few thousand decoded rows are kept. What the answer
stages look rows up by — a clause's chunk id and plan, a passage's clause, a clause's sentence spans — is kept as
numpy columns, read once when the index opens.
"""
from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache, partial
from io import FileIO
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

import numpy as np

from ..itempath import is_qa
from ..types import Clause, ClauseKind
from .passages import Passage
from .reads import read_at

T = TypeVar("T")
CACHED = 8192  # decoded rows kept (an answer reads tens; a per-plan pass reads one plan's)
_STEP = 1 << 26  # bytes scanned at a time for line ends


def _blocks(fd: int) -> Iterator[bytes]:
    """The file open as `fd`, from its start, `_STEP` bytes at a time (read: a whole pass through a mapping would
    leave every page of it resident)."""
    at = 0
    while block := os.pread(fd, _STEP, at):
        yield block
        at += len(block)


def _lines(fd: int) -> Iterator[bytes]:
    rest = b""
    for block in _blocks(fd):
        *lines, rest = (rest + block).split(b"\n")
        yield from lines
    if rest:
        yield rest


def _decoded(file: FileIO, starts: np.ndarray, ends: np.ndarray, decode: Callable[[dict[str, Any]], T], i: int) -> T:
    start = int(starts[i])
    return decode(json.loads(read_at(file, int(ends[i]) - start, start)))


class JsonLines(Sequence[T], Generic[T]):
    """A JSON-lines file as a read-only sequence of decoded rows (one line, one row).

    The file is opened once: every later read (a row, a pass, a search) is of that file, even after an index
    swap renames another into its place; the file closes when the object and its row cache are gone."""

    def __init__(self, path: Path, decode: Callable[[dict[str, Any]], T]):
        self.path = path
        self._decode = decode
        self._file = FileIO(path, "r")
        self._fd = self._file.fileno()
        size = os.fstat(self._fd).st_size
        ends, at = [], 0
        for block in _blocks(self._fd):
            ends.append(np.flatnonzero(np.frombuffer(block, np.uint8) == 10) + at)
            at += len(block)
        self._ends = np.concatenate(ends) if ends else np.zeros(0, np.int64)
        if size and (not len(self._ends) or self._ends[-1] != size - 1):
            raise ValueError(f"{path.name} does not end with a newline")
        self._starts = np.concatenate(([0], self._ends[:-1] + 1)) if len(self._ends) else self._ends
        # (the cached function holds the file and offsets, not this object: no cycle keeps a dropped index open)
        self._row = lru_cache(maxsize=CACHED)(partial(_decoded, self._file, self._starts, self._ends, decode))

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._row(j) for j in range(*i.indices(len(self)))]
        i = int(i)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._row(i)

    def __iter__(self) -> Iterator[T]:  # a pass over every row: read in blocks, not cached
        for d in self.dicts():
            yield self._decode(d)

    def rows(self, rows: Iterable[int]) -> list[T]:
        return [self._row(int(i)) for i in rows]

    def dicts(self) -> Iterator[dict[str, Any]]:
        """Every line parsed, not decoded (to read a few fields of every row once)."""
        for line in _lines(self._fd):
            yield json.loads(line)

    def lines_holding(self, text: str) -> Iterator[int]:
        """Rows whose line holds `text` as a JSON string writes it, in order (a superset of the rows whose fields
        hold it: the caller checks the field it means). The file is read in blocks, nothing decoded."""
        # (a lone surrogate, which no UTF-8 file holds, finds nothing rather than failing)
        needle = json.dumps(text, ensure_ascii=False)[1:-1].encode("utf-8", "surrogatepass")
        if not needle:
            yield from range(len(self))
            return
        block, base, resume = b"", 0, 0  # `block` starts at file offset `base`; rows before `resume` are given
        for chunk in _blocks(self._fd):
            block += chunk
            at = block.find(needle, max(0, resume - base))
            while at >= 0:
                row = int(np.searchsorted(self._ends, base + at))
                yield row
                resume = int(self._ends[row]) + 1
                at = block.find(needle, resume - base)
            keep = min(len(block), len(needle) - 1)  # a match may straddle two blocks
            base += len(block) - keep
            block = block[len(block) - keep:] if keep else b""


class Clauses(JsonLines[Clause]):
    """clauses.jsonl: clauses by row, by chunk id and by plan."""

    def __init__(self, path: Path):
        super().__init__(path, Clause.from_dict)
        ids, plans = [], []
        qa: dict[str, bool] = {}  # a plan -> are all its items `问答N` (read in the same pass: nothing decoded)
        for d in self.dicts():
            ids.append(d["chunk_id"])
            plans.append(d["plan_id"])
            if d["kind"] == ClauseKind.ITEM:
                qa[d["plan_id"]] = qa.get(d["plan_id"], True) and is_qa(d["item_path"])
        # the transcripts: plans whose items are all `问答N` (a notice or a news report beside them aside)
        self.transcripts = frozenset(p for p, all_qa in qa.items() if all_qa)
        self.plan_ids = sorted(set(plans))
        self._code = code = {p: i for i, p in enumerate(self.plan_ids)}
        self.plan_code = np.fromiter((code[p] for p in plans), np.int32, len(plans))
        order = np.argsort(self.plan_code, kind="stable").astype(np.int32)
        bounds = np.searchsorted(self.plan_code[order], np.arange(len(self.plan_ids) + 1))
        self._of_plan = {p: order[bounds[i]:bounds[i + 1]] for i, p in enumerate(self.plan_ids)}
        self.ids = np.array([i.encode("utf-8") for i in ids], dtype="S") if ids else np.zeros(0, "S1")
        self._by_id = np.argsort(self.ids, kind="stable").astype(np.int32)  # (columns of 10⁶ rows: 4 bytes each)
        self._sorted_ids = self.ids[self._by_id]

    def row_of(self, chunk_id: str) -> int | None:
        key = chunk_id.encode("utf-8")
        at = int(np.searchsorted(self._sorted_ids, key))
        if at < len(self._sorted_ids) and self._sorted_ids[at] == key:
            return int(self._by_id[at])
        return None

    def get(self, chunk_id: str) -> Clause | None:
        row = self.row_of(chunk_id)
        return None if row is None else self._row(row)

    def of_plans(self, plan_ids: Iterable[str]) -> list[Clause]:
        """The clauses of these plans (each named once or more), in library order."""
        rows = [self._of_plan[p] for p in dict.fromkeys(plan_ids) if p in self._of_plan]
        return self.rows(np.sort(np.concatenate(rows))) if rows else []

    def holding(self, texts: Sequence[str], limit: int | None = None,
                plans: Iterable[str] | None = None) -> list[Clause]:
        """The clauses (of these plans, if given) whose text holds one of `texts` verbatim, in library order (the
        first `limit` of them). A row of another plan is not decoded."""
        rows = self.lines_holding(texts[0]) if len(texts) == 1 else \
            iter(sorted(set().union(*(self.lines_holding(t) for t in texts))))
        wanted = None if plans is None else {self._code[p] for p in plans if p in self._code}
        found: list[Clause] = []
        for row in rows:
            if limit is not None and len(found) >= limit:
                break
            if wanted is not None and int(self.plan_code[row]) not in wanted:
                continue
            clause = self._row(row)
            if any(t in clause.text for t in texts):
                found.append(clause)
        return found


class Passages(JsonLines[Passage]):
    """passages.jsonl, with each passage's plan as a column (plan filters, term statistics)."""

    def __init__(self, path: Path, clauses: Clauses):
        super().__init__(path, lambda d: Passage(**d))
        rows = [clauses.row_of(d["chunk_id"]) for d in self.dicts()]
        if any(r is None for r in rows):
            raise ValueError(f"{path.name} names a clause that clauses.jsonl does not hold")
        self.clause_row = np.asarray(rows, np.int32)
        plans = np.array(clauses.plan_ids + [""])  # (an empty library: no rows, a one-element table)
        self.plan_of = plans[clauses.plan_code[self.clause_row]] if len(rows) else np.zeros(0, plans.dtype)
        self._order = np.argsort(self.clause_row, kind="stable").astype(np.int32)
        self._sorted = self.clause_row[self._order]
        self._clauses = clauses

    def chunk_of(self, row: int) -> str:
        """The chunk id of a passage's clause (from the columns: the passage itself is not read)."""
        return self._clauses.ids[self.clause_row[row]].decode("utf-8")

    def of_clause(self, chunk_id: str) -> list[int]:
        """The rows of a clause's passages (a long clause has several)."""
        row = self._clauses.row_of(chunk_id)
        if row is None:
            return []
        a, b = np.searchsorted(self._sorted, np.array([row, row + 1], self._sorted.dtype))  # (same type: no copy)
        return [int(i) for i in self._order[a:b]]


Span = tuple[int, int, int]  # (row in sentence_vectors, start, end) of one sentence of a clause


class Sentences:
    """sentences.jsonl as columns: each clause's sentence spans, and their rows in sentence_vectors."""

    def __init__(self, path: Path, clauses: Clauses):
        fd = os.open(path, os.O_RDONLY)
        try:
            rows = [(clauses.row_of((d := json.loads(line))["chunk_id"]), d["start"], d["end"]) for line in _lines(fd)]
        finally:
            os.close(fd)
        if any(r is None for r, _, _ in rows):
            raise ValueError(f"{path.name} names a clause that clauses.jsonl does not hold")
        table = np.asarray(rows, np.int32).reshape(-1, 3)
        self._order = np.argsort(table[:, 0], kind="stable").astype(np.int32)
        self._clause = table[self._order, 0]
        self._start, self._end = table[self._order, 1], table[self._order, 2]
        self._clauses = clauses

    def __len__(self) -> int:
        return len(self._order)

    def of(self, chunk_id: str) -> list[Span]:
        row = self._clauses.row_of(chunk_id)
        if row is None:
            return []
        a, b = np.searchsorted(self._clause, np.array([row, row + 1], self._clause.dtype))
        return [(int(self._order[i]), int(self._start[i]), int(self._end[i])) for i in range(a, b)]
