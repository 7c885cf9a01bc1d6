"""Scale benchmark (not a test): both stores on synthetic libraries of 10⁴, 10⁵ (and, asked for, 10⁶) passages.

    .venv/bin/python eval/benchmark_scale.py [--sizes 10000,100000] [--stores local,milvus] [--queries 200]

How the libraries are made (README "Scale"): from the sentences of the 27-document evaluation library (its built
index under index/corpora/, with their real e5 vectors). Passage i is 1–4 sentences drawn at random (seeded); its
text is theirs joined, its tokens theirs joined (each sentence tokenized once by the library's lexicon), its vector
the L2-normalised sum of their vectors plus Gaussian noise (σ = 0.01 per dimension, then normalised again), so
no two passages share a vector. Plans hold 50 passages each (`syn-00001` …), in 300 regions. Embedding 10⁶ real
texts would take most of a day on these 2 cores; real embedding throughput is measured separately (README).

Queries: the evaluation questions (eval/questions.jsonl and eval/unseen/dev.jsonl, embedded once as e5 queries by
the built-in model; their words as BM25 queries), each also searched within one random plan. Per size
and store: build seconds, size on disk, the process's RSS after loading, search p50/p95 (hybrid: BM25 + dense +
RRF, as answers search), and recall@10 of the approximate dense index against exact inner product.
Writes eval/reports/latest/benchmark_scale.json and a PNG chart of latency against size.
"""
from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.files import read_json, read_jsonl  # noqa: E402
from rag.indexing import dense as dense_index  # noqa: E402
from rag.indexing.bm25 import BM25  # noqa: E402
from rag.indexing.passages import Passage  # noqa: E402
from rag.indexing.reads import NpyRows  # noqa: E402
from rag.indexing.tables import JsonLines  # noqa: E402
from rag.settings import Settings  # noqa: E402
from rag.text.lexicon import Lexicon  # noqa: E402

PER_PLAN = 50
REGIONS = 300


def rss_mb(field: str = "VmRSS") -> float:
    """This process's resident memory (`VmRSS`), or its anonymous (`RssAnon`) or mapped-file (`RssFile`) part."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


_QUESTIONS: dict[int, tuple[list[str], np.ndarray]] = {}


def questions(n: int) -> tuple[list[str], np.ndarray]:
    """The first `n` evaluation questions and their e5 query vectors (the built-in model, loaded once)."""
    if n not in _QUESTIONS:
        from rag.indexing.embedding import Embedder
        from rag.text.normalize import normalize_text

        rows = read_jsonl(ROOT / "eval" / "questions.jsonl") + read_jsonl(ROOT / "eval" / "unseen" / "dev.jsonl")
        texts = [normalize_text(r["question"]) for r in rows][:n]
        embedder = Embedder.from_settings(Settings.from_env(), lambda _: None)
        _QUESTIONS[n] = (texts, np.asarray(embedder.queries(texts), np.float32))
    return _QUESTIONS[n]


def source() -> tuple[list[str], np.ndarray, Lexicon]:
    """Sentences and vectors of the 27-document library's built index (`policyqa eval --corpus eval/unseen/corpus`)."""
    settings = Settings.from_env().for_corpus(ROOT / "eval" / "unseen" / "corpus")
    folder = settings.index_dir
    if not (folder / "manifest.json").is_file():
        raise SystemExit(f"no index at {folder}: run `policyqa eval eval/unseen/dev.jsonl --corpus eval/unseen/corpus`")
    texts = {c["chunk_id"]: c["text"] for c in read_jsonl(folder / "clauses.jsonl")}
    rows = read_jsonl(folder / "sentences.jsonl")
    sentences = [texts[r["chunk_id"]][r["start"]:r["end"]] for r in rows]
    lexicon = Lexicon(read_json(folder / "lexicon.json")["extra_terms"])
    return sentences, np.load(folder / "sentence_vectors.npy"), lexicon


