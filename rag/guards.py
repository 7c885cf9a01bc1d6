"""ASGI middleware between the network and the routes: what a request costs and may reach is decided here.

- `BodyLimit`      a body over the limit gets 413 before anything parses it.
- `MethodGuard`    a method an API route does not declare gets 405 with `Allow` (not the chat's 404).
- `Admission`      per-client rate limit and requests in flight (429), and a bounded wait for the one CPU (503),
                   both with Retry-After.
- `ClosedRoutes`   the chat framework's upload routes answer 404: nothing a visitor uploads is stored or served.
- `PinnedOrigins`  cross-origin headers only for the configured origins, whatever the Host header says.

Every refusal is the API's one error body, `{"error": ...}`.
"""
from __future__ import annotations

import ipaddress
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def is_loopback(host: str) -> bool:
    """Is `host` (an address, or `localhost`) this machine?"""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def error_response(status: int, message: str, detail: Any = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(status_code=status, content=body, headers=headers)


class BodyLimit:
    """A body over `limit` bytes gets 413 before anything parses it — by its Content-Length, or, when there is
    none, by counting the streamed chunks (then replayed to the app)."""

    def __init__(self, app: ASGIApp, limit: int, larger: dict[str, int] | None = None):
        self.app = app
        self.limit = limit
        self.larger = larger or {}  # path prefix -> its own limit (document uploads)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = next((n for prefix, n in self.larger.items() if scope["path"].startswith(prefix)), self.limit)
        length = Headers(scope=scope).get("content-length")
        too_big = error_response(413, f"request body over {limit} bytes")
        if length is not None:
            if not length.isdigit():
                await error_response(400, "invalid Content-Length header")(scope, receive, send)
            elif int(length) > limit:
                await too_big(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        if limit != self.limit:  # an upload of unknown length: counted as it streams, never held here; past the
            size = 0  # limit the app is told the client went away

            async def counted() -> Message:
                nonlocal size
                message = await receive()
                size += len(message.get("body", b""))
                return {"type": "http.disconnect"} if size > limit else message

            await self.app(scope, counted, send)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > limit:
                await too_big(scope, receive, send)
                return
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


class MethodGuard:
    """405 with `Allow` for a method the API route at this path does not declare. `routes()` gives (path regex,
    methods) of the API's own routes; other paths (the chat) are passed through."""

    def __init__(self, app: ASGIApp, routes: Callable[[], Iterable[tuple[re.Pattern[str], set[str]]]]):
        self.app = app
        self.routes = routes  # read at the first request, when every route is declared
        self.table: list[tuple[re.Pattern[str], set[str]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if self.table is None:
                self.table = list(self.routes())
            fixed: set[str] = set()  # routes of exactly this path (no parameter) ...
            patterned: set[str] = set()  # ... take it before a pattern it also fits (/api/documents/preview)
            for pattern, methods in self.table:
                if pattern.match(scope["path"]):
                    (patterned if "(?P<" in pattern.pattern else fixed).update(methods)
            allowed = fixed or patterned
            if allowed and scope["method"] not in allowed:
                response = error_response(405, f"method {scope['method']} not allowed here; allowed: "
                                               f"{', '.join(sorted(allowed))}", headers={"Allow": ", ".join(sorted(allowed))})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class Admission:
    """For paths under `prefixes`: at most `rate` requests per minute per client (a configured API key in
    `X-API-Key`, else the client's address; a burst of `rate/6`) and at most a quarter of the queue in flight
    per client, answered 429; and at most `queue` requests waiting for or holding the CPU at once, answered 503
    — one client cannot take every place. Both say when to retry."""

    MAX_CLIENTS = 10_000  # buckets kept (least recently seen dropped first)

    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...], rate: float, queue: int, keys: frozenset[str],
                 methods: frozenset[str] | None = None):
        self.app = app
        self.prefixes = prefixes
        self.methods = methods  # None: every method
        self.rate = rate  # per minute; 0 = no limit
        self.burst = max(1.0, rate / 6)
        self.queue = queue  # 0 = no bound
        self.keys = keys
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> (tokens, last seen)
        self.inside = 0
        self.per_client = max(1, queue // 4) if queue else 0  # requests one client may have in flight
        self.in_flight: dict[str, int] = {}
        self.mutex = threading.Lock()

    def client(self, scope: Scope) -> str:
        account = (scope.get("state") or {}).get("account")  # (set by rag/staff's Authenticate, outside this)
        if account is not None:
            return f"user:{account.id}"
        key = Headers(scope=scope).get("x-api-key", "")
        if key and key in self.keys:
            return f"key:{key}"
        host = (scope.get("client") or ("?", 0))[0]
        return f"addr:{host}"

    def take(self, client: str, now: float) -> float:
        """0 when the client may go on (one token taken), else the seconds until it may."""
        tokens, last = self.buckets.pop(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate / 60)
        wait = 0.0 if tokens >= 1 else (1 - tokens) * 60 / self.rate
        self.buckets[client] = (tokens - 1 if not wait else tokens, now)
        while len(self.buckets) > self.MAX_CLIENTS:
            self.buckets.popitem(last=False)
        return wait

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefixes) or \
                (self.methods is not None and scope["method"] not in self.methods):
            await self.app(scope, receive, send)
            return
        client = self.client(scope)
        with self.mutex:
            crowding = bool(self.per_client) and self.in_flight.get(client, 0) >= self.per_client
            wait = 0.0 if crowding or not self.rate else self.take(client, time.monotonic())
            full = not wait and not crowding and self.queue and self.inside >= self.queue
            if not (wait or crowding or full):
                self.inside += 1
                self.in_flight[client] = self.in_flight.get(client, 0) + 1
        if wait or crowding:
            seconds = str(max(1, math.ceil(wait)))
            why = (f"{self.per_client} requests of this client are already in progress" if crowding
                   else "too many requests from this client")
            await error_response(429, f"{why}; retry in {seconds} s",
                                 headers={"Retry-After": seconds})(scope, receive, send)
            return
        if full:
            await error_response(503, f"the server is busy ({self.queue} requests waiting); retry in 1 s",
                                 headers={"Retry-After": "1"})(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            with self.mutex:
                self.inside -= 1
                self.in_flight[client] -= 1
                if not self.in_flight[client]:
                    del self.in_flight[client]


class ClosedRoutes:
    """404 for the chat framework's routes that would store what a visitor sends (uploads, recordings) or
    fetch URLs for them: no component of the chat takes a file."""

    def __init__(self, app: ASGIApp, closed: re.Pattern[str]):
        self.app = app
        self.closed = closed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.closed.search(scope["path"]):
            if scope["type"] == "http":
                await error_response(404, "not found")(scope, receive, send)
            return
        await self.app(scope, receive, send)


class PinnedOrigins:
    """Cross-origin response headers only when the request's Origin is one of `origins` (none by default:
    the chat and the API are served to their own origin). The chat framework echoes any Origin when the Host
    header is not local; this takes those headers off again."""

    def __init__(self, app: ASGIApp, origins: frozenset[str]):
        self.app = app
        self.origins = origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        allowed = Headers(scope=scope).get("origin") in self.origins

        async def pinned(message: Message) -> None:
            if message["type"] == "http.response.start" and not allowed:
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                for name in [k for k in headers.keys() if k.startswith("access-control-")]:
                    del headers[name]
            await send(message)

        await self.app(scope, receive, pinned)
