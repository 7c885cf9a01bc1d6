"""Parts of index files read with `os.pread` when asked for: the bytes are copied out of the kernel's page
cache, so what a process holds does not grow with the pages its questions have touched (through a memory
mapping, every page touched stays in the process's resident memory until the kernel needs it back)."""
from __future__ import annotations

import os
from io import FileIO
from pathlib import Path
from typing import Any

import numpy as np


def read_at(file: FileIO, size: int, at: int) -> bytes:
    """Exactly `size` bytes of `file` from offset `at` (one `pread` returns at most ~2 GB on Linux)."""
    parts, got = [], 0
    while got < size:
        part = os.pread(file.fileno(), size - got, at + got)
        if not part:
            raise ValueError(f"{file.name}: {size} bytes at {at} asked for, the file ends after {got}")
        parts.append(part)
        got += len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


class NpyRows:
    """A .npy file whose rows are read when asked for — `rows[i]`, `rows[a:b]`, `rows[[i, j, …]]` give numpy
    arrays as the loaded array would — with nothing of the file held here: a few vectors per question, a term's
    postings, never the whole file (10⁶ passages' vectors are 1.5 GB, their sentences' 3.8 GB)."""

    def __init__(self, path: Path):
        self.path = path
        self._file = FileIO(path, "r")
        fmt = np.lib.format
        version = fmt.read_magic(self._file)
        header = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
        shape, fortran, dtype = header(self._file)
        if fortran or dtype.hasobject or not shape:
            raise ValueError(f"{path.name}: not an array of rows of plain numbers")
        self.shape: tuple[int, ...] = tuple(shape)
        self.dtype = dtype
        self.ndim = len(shape)
        self._offset = self._file.tell()
        self._row_shape = self.shape[1:]
        self._row_bytes = dtype.itemsize * int(np.prod(self._row_shape, dtype=np.int64))
        expected = self._offset + self.shape[0] * self._row_bytes
        if os.fstat(self._file.fileno()).st_size != expected:
            raise ValueError(f"{path.name}: {os.fstat(self._file.fileno()).st_size} bytes, its header says {expected}")

    def __len__(self) -> int:
        return self.shape[0]

    def _run(self, start: int, count: int) -> np.ndarray:
        data = read_at(self._file, count * self._row_bytes, self._offset + start * self._row_bytes)
        return np.frombuffer(data, self.dtype).reshape((count, *self._row_shape))

    def __getitem__(self, key: Any) -> np.ndarray:
        n = self.shape[0]
        if isinstance(key, slice):
            start, stop, step = key.indices(n)
            if step == 1:
                return self._run(start, max(0, stop - start)).copy()
            key = np.arange(start, stop, step)
        if isinstance(key, (int, np.integer)):
            i = int(key) + (n if int(key) < 0 else 0)
            if not 0 <= i < n:
                raise IndexError(f"row {int(key)} of {n}")
            return self._run(i, 1)[0].copy()
        rows = np.asarray(key)
        if rows.dtype == bool or rows.ndim != 1 or (len(rows) and rows.dtype.kind not in "iu"):
            raise TypeError(f"{self.path.name}: rows are read by position (an int, a slice or a list of ints)")
        rows = np.where(rows < 0, rows + n, rows).astype(np.int64)
        if len(rows) and (rows.min() < 0 or rows.max() >= n):
            raise IndexError(f"rows out of 0..{n - 1}")
        out = np.empty((len(rows), *self._row_shape), self.dtype)
        # consecutive rows in one read (a clause's sentences are consecutive rows)
        cuts = np.concatenate(([0], np.flatnonzero(np.diff(rows) != 1) + 1, [len(rows)])) if len(rows) else rows
        for a, b in zip(cuts[:-1], cuts[1:]):
            out[a:b] = self._run(int(rows[a]), int(b - a))
        return out
