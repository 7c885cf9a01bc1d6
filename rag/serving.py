"""`policyqa serve`: build what is missing, then serve the chat and the API on one process, following the index
on disk (rag/served.py), with the process's memory and threads bounded for a long run."""
from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import sys
import threading
from typing import TYPE_CHECKING

from .console import progress
from .errors import BadInputError
from .guards import is_loopback
from .settings import Settings

if TYPE_CHECKING:
    from .staff.db import Database


def bound_memory_arenas(arenas: int = 2) -> None:
    """glibc gives threads that allocate at once arenas of their own (up to 8 per core), and a server's worker
    threads taking turns at the model each grow one: at most `arenas` (M_ARENA_MAX) keeps the resident memory
    flat under load. Nothing to do off glibc."""
    name = ctypes.util.find_library("c")
    if not name or not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(name).mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def open_staff_db(settings: Settings, host: str) -> Database:
    """The staff database; serving beyond this machine (a host that is not loopback) needs an admin account."""
    from .staff.db import Database

    db = Database.open(settings)
    if not is_loopback(host) and not db.has_admin():
        raise BadInputError(f"--host {host}: serving beyond this machine needs accounts — add an admin first with "
                            "`policyqa users add NAME --role admin` (then keys with `policyqa keys create --user NAME`)")
    return db


def _warm() -> None:
    from .answer.abroad import countries
    from .match.terms import default_terms
    from .text.lexicon import general_jieba

    general_jieba()
    countries()
    default_terms()


def serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from ui.app import serving_app

    from .assemble import open_or_build
    from .served import Served

    bound_memory_arenas()
    db = open_staff_db(settings, host)  # before the model loads: a refused host fails at once
    answerer = open_or_build(settings, progress)
    # read the English dictionary while the server starts, not on a user's question; and jieba's general
    # dictionary, other countries' names and the measure vocabulary, which questions read too
    threading.Thread(target=answerer.scope.bridge.prepare, name="bridge", daemon=True).start()
    threading.Thread(target=_warm, name="warm", daemon=True).start()
    served = Served(answerer, settings)
    served.watch(settings.reload_seconds)  # a newly built index (`policyqa index` elsewhere) is served
    server = uvicorn.Server(uvicorn.Config(serving_app(served, settings, db), host=host, port=port, log_level="warning"))

    async def run() -> None:
        import anyio.to_thread

        # the CPU work runs one request at a time (CpuThread): a few threads more than the wait queue suffice
        anyio.to_thread.current_default_thread_limiter().total_tokens = max(4, settings.queue_limit + 4)
        await server.serve()

    print(f"PolicyQA chat on http://{host}:{port}/  (API under /api, OpenAPI at /docs)", flush=True)
    if not db.has_users():
        print("OPEN: no accounts configured — anyone who can reach this address can use the chat and the API. "
              "Add one with `policyqa users add NAME --role admin`.", flush=True)
    asyncio.run(run())
