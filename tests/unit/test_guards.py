"""What a request may cost and reach (rag/guards.py, rag/limits.py): per-client rate limit, a bounded wait
queue, 405 for undeclared methods, closed upload routes, pinned cross-origin headers, long questions cut."""
from __future__ import annotations

import asyncio
import re

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.responses import JSONResponse

from rag.api import create_app
from rag.errors import BadInputError
from rag.guards import Admission, ClosedRoutes, PinnedOrigins
from rag.limits import MAX_ANALYSED_CHARS
from rag.settings import Settings


def _settings(tmp_path, **changes) -> Settings:
    return Settings(home=tmp_path, corpus=tmp_path).with_(**changes)


def test_a_client_over_its_rate_gets_429_with_retry_after_and_others_do_not(fake_answerer, tmp_path):
    client = TestClient(create_app(fake_answerer, settings=_settings(tmp_path, rate_limit=60, api_keys=frozenset({"k1"}))))
    statuses = [client.get("/api/plans").status_code for _ in range(12)]
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429, 429]  # a burst of rate/6, then refused
    refused = client.get("/api/plans")
    assert refused.json()["error"].startswith("too many requests") and int(refused.headers["retry-after"]) >= 1
    assert client.get("/api/plans", headers={"X-API-Key": "k1"}).status_code == 200  # a known key is its own client
    assert client.get("/api/plans", headers={"X-API-Key": "made-up"}).status_code == 429  # an unknown key is not
    assert client.get("/health").status_code == 200  # health is never limited


def test_the_wait_queue_is_bounded_with_503():
    async def slow(scope, receive, send):
        await asyncio.sleep(0.3)
        await JSONResponse({"ok": True})(scope, receive, send)

    keys = frozenset(f"k{i}" for i in range(8))  # eight clients, one request each
    app = Admission(slow, prefixes=("/api/",), rate=0, queue=3, keys=keys)

    async def burst() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            return await asyncio.gather(*(client.get("/api/x", headers={"X-API-Key": k}) for k in sorted(keys)))

    responses = asyncio.run(burst())
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 3 + [503] * 5
    busy = next(r for r in responses if r.status_code == 503)
    assert busy.headers["retry-after"] == "1" and "busy" in busy.json()["error"]
    assert app.inside == 0  # every slot given back


@pytest.mark.parametrize("method, path, allow", [
    ("TRACE", "/api/ask", "POST"), ("DELETE", "/api/ask", "POST"), ("PUT", "/api/plans", "GET"),
    ("POST", "/health", "GET"), ("PATCH", "/api/plans/jinan-2022", "GET"), ("HEAD", "/api/plans", "GET"),
    ("POST", "/openapi.json", "GET, HEAD"), ("OPTIONS", "/api/ask", "POST"),
])
def test_an_undeclared_method_is_405_with_allow(fake_answerer, method, path, allow):
    r = TestClient(create_app(fake_answerer)).request(method, path)
    assert r.status_code == 405 and r.headers["allow"] == allow
    assert method == "HEAD" or r.json()["error"].startswith("method")  # (a HEAD answer has no body)


def test_top_k_as_a_json_integer_with_a_fraction_part_of_zero_is_accepted(fake_answerer):
    client = TestClient(create_app(fake_answerer))
    assert client.post("/api/search", json={"question": "人才", "top_k": 3.0}).status_code == 200
    for bad in (3.5, "3", True):
        assert client.post("/api/search", json={"question": "人才", "top_k": bad}).status_code == 422


