"""Retrieval benchmark (not a test): build times, warm search latency, serving memory, time to first answer.

    .venv/bin/python eval/benchmark.py            # prints a table, writes eval/reports/latest/benchmark.json

Everything runs on this machine against the real corpus, in throw-away data directories.
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.evaluation.gold import recall_at_k  # noqa: E402
from rag.files import read_jsonl as load_jsonl  # noqa: E402
from rag.settings import Settings  # noqa: E402

# Runs `python -m rag ARGS` and reports that process's own peak RSS when it exits: VmHWM, the high-water mark of its
# own memory. (ru_maxrss is kept across fork and exec on Linux, so a child of this script started with this script's
# peak — the 1.4–1.85 GB once reported for `ask --batch`, which measures 0.64 GB on its own.)
_MEASURED = ("import atexit, runpy, sys; "
             "atexit.register(lambda: print('PEAK_RSS_KB', [l.split()[1] for l in open('/proc/self/status') "
             "if l.startswith('VmHWM')][0], file=sys.stderr)); "
             "sys.argv = ['policyqa'] + sys.argv[1:]; runpy.run_module('rag', run_name='__main__')")


def run(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MB) of that process, and its stdout, for `policyqa ARGS`."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _MEASURED, *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"policyqa {' '.join(args)} failed:\n{proc.stderr}")
    peak_kb = int(proc.stderr.rsplit("PEAK_RSS_KB", 1)[1].split()[0])
    return seconds, peak_kb // 1024, proc.stdout


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="policyqa-bench-"))
    results: dict[str, object] = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
                                             f"{platform.python_version()}"}
    try:
        corpus = work / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        env = dict(os.environ, POLICYQA_HOME=str(work / "home"), POLICYQA_CORPUS=str(corpus))

        seconds, _, _ = run(["index"], env)
        results["cold_build_s"] = round(seconds, 1)  # includes materialising the model once
        seconds, rss, out = run(["index", "--full"], env)
        results["full_build_s"] = round(seconds, 1)
        results["build_peak_rss_mb"] = rss
        results["full_build_output"] = out.strip()

        plan = corpus / "jinan-2022.txt"
        plan.write_text(plan.read_text(encoding="utf-8") + "\n(五)附则。本计划自印发之日起施行。\n", encoding="utf-8")
        seconds, _, out = run(["index"], env)
        results["incremental_build_s"] = round(seconds, 1)
        results["incremental_build_output"] = out.strip()

        seconds, rss, _ = run(["search", "济南对入选新型智慧城市试点示范的项目补助多少?", "--json"], env)
        results["start_to_first_search_s"] = round(seconds, 2)
        results["serving_peak_rss_mb"] = rss
        asks = [run(["ask", "济南对入选新型智慧城市试点示范的项目补助多少?", "--json"], env) for _ in range(3)]
        results["start_to_first_answer_s"] = round(statistics.median(a[0] for a in asks), 2)
        results["ask_peak_rss_mb"] = int(statistics.median(a[1] for a in asks))

        from rag.search.retriever import open_retriever

        settings = Settings.from_env(env)
        retriever = open_retriever(settings, progress=lambda _: None)
        cases = load_jsonl(ROOT / "eval" / "retrieval_cases.jsonl")
        for case in cases[:5]:
            retriever.search(case["question"])
        timings = []
        for _ in range(3):
            for case in cases:
                start = time.perf_counter()
                retriever.search(case["question"], k=5)
                timings.append((time.perf_counter() - start) * 1000)
        results["warm_search_ms"] = {"p50": round(statistics.median(timings), 1),
                                     "p95": round(percentile(timings, 0.95), 1), "n": len(timings)}
        results["recall_at_5"] = {mode: round(recall_at_k(retriever, cases, 5, mode)[0], 3)
                                  for mode in ("hybrid", "bm25", "dense")}
        results["cases"] = len(cases)

        # answers: warm latency from the result objects' latency_ms, and a 70-question batch end to end
        from rag.assemble import open_answerer

        answerer = open_answerer(settings, progress=lambda _: None)
        questions = load_jsonl(ROOT / "eval" / "questions.jsonl")
        for q in questions[:5]:
            answerer.answer(q["question"])
        latencies = sorted(answerer.answer(q["question"]).latency_ms for q in questions for _ in range(2))
        results["warm_ask_ms"] = {"p50": round(statistics.median(latencies), 1),
                                  "p95": round(percentile(latencies, 0.95), 1), "n": len(latencies)}
        embed_ms = []
        for q in questions[:100]:  # one query vector, the same model and process as the answers above
            start = time.perf_counter()
            answerer.retriever.embed_query(q["question"])
            embed_ms.append((time.perf_counter() - start) * 1000)
        results["query_embedding_ms"] = {"p50": round(statistics.median(embed_ms), 1), "n": len(embed_ms)}
        results["warm_ask_p50_over_embedding"] = round(results["warm_ask_ms"]["p50"] / statistics.median(embed_ms), 2)
        batch = work / "batch.jsonl"
        batch.write_text("".join(json.dumps({"id": q["id"], "question": q["question"]}, ensure_ascii=False) + "\n"
                                 for q in questions[:70]), encoding="utf-8")
        seconds, rss, out = run(["ask", "--batch", str(batch), "--json"], env)
        assert len(out.splitlines()) == 70
        results["ask_batch_70_s"] = round(seconds, 1)
        results["ask_batch_peak_rss_mb"] = rss

        # a grown library: the 27 documents of eval/unseen/corpus, warm answers to its development questions
        from rag.indexing.build import build_index
        from rag.indexing.embedding import Embedder

        grown = settings.for_corpus(ROOT / "eval" / "unseen" / "corpus")
        start = time.perf_counter()
        embedder = Embedder.from_settings(grown, lambda _: None)
        manifest = build_index(grown, embedder, lambda _: None)
        results["library_27_build_s"] = round(time.perf_counter() - start, 1)
        results["library_27_counts"] = manifest["counts"]
        answerer = open_answerer(grown, progress=lambda _: None, embedder=embedder)
        questions = load_jsonl(ROOT / "eval" / "unseen" / "dev.jsonl")
        # the first English question reads CC-CEDICT into the library's bridge once (then it is kept)
        results["library_27_first_english_ask_ms"] = answerer.answer("What support do platforms get?").latency_ms
        for q in questions[:5]:
            answerer.answer(q["question"])
        latencies = sorted(answerer.answer(q["question"]).latency_ms for q in questions for _ in range(2))
        results["library_27_warm_ask_ms"] = {"p50": round(statistics.median(latencies), 1),
                                             "p95": round(percentile(latencies, 0.95), 1), "n": len(latencies)}
    finally:
        shutil.rmtree(work, ignore_errors=True)

    out = ROOT / "eval" / "reports" / "latest" / "benchmark.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for key, value in results.items():
        if not key.endswith("_output"):
            print(f"{key:26} {value}")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
