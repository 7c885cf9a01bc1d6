"""Load benchmark: `policyqa serve` on 127.0.0.1 under many clients (loopback only; bounded in time).

    .venv/bin/python eval/load.py                  # 50 clients x 60 s, again with 10% 2,000-character questions,
                                                   # then a 10-minute soak; eval/reports/latest/load.json
    .venv/bin/python eval/load.py --seconds 20 --soak 60 --clients 20   # a quick run

Each client is a thread with its own keep-alive connection and API key (the per-client rate limit applies to each
on its own), asking a mix of questions (eval/questions.jsonl), searches and company matches (the seed profiles,
eval/match/profiles_seed.jsonl) one after another. Measured: requests per second, statuses, latency p50/p95/p99 per
kind — and for the normal questions alone, the number the long ones must not spoil — and the server's resident
memory (idle, after warm-up, during and after the soak). The clients share the server's 2 cores.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
LONG_CHARS = 2000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def workload(seed: int) -> tuple[list[str], list[str], list[dict[str, Any]]]:
    """Normal questions, 2,000-character ones (a real question after pasted plan text), match profiles."""
    questions = [json.loads(line)["question"] for line in (ROOT / "eval" / "questions.jsonl").open(encoding="utf-8")
                 if line.strip()]
    clauses = [json.loads(line)["text"] for line in (ROOT / "index" / "search" / "clauses.jsonl").open(encoding="utf-8")]
    rng = random.Random(seed)
    long = []
    for q in questions[:40]:
        pasted = ""
        while len(pasted) < LONG_CHARS:
            pasted += rng.choice(clauses)
        long.append((pasted[: LONG_CHARS - len(q) - 1] + "\n" + q)[:LONG_CHARS])
    profiles = [json.loads(line)["profile"] for line in
                (ROOT / "eval" / "match" / "profiles_seed.jsonl").open(encoding="utf-8") if line.strip()]
    return questions, long, profiles


class Client(threading.Thread):
    def __init__(self, port: int, key: str, until: float, long_share: float, work: tuple, seed: int, rows: list):
        super().__init__(daemon=True)
        self.port, self.key, self.until, self.long_share = port, key, until, long_share
        self.questions, self.long, self.profiles = work
        self.rng = random.Random(seed)
        self.rows = rows

    def request(self, conn: http.client.HTTPConnection, path: str, body: dict[str, Any]) -> int:
        conn.request("POST", path, body=json.dumps(body, ensure_ascii=False).encode(),
                     headers={"Content-Type": "application/json", "X-API-Key": self.key})
        response = conn.getresponse()
        response.read()
        return response.status

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        while time.monotonic() < self.until:
            roll = self.rng.random()
            if roll < self.long_share:
                kind, path, body = "long", "/api/ask", {"question": self.rng.choice(self.long)}
            elif roll < 0.7:
                kind, path, body = "ask", "/api/ask", {"question": self.rng.choice(self.questions)}
            elif roll < 0.9:
                kind, path, body = "search", "/api/search", {"question": self.rng.choice(self.questions)}
            else:
                kind, path, body = "match", "/api/match", self.rng.choice(self.profiles)
            started = time.monotonic()
            try:
                status = self.request(conn, path, body)
            except (OSError, http.client.HTTPException) as exc:
                status = f"{type(exc).__name__}"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.rows.append((kind, status, time.monotonic() - started, started))
            if status in (429, 503):
                time.sleep(1)  # as Retry-After says
        conn.close()


def run_phase(name: str, port: int, pid: int, clients: int, seconds: float, long_share: float, work: tuple,
              sample_every: float = 5.0) -> dict[str, Any]:
    rows: list[tuple] = []
    until = time.monotonic() + seconds
    threads = [Client(port, f"load-{i}", until, long_share, work, i, rows) for i in range(clients)]
    rss = []
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        rss.append(round(rss_mb(pid), 1))
        time.sleep(sample_every)
    for t in threads:
        t.join()
    return summarize(name, rows, seconds, rss)


def summarize(name: str, rows: list[tuple], seconds: float, rss: list[float]) -> dict[str, Any]:
    statuses: dict[str, int] = {}
    for _, status, _, _ in rows:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    kinds = {}
    for kind in sorted({r[0] for r in rows}):
        ok = [r[2] * 1000 for r in rows if r[0] == kind and r[1] == 200]
        kinds[kind] = {"requests": sum(1 for r in rows if r[0] == kind), "ok": len(ok),
                       **({f"p{p}_ms": round(float(np.percentile(ok, p)), 1) for p in (50, 95, 99)} if ok else {})}
    errors = sum(n for s, n in statuses.items() if s not in ("200", "429", "503"))
    return {"phase": name, "seconds": seconds, "requests": len(rows), "throughput_rps": round(len(rows) / seconds, 2),
            "statuses": statuses, "errors_other_than_429_503": errors, "by_kind": kinds, "rss_mb": rss}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--soak", type=float, default=600, help="seconds of the soak phase (0: none)")
    parser.add_argument("--out", default=str(ROOT / "eval" / "reports" / "latest" / "load.json"))
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 0 < args.seconds <= 3600 or not 0 <= args.soak <= 7200:
        parser.error("bounded: 1-200 clients, phases up to an hour, a soak up to two hours")

    port = free_port()
    keys = ",".join(f"load-{i}" for i in range(args.clients))
    env = dict(os.environ, POLICYQA_API_KEYS=keys)
    server = subprocess.Popen([sys.executable, "-m", "rag", "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while True:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            try:
                probe.request("GET", "/health")
                probe.getresponse().read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    print("the server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.5)
            finally:
                probe.close()
        time.sleep(3)
        work = workload(0)
        report: dict[str, Any] = {"started": datetime.now().isoformat(timespec="seconds"), "clients": args.clients,
                                  "rss_idle_mb": round(rss_mb(server.pid), 1), "phases": []}
        report["phases"].append(run_phase("warm-up", port, server.pid, 16, 15, 0.0, work))
        report["rss_after_warmup_mb"] = round(rss_mb(server.pid), 1)
        for name, share in (("mixed", 0.0), ("mixed+10% long", 0.10)):
            phase = run_phase(name, port, server.pid, args.clients, args.seconds, share, work)
            report["phases"].append(phase)
            print(json.dumps({k: v for k, v in phase.items() if k != "rss_mb"}, ensure_ascii=False))
        if args.soak:
            phase = run_phase("soak", port, server.pid, args.clients, args.soak, 0.05, work, sample_every=10)
            report["phases"].append(phase)
            print(json.dumps({k: v for k, v in phase.items() if k != "rss_mb"}, ensure_ascii=False))
        report["rss_end_mb"] = round(rss_mb(server.pid), 1)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=60)
    phases = {p["phase"]: p for p in report["phases"]}
    normal = phases["mixed"]["by_kind"]["ask"].get("p95_ms")
    spoiled = phases["mixed+10% long"]["by_kind"]["ask"].get("p95_ms")
    report["normal_ask_p95_ratio_with_long"] = round(spoiled / normal, 2) if normal and spoiled else None
    if "soak" in phases:
        samples = phases["soak"]["rss_mb"]
        warm = samples[len(samples) // 10:] or samples  # after the soak's own first tenth
        report["soak_rss_growth"] = round(max(warm) / report["rss_after_warmup_mb"] - 1, 3)
        report["rss_max_mb"] = max(max(p["rss_mb"]) for p in report["phases"])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "phases"}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