def synthesize(n: int, sentences: list[str], vectors: np.ndarray, tokens: list[list[str]],
               seed: int = 0) -> tuple[list[Passage], np.ndarray, list[list[str]]]:
    rng = np.random.default_rng(seed)
    passages, toks = [], []
    out = np.zeros((n, vectors.shape[1]), np.float32)
    for i in range(n):
        picks = rng.integers(0, len(sentences), rng.integers(1, 5))
        plan = f"syn-{i // PER_PLAN:05d}"
        passages.append(Passage(i, f"{i:016x}", plan, "".join(sentences[j] for j in picks)))
        toks.append([t for j in picks for t in tokens[j]])
        v = vectors[picks].sum(axis=0)
        out[i] = v / np.linalg.norm(v)
    out += rng.normal(0, 0.01, out.shape).astype(np.float32)
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return passages, out, toks


def fake_index(passages: Sequence[Passage], vectors: np.ndarray, lexicon: Lexicon, bm25: BM25, dense: Any) -> Any:
    """What the stores read of a SearchIndex."""
    plan_of = np.array([d["plan_id"] for d in passages.dicts()] if isinstance(passages, JsonLines)
                       else [p.plan_id for p in passages])
    plans = set(plan_of.tolist())
    regions = {pid: SimpleNamespace(region=SimpleNamespace(name=f"地区{int(pid[4:]) % REGIONS:03d}")) for pid in plans}
    digest = f"{len(passages):016d}"
    return SimpleNamespace(passages=passages, vectors=vectors, lexicon=lexicon, bm25=bm25, dense=dense, plans=regions,
                           plan_of_passage=plan_of,
                           manifest={"self_sha256": digest, "embedding": {"dimension": vectors.shape[1]},
                                     "bm25": bm25.params, "built_at": "synthetic"})


def disk_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def build(n: int, pool: tuple[list[str], np.ndarray, list[list[str]], Lexicon], folder: Path) -> dict[str, Any]:
    """Write a synthetic library's store files as `policyqa index` does (BM25 files, dense.faiss, vectors.npy)."""
    import faiss

    from rag.files import write_jsonl

    sentences, svectors, tokens, lexicon = pool
    passages, vectors, toks = synthesize(n, sentences, svectors, tokens)
    kind = "flat" if n <= Settings.exact_limit else "hnsw"
    t = time.perf_counter()
    bm25 = BM25.from_tokens(toks, lexicon.tokenize)
    bm25_s = time.perf_counter() - t
    t = time.perf_counter()
    dense = dense_index.build(vectors, kind)
    dense_s = time.perf_counter() - t
    folder.mkdir(parents=True)
    bm25.save(folder)
    faiss.write_index(dense, str(folder / "dense.faiss"))
    np.save(folder / "vectors.npy", vectors)
    write_jsonl(folder / "passages.jsonl", (p.to_dict() for p in passages))
    return {"dense": kind, "bm25_build_s": round(bm25_s, 1), "dense_build_s": round(dense_s, 1),
            "disk_mb": round(disk_mb(folder), 1)}


def load(folder: Path, lexicon: Lexicon) -> Any:
    """The files as a serving process holds them: vectors and the FAISS index memory-mapped."""
    import faiss

    passages = JsonLines(folder / "passages.jsonl", lambda d: Passage(**d))  # read in place, as an index is
    vectors = NpyRows(folder / "vectors.npy")
    return fake_index(passages, vectors, lexicon, BM25.load(folder, lexicon.tokenize),
                      faiss.read_index(str(folder / "dense.faiss"), faiss.IO_FLAG_MMAP_IFC))


