"""Plain-file helpers used by every stage: JSON/JSONL, checksums, and folders swapped in atomically.

A derived folder (a parsed plan, the search index, the materialised model) is written beside the live one
and swapped in only when complete, so a crash or a bad input leaves the previous version in place.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def read_jsonl(path: Path) -> list[Any]:
    """Every non-blank line of a JSONL file, parsed."""
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path: Path, rows: Iterable[Any]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(path: Path, obj: Any, indent: int | None = 2) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=indent) + ("\n" if indent else ""),
                    encoding="utf-8")


def file_sha256(path: Path) -> str:
    """sha256 of a file, read in chunks so large model files do not load into memory."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _old(final: Path) -> Path:
    return final.with_name(f".{final.name}.old")


def recover(final: Path) -> Path:
    """`final`, after undoing a swap that a crash interrupted (the previous version put back)."""
    old = _old(final)
    if not final.exists() and old.exists():
        old.rename(final)
    return final


def is_stale(folder: Path, name: str) -> bool:
    """A temporary folder `.<name>-<pid>-*` whose writer is no longer running (provably abandoned)."""
    pid = folder.name.removeprefix(f".{name}-").split("-", 1)[0]
    if not pid.isdigit():
        return False  # not named by this version: not provably anyone's
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # running, as another user
        return False
    return False


@contextmanager
def atomic_dir(final: Path, verify: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """Yield an empty folder beside `final`; when the block succeeds (and `verify(folder)` passes), it
    replaces `final`. On any error the folder is removed and `final` is untouched. The folder's name carries
    its writer's pid (`.<name>-<pid>-*`): folders left by a writer that is no longer running are removed first,
    never another running writer's."""
    final.parent.mkdir(parents=True, exist_ok=True)
    recover(final)
    for stale in final.parent.glob(f".{final.name}-*"):
        if is_stale(stale, final.name):
            shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}-{os.getpid()}-", dir=final.parent))
    try:
        yield tmp
        if verify is not None:
            verify(tmp)
        old = _old(final)
        if old.exists():
            shutil.rmtree(old)
        if final.exists():
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
