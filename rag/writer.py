"""One writer at a time on a data directory: parsing documents into the library, building the index, fitting
the calibration and materialising the model all hold `<home>/.writer.lock` (an OS file lock, released by the
OS when a writer dies). A second writer waits, saying for whom — or, with `wait=False`, stops at once naming
the holder. Readers never take it; they only read folders that were swapped in whole.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import PolicyQAError

LOCK = ".writer.lock"
HOLDER = ".writer.json"  # who holds the lock: pid, command, since (for the message a second writer sees)


class BusyError(PolicyQAError):
    """Another writer holds the data directory and the caller asked not to wait."""


def _lock(home: Path) -> FileLock:
    home.mkdir(parents=True, exist_ok=True)
    return FileLock(home / LOCK, is_singleton=True)  # the same object per path: nested holds count up


def holder(home: Path) -> str:
    """Who holds the lock, as a person reads it (`pid 123, policyqa index, since 10:02:03`)."""
    try:
        info = json.loads((home / HOLDER).read_text(encoding="utf-8"))
        return f"pid {info['pid']}, {info['what']}, since {info['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


@contextmanager
def one_writer(home: Path, what: str, wait: bool = True,
               say: Callable[[str], None] = print) -> Iterator[None]:
    """Hold the data directory's writer lock for the block. Re-entrant within a thread (an index build that
    parses the corpus holds it once)."""
    lock = _lock(home)
    outermost = not lock.is_locked
    try:
        lock.acquire(timeout=0)
    except Timeout:
        who = holder(home)
        if not wait:
            raise BusyError(f"{home} is being written by {who}; try again when it finishes "
                            "(or leave out --no-wait to wait)") from None
        say(f"waiting for {who} to finish writing {home} …")
        started = time.monotonic()
        lock.acquire()
        say(f"… done waiting ({time.monotonic() - started:.0f} s)")
    try:
        if outermost:
            (home / HOLDER).write_text(json.dumps({"pid": os.getpid(), "what": what,
                                                   "since": datetime.now().strftime("%H:%M:%S")}), encoding="utf-8")
        yield
    finally:
        if outermost:
            (home / HOLDER).unlink(missing_ok=True)  # no finished writer is ever named as the holder
        lock.release()


def is_held(home: Path) -> bool:
    """Some writer (this process or another) holds the lock right now."""
    lock = _lock(home)
    if lock.is_locked:
        return True
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    lock.release()
    return False