def serve(folder: Path, store_kind: str, uri: str | None) -> None:
    """In its own process: open the store, then time hybrid searches; prints one JSON line."""
    sentences, svectors, lexicon = source()
    queries = json.loads((folder / "queries.json").read_text(encoding="utf-8"))
    base = rss_mb()
    t = time.perf_counter()
    index = load(folder, lexicon)
    if store_kind == "local":
        from rag.store.local import LocalStore

        store: Any = LocalStore(index)
    else:
        from rag.store.milvus import MilvusStore, write_collection

        settings = Settings.from_env().with_(store="milvus", milvus_uri=uri)
        if not (folder / "milvus.built").exists():
            write_collection(settings, index, progress=lambda _: None)
            (folder / "milvus.built").write_text("1")
            print(json.dumps({"milvus_build_s": round(time.perf_counter() - t, 1)}), flush=True)
            return
        store = MilvusStore.open(settings, index)
    load_s = time.perf_counter() - t
    qvectors = np.load(folder / "queries.npy")
    qs = [(q["text"], qvectors[i], q["plan"]) for i, q in enumerate(queries)]
    for text, vec, _ in qs[:5]:
        store.hybrid(text, vec, 50)
    times, filtered, top10 = [], [], []
    for text, vec, _ in qs:
        t = time.perf_counter()
        store.hybrid(text, vec, 50)
        times.append((time.perf_counter() - t) * 1000)
    for text, vec, plan in qs:
        t = time.perf_counter()
        store.hybrid(text, vec, 50, [plan])
        filtered.append((time.perf_counter() - t) * 1000)
    rss = rss_mb()
    single: dict[str, list[float]] = {"dense": [], "lexical": []}
    for text, vec, _ in qs:
        t = time.perf_counter()
        top10.append([i for i, _ in store.dense(vec, 10)])
        single["dense"].append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        store.lexical(text, 50)
        single["lexical"].append((time.perf_counter() - t) * 1000)
    print(json.dumps({"load_s": round(load_s, 1), "serving_rss_mb": round(rss), "process_base_mb": round(base),
                      "rss_anon_mb": round(rss_mb("RssAnon")), "rss_file_mb": round(rss_mb("RssFile")),
                      "search_p50_ms": round(statistics.median(times), 2), "search_p95_ms": round(pct(times, 0.95), 2),
                      "plan_search_p50_ms": round(statistics.median(filtered), 2),
                      "dense_p50_ms": round(statistics.median(single["dense"]), 2),
                      "lexical_p50_ms": round(statistics.median(single["lexical"]), 2), "top10": top10}), flush=True)


def ask(folder: Path, questions: int) -> None:
    """In its own process: open the synthetic index as a server would, answer real questions; one JSON line."""
    from rag.answer.answerer import Answerer
    from rag.answer.scope import Calibration
    from rag.indexing.embedding import Embedder
    from rag.indexing.folder import SearchIndex
    from rag.search.corpus import CorpusView
    from rag.search.retriever import HybridRetriever

    settings = Settings.from_env()
    t = time.perf_counter()
    index = SearchIndex.open(folder, settings)
    embedder = Embedder.from_settings(settings, lambda _: None)
    answerer = Answerer(HybridRetriever(index, embedder, settings), CorpusView(index), Calibration.load(settings.calibration))
    open_s = time.perf_counter() - t
    rows = read_jsonl(ROOT / "eval" / "questions.jsonl") + read_jsonl(ROOT / "eval" / "unseen" / "dev.jsonl")
    texts = [r["question"] for r in rows][:questions]
    t = time.perf_counter()
    answerer.answer(texts[0])
    first_ms = (time.perf_counter() - t) * 1000
    latencies = []
    for q in texts[1:]:
        t = time.perf_counter()
        answerer.answer(q)
        latencies.append((time.perf_counter() - t) * 1000)
    print(json.dumps({"open_s": round(open_s, 1), "first_ask_ms": round(first_ms),
                      "ask_p50_ms": round(statistics.median(latencies), 1),
                      "ask_p95_ms": round(pct(latencies, 0.95), 1), "asked": len(latencies) + 1,
                      "serving_rss_mb": round(rss_mb()), "rss_anon_mb": round(rss_mb("RssAnon")),
                      "rss_file_mb": round(rss_mb("RssFile"))}), flush=True)


