"""`policyqa serve`: build what is missing, then serve the chat and the API on one process, following the index
on disk (rag/served.py), with the process's memory and threads bounded for a long run."""
from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import sys
import threading

from .console import progress
from .settings import Settings


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


def serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from ui.app import serving_app

    from .assemble import open_or_build
    from .served import Served

    bound_memory_arenas()
    answerer = open_or_build(settings, progress)
    if answerer.bridge is not None:  # read the English dictionary while the server starts, not on a user's question
        threading.Thread(target=answerer.bridge.prepare, name="bridge", daemon=True).start()
    served = Served(answerer, settings)
    served.watch(settings.reload_seconds)  # a newly built index (`policyqa index` elsewhere) is served
    server = uvicorn.Server(uvicorn.Config(serving_app(served, settings), host=host, port=port, log_level="warning"))

    async def run() -> None:
        import anyio.to_thread

        # the CPU work runs one request at a time (CpuThread): a few threads more than the wait queue suffice
        anyio.to_thread.current_default_thread_limiter().total_tokens = max(4, settings.queue_limit + 4)
        await server.serve()

    print(f"PolicyQA chat on http://{host}:{port}/  (API under /api, OpenAPI at /docs)", flush=True)
    asyncio.run(run())