def test_the_openapi_document_declares_one_error_model_and_the_allowed_values(fake_answerer):
    doc = TestClient(create_app(fake_answerer)).get("/openapi.json").json()
    ask = doc["paths"]["/api/ask"]["post"]["responses"]
    for status in ("400", "404", "413", "422", "429", "500", "503"):
        assert ask[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert "Retry-After" in ask["429"]["headers"] and "HTTPValidationError" not in doc["components"]["schemas"]
    match = doc["components"]["schemas"]["MatchRequest"]["properties"]
    assert {"中小", "小型", "微型"} <= set(match["size"]["enum"]) and "初创" in match["stage"]["enum"]
    assert "专精特新" in " ".join(match["qualifications"]["items"]["enum"])
    docs = TestClient(create_app(fake_answerer)).get("/docs").text
    assert not re.search(r"""(src|href)=["']https?://""", docs)  # scripts and styles from the server itself


def test_upload_routes_are_closed_and_cross_origin_headers_pinned():
    async def echoing(scope, receive, send):  # as Gradio does for a non-local Host: any Origin echoed
        origin = dict(scope["headers"]).get(b"origin", b"").decode()
        await JSONResponse({"ok": True}, headers={"Access-Control-Allow-Origin": origin,
                                                  "Access-Control-Allow-Credentials": "true"})(scope, receive, send)

    guarded = PinnedOrigins(ClosedRoutes(echoing, re.compile(r"^/gradio_api/upload")), frozenset({"https://ok.example"}))
    client = TestClient(guarded)
    assert client.post("/gradio_api/upload", files={"files": ("a.txt", b"x")}).status_code == 404
    evil = client.get("/", headers={"Origin": "http://evil.example", "Host": "evil.example"})
    assert evil.status_code == 200 and not any(k.startswith("access-control-") for k in evil.headers)
    ok = client.get("/", headers={"Origin": "https://ok.example"})
    assert ok.headers["access-control-allow-origin"] == "https://ok.example"


def test_a_configured_origin_may_call_the_api_from_a_browser_and_no_other(fake_answerer, tmp_path):
    app = create_app(fake_answerer, settings=_settings(tmp_path, rate_limit=0, cors_origins=frozenset({"https://ok.example"})))
    client = TestClient(PinnedOrigins(app, frozenset({"https://ok.example"})))
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    ok = client.options("/api/ask", headers={"Origin": "https://ok.example", **preflight})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "https://ok.example"
    asked = client.post("/api/search", json={"question": "人才"}, headers={"Origin": "https://ok.example"})
    assert asked.status_code == 200 and asked.headers["access-control-allow-origin"] == "https://ok.example"
    other = client.options("/api/ask", headers={"Origin": "http://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers


def test_one_client_cannot_take_every_place_in_the_queue():
    async def slow(scope, receive, send):
        await asyncio.sleep(0.3)
        await JSONResponse({"ok": True})(scope, receive, send)

    app = Admission(slow, prefixes=("/api/",), rate=0, queue=8, keys=frozenset({"other"}))

    async def burst() -> tuple[list[httpx.Response], httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            many = asyncio.gather(*(client.get("/api/x") for _ in range(6)))
            await asyncio.sleep(0.05)
            another = client.get("/api/x", headers={"X-API-Key": "other"})
            return await many, await another

    many, another = asyncio.run(burst())
    assert sorted(r.status_code for r in many) == [200, 200, 429, 429, 429, 429]  # a quarter of 8 in flight
    assert "already in progress" in next(r for r in many if r.status_code == 429).json()["error"]
    assert another.status_code == 200 and app.inside == 0 and not app.in_flight


def test_text_that_is_not_unicode_is_refused_not_echoed_into_a_500(fake_answerer):
    client = TestClient(create_app(fake_answerer), raise_server_exceptions=False)
    for path, body in (("/api/ask", b'{"question": "x\\ud800"}'), ("/api/search", b'{"question": "\\udfff"}'),
                       ("/api/match", b'{"region": "\\ud800"}')):
        r = client.post(path, content=body, headers={"content-type": "application/json"})
        assert r.status_code == 422, (path, r.text)


def test_a_long_question_is_answered_from_its_first_part_and_says_so(fake_answerer):
    long = "济南对入选新型智慧城市试点示范的项目补助多少?" + "请详细说明。" * 300
    result = fake_answerer.answer(long)
    assert result.question == long and result.analysed_chars == MAX_ANALYSED_CHARS
    assert f"只按前{MAX_ANALYSED_CHARS}个字作答" in result.answer and result.citations
    short = fake_answerer.answer("济南对入选新型智慧城市试点示范的项目补助多少?")
    assert short.analysed_chars is None and "作答。)" not in short.answer
    assert short.citations[0].chunk_id == result.citations[0].chunk_id


def test_serving_limits_come_from_the_environment_and_are_checked(tmp_path):
    s = Settings.from_env({"POLICYQA_HOME": str(tmp_path), "POLICYQA_RATE_LIMIT": "30", "POLICYQA_QUEUE": "4",
                           "POLICYQA_API_KEYS": "a, b", "POLICYQA_CORS_ORIGINS": "https://x.example"})
    assert (s.rate_limit, s.queue_limit, s.api_keys, s.cors_origins) == (30, 4, {"a", "b"}, {"https://x.example"})
    with pytest.raises(Exception, match="must not be negative"):
        Settings.from_env({"POLICYQA_HOME": str(tmp_path), "POLICYQA_QUEUE": "-1"})


def test_ranking_weights_are_shares_between_0_and_1(tmp_path):
    s = Settings.from_env({"POLICYQA_HOME": str(tmp_path), "POLICYQA_SENTENCE_WEIGHT": "0", "POLICYQA_DENSE_WEIGHT": "1"})
    assert (s.sentence_weight, s.dense_weight) == (0.0, 1.0)
    for key, value in (("POLICYQA_SENTENCE_WEIGHT", "1.5"), ("POLICYQA_DENSE_WEIGHT", "-0.1")):
        with pytest.raises(BadInputError, match=f"{key}='{value}' is not between 0 and 1"):
            Settings.from_env({"POLICYQA_HOME": str(tmp_path), key: value})


def test_an_upload_path_has_its_own_limit_and_an_unknown_length_is_counted_not_held():
    from rag.guards import BodyLimit

    seen: list[tuple[int, bool]] = []

    async def reader(scope, receive, send):
        size, gone = 0, False
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                gone = True
                break
            size += len(message.get("body", b""))
            if not message.get("more_body"):
                break
        seen.append((size, gone))
        await JSONResponse({"size": size})(scope, receive, send)

    app = BodyLimit(reader, limit=10, larger={"/upload": 100})

    def chunks(n: int):
        for _ in range(n):
            yield b"x" * 10

    c = TestClient(app)
    assert c.post("/api/x", content=b"x" * 11).status_code == 413  # the usual limit elsewhere
    assert c.post("/upload", content=b"x" * 60).json() == {"size": 60}  # (a known length under its own limit)
    assert c.post("/upload", content=b"x" * 101).status_code == 413  # a known length over it
    c.post("/upload", content=chunks(5))
    assert seen[-1] == (50, False)  # streamed whole when under the limit
    c.post("/upload", content=chunks(20))
    assert seen[-1][1] is True and seen[-1][0] <= 100  # past the limit the app hears the client went away


def test_a_fixed_path_takes_its_methods_before_a_pattern_it_fits():
    from rag.guards import MethodGuard

    async def ok(scope, receive, send):
        await JSONResponse({"ok": True})(scope, receive, send)

    routes = [(re.compile("^/api/documents/preview$"), {"POST"}), (re.compile("^/api/documents/(?P<plan_id>[^/]+)$"),
                                                                   {"DELETE"})]
    client = TestClient(MethodGuard(ok, lambda: routes))
    r = client.options("/api/documents/preview")
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    assert client.post("/api/documents/preview").status_code == 200
    r = client.get("/api/documents/jinan-2022")
    assert r.status_code == 405 and r.headers["allow"] == "DELETE"


def test_a_signed_in_account_is_its_own_client_and_a_method_filter_limits_only_those():
    from types import SimpleNamespace

    async def ok(scope, receive, send):
        await JSONResponse({"ok": True})(scope, receive, send)

    def as_user(user_id):
        async def app(scope, receive, send):
            scope.setdefault("state", {})["account"] = SimpleNamespace(id=user_id) if user_id else None
            await limited(scope, receive, send)
        return app

    limited = Admission(ok, prefixes=("/login",), rate=6, queue=0, keys=frozenset(), methods=frozenset({"POST"}))
    anon, ann = TestClient(as_user(None)), TestClient(as_user(7))
    assert [anon.post("/login").status_code for _ in range(2)] == [200, 429]  # a burst of one
    assert ann.post("/login").status_code == 200  # an account is counted apart from its address
    assert all(anon.get("/login_check").status_code == 200 for _ in range(5))  # GET is not limited here