def child(*args: str) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_size(n: int, stores: list[str], pool: tuple[list[str], np.ndarray, list[list[str]], Lexicon],
             n_queries: int, work: Path) -> list[dict[str, Any]]:
    sentences, svectors, _, _ = pool
    folder = work / f"size-{n}"
    if (folder / "built.json").exists():  # --work DIR of an earlier run: the same seeded library, kept
        built = read_json(folder / "built.json")
    else:
        built = build(n, pool, folder)
        (folder / "built.json").write_text(json.dumps(built), encoding="utf-8")
    vectors = np.load(folder / "vectors.npy", mmap_mode="r")
    rng = np.random.default_rng(1)
    texts, qvectors = questions(n_queries)
    plans = [f"syn-{int(i) // PER_PLAN:05d}" for i in rng.integers(0, n, len(texts))]
    (folder / "queries.json").write_text(json.dumps([{"text": t, "plan": p} for t, p in zip(texts, plans)],
                                                    ensure_ascii=False), encoding="utf-8")
    np.save(folder / "queries.npy", qvectors)
    exact = [set(np.argsort(-(vectors @ q))[:10].tolist()) for q in qvectors]
    out = []
    for kind in stores:
        row: dict[str, Any] = {"size": n, "store": kind if kind == "local" else "milvus-lite"}
        if kind == "local":
            row.update(built)
        else:
            uri = str(work / f"milvus-{n}.db")
            row.update({"dense": "hnsw", **child("--serve", str(folder), "--store", "milvus", "--uri", uri)})
            row["disk_mb"] = round(disk_mb(Path(uri)), 1)
        served = child("--serve", str(folder), "--store", kind, *(["--uri", uri] if kind != "local" else []))
        top10 = served.pop("top10")
        row.update(served)
        row["recall_at_10"] = round(sum(len(e & set(t)) for e, t in zip(exact, top10)) / (10 * len(exact)), 4)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        out.append(row)
    return out


