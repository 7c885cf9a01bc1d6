"""What a running server answers from, kept in step with the index on disk.

`policyqa ingest` + `policyqa index` in another process swap a new index folder in whole; the server notices
(its manifest changed: a watch every few seconds, or `POST /api/admin/reload`), opens and verifies the new
index with the model it already has, and swaps the answerer in one assignment — a request in flight finishes
on the answerer it started with. A new index that does not open is not served; the reason shows in /health.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from .answer.answerer import Answerer
from .errors import NotBuiltError, PolicyQAError
from .indexing.folder import MANIFEST, SearchIndex
from .settings import Settings
from .writer import is_held

log = logging.getLogger("policyqa.served")

Signature = tuple[int, int, int]  # (inode, size, mtime_ns) of the live manifest file
T = TypeVar("T")


class CpuThread:
    """All of a server's CPU-bound work (answers, searches, matches, from the API and the chat alike) on one
    thread, in turn: requests cannot slow each other down by sharing two cores, and the model's per-thread
    scratch memory exists once — run from many threads it grew by ~250 MB under load."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="policyqa-cpu")

    def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(*args, **kwargs)` on the CPU thread; the caller waits (exceptions are raised here)."""
        return self.pool.submit(fn, *args, **kwargs).result()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Served:
    """The answerer requests use (`served.answerer`, read once per request), and its reload."""

    def __init__(self, answerer: Answerer, settings: Settings | None = None):
        self.answerer = answerer
        self.settings = settings  # None: nothing on disk to follow (tests that build an answerer by hand)
        self.signature = self.on_disk()
        self.loaded_at = _now()
        self.checked_at: str | None = None
        self.last_error: str | None = None
        self.refused: Signature | None = None  # a manifest whose index did not open: not tried again
        self.reloads = 0
        self.mutex = threading.Lock()  # one reload at a time

    @property
    def manifest_path(self) -> Path | None:
        return self.settings.index_dir / MANIFEST if self.settings is not None else None

    def on_disk(self) -> Signature | None:
        path = self.manifest_path
        try:
            st = path.stat() if path is not None else None
        except OSError:  # mid-swap, or no index: try again later
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns) if st is not None else None

    def reload(self) -> bool:
        """Open the index on disk when its manifest changed; True when a new one now serves. Not while a writer
        is at work (its index and calibration are not finished): the next check takes them."""
        if self.settings is None:
            return False
        settings = self.settings
        with self.mutex:
            signature = self.on_disk()
            self.checked_at = _now()
            if signature is None or signature in (self.signature, self.refused) or is_held(settings.home):
                return False
            from .assemble import calibration_is_fresh, open_answerer

            old = self.answerer
            try:
                index = SearchIndex.open(settings.index_dir, settings)  # verified, or refused
                if not calibration_is_fresh(settings, index.manifest):  # fitting it is a writer's job
                    raise NotBuiltError(f"the out-of-scope calibration {settings.calibration} was not fitted for "
                                        "the new index; run `policyqa index` (or `policyqa calibrate`)")
                fresh = open_answerer(settings, log.info, embedder=old.retriever.embedder, index=index)
            except PolicyQAError as exc:
                self.last_error, self.refused = str(exc), signature
                log.warning("a new index on disk is not served: %s", exc)
                return False
            if self.on_disk() != signature:  # swapped again while it loaded: the next check takes that one
                return False
            fresh.scope.bridge.prepare()  # the English dictionary read here, not on a user's question
            self.answerer, self.signature = fresh, signature
            self.loaded_at, self.last_error = _now(), None
            self.reloads += 1
            log.info("now serving the index built at %s", index.manifest["built_at"])
            return True

    def watch(self, seconds: float) -> threading.Thread | None:
        """Check the manifest every `seconds` (0: never) in a daemon thread."""
        if seconds <= 0 or self.settings is None:
            return None

        def loop() -> None:
            while True:
                time.sleep(seconds)
                try:
                    self.reload()
                except Exception:  # a watch that dies would silently stop following the index
                    log.exception("index watch")

        thread = threading.Thread(target=loop, name="index-watch", daemon=True)
        thread.start()
        return thread

    def status(self) -> dict[str, Any]:
        """For /health: what is served, and whether the index on disk is newer."""
        m = self.answerer.corpus.manifest
        on_disk = self.on_disk()
        return {"built_at": m["built_at"], "manifest_sha256": m.get("self_sha256"), "loaded_at": self.loaded_at,
                "reloads": self.reloads, "checked_at": self.checked_at,
                "index_on_disk": None if on_disk is None else ("served" if on_disk == self.signature else "newer"),
                "reload_error": self.last_error}
