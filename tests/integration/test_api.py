"""The HTTP API through FastAPI's test client, and once through a real uvicorn process on 127.0.0.1."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from fastapi.testclient import TestClient

from rag.api import create_app


@pytest.fixture(scope="module")
def client(answerer):
    return TestClient(create_app(answerer), raise_server_exceptions=False)


def test_ask_returns_the_contract_object(client):
    r = client.post("/api/ask", json={"question": "济南对入选新型智慧城市试点示范的项目补助多少?", "top_k": 3})
    assert r.status_code == 200
    body = r.json()
    assert {"id", "question", "answer", "no_answer", "citations", "latency_ms"} <= set(body)
    c = body["citations"][0]
    assert set(c) == {"n", "plan_id", "plan_title", "item_path", "item_title", "quote", "context", "score",
                      "chunk_id", "more_quotes"}  # the contract's fields and one extension
    assert c["item_path"] == "二、(一)3.(1)" and c["quote"] in c["context"] and len(body["citations"]) == 3
    follow = client.post("/api/ask", json={"question": "那江苏呢?", "history": [
        {"question": "济南对入选新型智慧城市试点示范的项目补助多少?", "answer": body}]}).json()
    assert {x["plan_id"] for x in follow["citations"]} == {"jiangsu-2024"}
    plans = client.post("/api/ask", json={"question": "人才政策", "plans": ["jinan-2022"]}).json()
    assert {x["plan_id"] for x in plans["citations"]} == {"jinan-2022"}


def test_search_plans_clauses_health(client):
    hits = client.post("/api/search", json={"question": "都江堰"}).json()["hits"]
    assert hits[0]["item_path"] == "二、(三)专栏4" and "lexical_rank" in hits[0]
    plans = client.get("/api/plans").json()
    assert sorted(p["plan_id"] for p in plans) == ["jiangsu-2024", "jinan-2022", "sichuan-2023", "yongchuan-2023",
                                                    "zhejiang-2023"]
    plan = client.get("/api/plans/sichuan-2023").json()
    assert plan["doc_number"] == "川经信信安〔2023〕142号" and len(plan["outline"]) == 70
    chunk = plan["outline"][10]["chunk_id"]
    clause = client.get(f"/api/clauses/{chunk}").json()
    assert clause["chunk_id"] == chunk and clause["plan_title"].startswith("四川省")
    health = client.get("/health")
    assert health.status_code == 200 and health.json()["counts"]["clauses"] == 211
    assert client.get("/docs").status_code == 200 and client.get("/openapi.json").status_code == 200


@pytest.mark.parametrize("body, status", [
    ({"question": ""}, 422), ({"question": "   "}, 422), ({"question": "x" * 2001}, 422),
    ({"question": "a", "top_k": 0}, 422), ({"question": "a", "top_k": 21}, 422), ({"question": "a", "top_k": "5"}, 422),
    ({"question": 5}, 422), ({}, 422), ({"question": "a", "plans": ["nowhere-2020"]}, 404),
    ({"question": "a", "plans": "jinan-2022"}, 422), ({"question": "a", "extra": 1}, 422),
    ([1, 2], 422),
])
def test_bad_input_gets_a_json_4xx_without_internals(client, body, status):
    r = client.post("/api/ask", json=body)
    assert r.status_code == status
    text = r.text
    assert r.json()["error"] and "Traceback" not in text and "/work" not in text and ".py" not in text


def test_malformed_json_unknown_ids_and_oversize_bodies(client):
    r = client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"] == "invalid request"
    assert client.get("/api/plans/nowhere-2020").status_code == 404
    assert client.get("/api/clauses/0000").status_code == 404
    big = json.dumps({"question": "元宇宙" * 30000}).encode()
    r = client.post("/api/ask", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json() == {"error": "request body over 65536 bytes"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_real_uvicorn_process_serves_the_api(built):
    port = _free_port()
    env = dict(os.environ, POLICYQA_HOME=str(built.home), POLICYQA_CORPUS=str(built.corpus))
    proc = subprocess.Popen([sys.executable, "-m", "rag", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read() if proc.poll() else ""
                time.sleep(0.5)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/ask", method="POST",
                                         data=json.dumps({"question": "永川重庆元宇宙中心多大?"}).encode(),
                                         headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as r:
            body = json.loads(r.read())
        assert body["citations"][0]["item_path"] == "二、(五)15."
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_concurrent_requests_share_one_index_safely(client):
    from concurrent.futures import ThreadPoolExecutor

    questions = ["都江堰数字孪生", "永川重庆元宇宙中心多大?", "江苏5G-A/6G", "上海有什么补贴?"] * 4
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda q: client.post("/api/ask", json={"question": q}), questions))
    assert all(r.status_code == 200 for r in results)
    first = {q: r.json()["citations"][0]["chunk_id"] if r.json()["citations"] else None
             for q, r in zip(questions, results)}
    again = [r.json()["citations"][0]["chunk_id"] if r.json()["citations"] else None for r in results]
    assert again == [first[q] for q in questions]
