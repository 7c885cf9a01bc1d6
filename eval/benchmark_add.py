"""Adding a plan to a large library, end to end (not a test): `policyqa index` on a synthetic corpus of N clauses.

    .venv/bin/python eval/benchmark_add.py [--clauses 100000] [--keep DIR]

The corpus: N/50 plain-text documents, each a real plan's shape — a title (a real plan's region, two dictionary
words, 实施方案), five parts `一、`…`五、` of ten items `(一)`…`(十)`, each item a heading and 1–3 sentences drawn
at random (seeded) from the 27-document library's sentences — with manifests giving the region. Built with the
real parser, tokenizer, measure extraction, BM25 and an HNSW graph (forced, `POLICYQA_ANN=hnsw`); only the
embedding model is replaced by a stand-in that gives each text a fixed pseudo-random unit vector from its hash,
because embedding 10⁵ clauses and their sentences takes most of a day on 2 cores and is what a real add does for
the new plan's texts only (throughput: README). Timed: the first build, a build with nothing changed, a build
after one plan is added, a build after one plan is removed. Writes the `add` rows of
eval/reports/latest/benchmark_scale.json.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmark_scale import rss_mb, source  # noqa: E402

from rag.files import read_json, write_json  # noqa: E402
from rag.indexing.build import build_index  # noqa: E402
from rag.indexing.embedding import ModelSpec  # noqa: E402
from rag.ingest.library import Library  # noqa: E402
from rag.settings import Settings  # noqa: E402

PARTS = "一二三四五"
ITEMS = "一二三四五六七八九十"


class HashVectors:
    """A stand-in embedding model: a unit vector per text, fixed by the text's hash (same text, same vector)."""

    def __init__(self, dim: int = 384):
        self.spec = ModelSpec.resolve("intfloat/multilingual-e5-small", None, None)
        self.fingerprint = "benchmark-hash-vectors"
        self.dim = dim

    def _one(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
        v = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
        return v / np.linalg.norm(v)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self.queries(texts)


def write_corpus(n_clauses: int, corpus: Path, seed: int = 0) -> tuple[list[str], list[str]]:
    """Writes the documents; returns the sentence pool and the title words."""
    every, _, lexicon = source()  # the 27-document library's sentences (eval/benchmark_scale.py)
    sentences = [s for s in every if 12 <= len(s) <= 200 and s.endswith("。")]
    regions = sorted({json.dumps(read_json(m)["region"], ensure_ascii=False, sort_keys=True)
                      for m in (ROOT / "eval" / "unseen" / "corpus").glob("*.json")
                      if isinstance(read_json(m).get("region"), dict)})
    words = [t for t in lexicon.terms if 2 <= len(t) <= 4]
    rng = np.random.default_rng(seed)
    corpus.mkdir(parents=True, exist_ok=True)
    for d in range(n_clauses // (len(PARTS) * len(ITEMS))):
        write_document(corpus, f"syn-{d:05d}", json.loads(regions[d % len(regions)]), sentences, words, rng)
    return sentences, words


def write_document(corpus: Path, plan_id: str, region: dict[str, Any], sentences: list[str], words: list[str],
                   rng: np.random.Generator) -> None:
    def word() -> str:
        return words[int(rng.integers(0, len(words)))]

    lines = [f"{region['name']}关于推进{word()}{word()}发展的实施方案"]
    for p in PARTS:
        lines.append(f"{p}、{word()}{word()}")
        for i in ITEMS:
            body = "".join(sentences[int(j)] for j in rng.integers(0, len(sentences), int(rng.integers(1, 4))))
            lines.append(f"({i}){word()}{word()}。{body}")
    (corpus / f"{plan_id}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_json(corpus / f"{plan_id}.json", {"plan_id": plan_id, "file": f"{plan_id}.txt", "region": region})


def timed(settings: Settings, encoder: HashVectors) -> dict[str, Any]:
    t = time.perf_counter()
    manifest = build_index(settings, encoder, progress=lambda line: print("  " + line, flush=True))  # type: ignore[arg-type]
    return {"seconds": round(time.perf_counter() - t, 1), "peak_rss_mb_so_far": round(rss_mb("VmHWM")),
            "counts": manifest["counts"], "steps": {k: v for k, v in manifest["build"].items() if k != "seconds"}}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clauses", type=int, default=100_000)
    ap.add_argument("--keep", metavar="DIR", help="work here and keep the corpus and index")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="policyqa-add-"))
    try:
        corpus = work / "corpus"
        t = time.perf_counter()
        sentences, words = write_corpus(args.clauses, corpus)
        row: dict[str, Any] = {"clauses_asked": args.clauses, "sentence_pool": len(sentences),
                               "write_corpus_s": round(time.perf_counter() - t, 1)}
        settings = Settings(home=work / "home", corpus=corpus).with_(ann="hnsw")
        encoder = HashVectors()
        for step in ("first", "unchanged"):
            row[step] = timed(settings, encoder)
            print(step, json.dumps(row[step], ensure_ascii=False), flush=True)
        region = read_json(corpus / "syn-00000.json")["region"]
        write_document(corpus, "syn-added", region, sentences, words, np.random.default_rng(7))
        row["plan_added"] = timed(settings, encoder)
        print("plan_added", json.dumps(row["plan_added"], ensure_ascii=False), flush=True)
        Library(settings).remove("syn-00001", work / "removed")
        row["plan_removed"] = timed(settings, encoder)
        print("plan_removed", json.dumps(row["plan_removed"], ensure_ascii=False), flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "eval" / "reports" / "latest" / "benchmark_scale.json"
    report = read_json(out) if out.exists() else {"rows": []}
    rows = {r["clauses_asked"]: r for r in report.get("add", [])}
    rows[args.clauses] = row
    report["add"] = [rows[k] for k in sorted(rows)]
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