def ask_sizes(sizes: list[int], questions: int) -> None:
    from scale_library import write_library

    source_index = Settings.from_env().for_corpus(ROOT / "eval" / "unseen" / "corpus").index_dir
    embedding = read_json(source_index / "manifest.json")["embedding"]
    out = ROOT / "eval" / "reports" / "latest" / "benchmark_scale.json"
    report = read_json(out) if out.exists() else {"rows": []}
    rows = {r["size"]: r for r in report.get("ask", [])}
    for n in sizes:
        work = Path(tempfile.mkdtemp(prefix="policyqa-scale-ask-"))
        try:
            t = time.perf_counter()
            manifest = write_library(n, source_index, work / "search", embedding)
            row = {"size": n, "store": "local", "write_s": round(time.perf_counter() - t, 1),
                   "counts": manifest["counts"], "dense": manifest["dense"]["kind"], "disk_mb": round(disk_mb(work), 1),
                   **child("--ask-folder", str(work / "search"), "--queries", str(questions))}
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        rows[n] = row
    report["ask"] = [rows[k] for k in sorted(rows)]
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def extend_sizes(sizes: list[int], n_queries: int, parts: list[str]) -> None:
    """What `policyqa index` does after one plan is added and another taken out, on synthetic libraries of n
    passages, against doing it from nothing. `graph`: the HNSW graph kept and extended (rag/indexing/dense.py)
    against a new graph, and recall@10 against exact inner product afterwards. `bm25`: the weights from the
    previous index's tokens plus the new plan's, tokenized (rag/indexing/bm25.py), against tokenizing every
    passage (its time from the tokenizer's measured rate on these passages)."""
    import faiss

    from rag.indexing.bm25 import Tokens
    from rag.store.local import LocalStore

    sentences, svectors, lexicon = source()
    _, qvectors = questions(n_queries)
    tokens = [lexicon.tokenize(s) for s in sentences] if "bm25" in parts else [[] for _ in sentences]
    out = ROOT / "eval" / "reports" / "latest" / "benchmark_scale.json"
    report = read_json(out) if out.exists() else {"rows": []}
    rows = {r["size"]: r for r in report.get("extend", [])}
    for n in sizes:
        passages, vectors, toks = synthesize(n + PER_PLAN, sentences, svectors, tokens, seed=2)
        keys = [str(i) for i in range(n + PER_PLAN)]  # the first plan out, a new one in
        row = dict(rows.get(n, {}), size=n)
        work = Path(tempfile.mkdtemp(prefix="policyqa-scale-extend-"))
        try:
            if "graph" in parts:
                t = time.perf_counter()
                graph = dense_index.build(vectors[:n], "hnsw")
                build_s = time.perf_counter() - t
                faiss.write_index(graph, str(work / "dense.faiss"))
                del graph
                t = time.perf_counter()
                kept = dense_index.extend(work / "dense.faiss", *dense_index.match_rows(keys[:n], keys[PER_PLAN:]),
                                          vectors[PER_PLAN:])
                extend_s = time.perf_counter() - t
                assert kept is not None
                index, ext = kept
                live = vectors[PER_PLAN:]
                plans = np.array([f"syn-{i // PER_PLAN:05d}" for i in range(PER_PLAN, n + PER_PLAN)])
                store = LocalStore(SimpleNamespace(dense=index, vectors=live, plan_of_passage=plans))
                found = 0
                for q in qvectors:
                    exact = set(np.argsort(-(live @ q))[:10].tolist())
                    found += len(exact & {i for i, _ in store.dense(q, 10)})
                del index, store
                row.update({"graph_build_s": round(build_s, 1), "extend_s": round(extend_s, 2), "added": ext.added,
                            "retired": ext.retired, "recall_at_10_after": round(found / (10 * len(qvectors)), 4)})
            if "bm25" in parts:
                t = time.perf_counter()
                old = BM25.from_tokens(toks[:n], lexicon.tokenize)
                from_tokens_s = time.perf_counter() - t
                old.save(work)
                del old
                t = time.perf_counter()
                source_rows = np.concatenate([np.arange(PER_PLAN, n), np.full(PER_PLAN, -1)]).astype(np.int64)
                BM25.from_ids(Tokens.reusing(Tokens.load(work), source_rows,
                                             lambda d, ps=passages: lexicon.tokenize(ps[d + PER_PLAN].text)),
                              lexicon.tokenize)
                reuse_s = time.perf_counter() - t
                sample = passages[:2000]
                t = time.perf_counter()
                for p in sample:
                    lexicon.tokenize(p.text)
                rate = len(sample) / (time.perf_counter() - t)
                row.update({"bm25_weights_s": round(from_tokens_s, 1), "bm25_reusing_tokens_s": round(reuse_s, 1),
                            "tokenize_per_s": round(rate), "tokenize_all_s_estimated": round(n / rate)})
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(json.dumps(row), flush=True)
        rows[n] = row
    report = read_json(out) if out.exists() else {"rows": []}
    report["extend"] = [rows[k] for k in sorted(rows)]
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def chart(rows: list[dict[str, Any]], path: Path) -> None:
    from PIL import Image, ImageDraw

    w, h, pad = 720, 420, 60
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    sizes = sorted({r["size"] for r in rows})
    top = max(r["search_p95_ms"] for r in rows) * 1.1
    lo, hi = np.log10(min(sizes)), np.log10(max(sizes)) if len(sizes) > 1 else np.log10(min(sizes)) + 1

    def xy(size: float, ms: float) -> tuple[float, float]:
        x = pad + (np.log10(size) - lo) / max(hi - lo, 1e-9) * (w - 2 * pad)
        return x, h - pad - ms / top * (h - 2 * pad)

    d.line([(pad, h - pad), (w - pad, h - pad)], fill="black")
    d.line([(pad, pad), (pad, h - pad)], fill="black")
    for s in sizes:
        x, _ = xy(s, 0)
        d.text((x - 15, h - pad + 8), f"1e{int(round(np.log10(s)))}", fill="black")
    for i in range(5):
        ms = top * i / 4
        d.text((8, xy(sizes[0], ms)[1] - 6), f"{ms:.0f} ms", fill="black")
    colours = {("local", "search_p50_ms"): "#1f77b4", ("local", "search_p95_ms"): "#aec7e8",
               ("milvus-lite", "search_p50_ms"): "#d62728", ("milvus-lite", "search_p95_ms"): "#ff9896"}
    for n, ((store, key), colour) in enumerate(colours.items()):
        pts = [xy(r["size"], r[key]) for r in sorted(rows, key=lambda r: r["size"]) if r["store"] == store]
        if len(pts) > 1:
            d.line(pts, fill=colour, width=3)
        for x, y in pts:
            d.ellipse([x - 4, y - 4, x + 4, y + 4], fill=colour)
        d.text((pad + 10, 10 + 14 * n), f"{store} {key.split('_')[1]}", fill=colour)
    d.text((w // 2 - 120, h - 22), "passages (log scale) vs hybrid search ms", fill="black")
    img.save(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--stores", default="local,milvus")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--work", metavar="DIR", help="keep the built libraries here (and reuse them on the next run)")
    ap.add_argument("--ask", metavar="SIZES", help="answers on synthetic index folders of these sizes instead")
    ap.add_argument("--extend", metavar="SIZES", help="time a build after a plan is added and one removed, at these sizes")
    ap.add_argument("--parts", default="graph,bm25", help="with --extend: graph, bm25 or both")
    ap.add_argument("--ask-folder", help=argparse.SUPPRESS)
    ap.add_argument("--serve", help=argparse.SUPPRESS)
    ap.add_argument("--store", help=argparse.SUPPRESS)
    ap.add_argument("--uri", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(Path(args.serve), args.store, args.uri)
        return
    if args.ask_folder:
        ask(Path(args.ask_folder), args.queries)
        return
    if args.ask:
        ask_sizes([int(x) for x in args.ask.split(",")], args.queries)
        return
    if args.extend:
        extend_sizes([int(x) for x in args.extend.split(",")], args.queries, args.parts.split(","))
        return
    sentences, svectors, lexicon = source()
    tokens = [lexicon.tokenize(s) for s in sentences]
    pool = (sentences, svectors, tokens, lexicon)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="policyqa-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            rows += run_size(n, args.stores.split(","), pool, args.queries, work)
            gc.collect()
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "eval" / "reports" / "latest"
    out.mkdir(parents=True, exist_ok=True)
    if (out / "benchmark_scale.json").exists():  # rows of sizes not run this time are kept
        ran = {(r["size"], r["store"]) for r in rows}
        rows = [r for r in read_json(out / "benchmark_scale.json")["rows"] if (r["size"], r["store"]) not in ran] + rows
        rows.sort(key=lambda r: (r["size"], r["store"]))
    before = read_json(out / "benchmark_scale.json") if (out / "benchmark_scale.json").exists() else {}
    (out / "benchmark_scale.json").write_text(json.dumps({"source_sentences": len(sentences), "rows": rows,
                                                          "ask": before.get("ask", []),
                                                          "extend": before.get("extend", [])},
                                                         ensure_ascii=False, indent=1), encoding="utf-8")
    chart(rows, out / "benchmark_scale.png")
    print(f"wrote {out / 'benchmark_scale.json'} and benchmark_scale.png")


if __name__ == "__main__":
    main()
