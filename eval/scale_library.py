"""A synthetic library of N clauses written as a real index folder (for eval/benchmark_scale.py --ask).

Clause i joins 1–4 sentences of the 27-document evaluation library, drawn at random (seeded), and takes the item
path, title, kind and headings of the first sentence's clause; 50 clauses make a plan, whose region is one of the
real plans' regions (in turn) and whose title is that region, two policy-dictionary words and 行动计划 with years.
Its vector is the normalised sum of its sentences' real e5 vectors plus noise (σ 0.01 per dimension, normalised
again); each of its sentences keeps its real vector. The folder is what `policyqa index` writes (every file in the
manifest with its checksum), so `SearchIndex.open` loads and verifies it as it would a built index.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from rag.files import file_sha256, read_json, read_jsonl, write_json, write_jsonl
from rag.indexing import dense as dense_index
from rag.indexing.bm25 import BM25
from rag.indexing.build import versions
from rag.indexing.folder import FORMAT, MANIFEST, manifest_digest
from rag.indexing.passages import Passage, passage_texts
from rag.match.terms import Terms
from rag.text.lexicon import Lexicon
from rag.types import Clause, PlanMeta

PER_PLAN = 50


def _source(folder: Path) -> dict[str, Any]:
    clauses = [Clause.from_dict(d) for d in read_jsonl(folder / "clauses.jsonl")]
    by_id = {c.chunk_id: c for c in clauses}
    rows = read_jsonl(folder / "sentences.jsonl")
    plans = {k: PlanMeta.from_dict(v) for k, v in read_json(folder / "plans.json").items()}
    return {"sentences": [by_id[r["chunk_id"]].text[r["start"]:r["end"]] for r in rows],
            "owners": [by_id[r["chunk_id"]] for r in rows],
            "vectors": np.load(folder / "sentence_vectors.npy"),
            "regions": sorted({p.region for p in plans.values() if p.region}, key=lambda r: r.name),
            "lexicon": Lexicon(read_json(folder / "lexicon.json")["extra_terms"]),
            "manifest": read_json(folder / MANIFEST)}


def write_library(n: int, source_index: Path, out: Path, embedding: dict[str, Any], seed: int = 0) -> dict[str, Any]:
    src = _source(source_index)
    rng = np.random.default_rng(seed)
    lexicon: Lexicon = src["lexicon"]
    words = [t for t in lexicon.terms if 2 <= len(t) <= 4]
    plans: dict[str, PlanMeta] = {}
    clauses, sentence_rows, spans, vectors = [], [], [], np.zeros((n, src["vectors"].shape[1]), np.float32)
    for i in range(n):
        pid = f"syn-{i // PER_PLAN:05d}"
        if pid not in plans:
            region = src["regions"][len(plans) % len(src["regions"])]
            year = 2021 + int(rng.integers(0, 6))
            topic = "".join(words[j] for j in rng.integers(0, len(words), 2))
            plans[pid] = PlanMeta(plan_id=pid, file=f"{pid}.txt", title=f"{region.name}{topic}行动计划({year}—{year + 2}年)",
                                  region=region, group="synthetic")
        picks = rng.integers(0, len(src["sentences"]), int(rng.integers(1, 5)))
        owner: Clause = src["owners"][picks[0]]
        text, start = "", []
        for j in picks:
            start.append(len(text))
            text += src["sentences"][j]
        clause = Clause(plan_id=pid, item_path=owner.item_path, item_title=owner.item_title, text=text,
                        kind=owner.kind, parents=owner.parents, order=i % PER_PLAN)
        clauses.append(clause)
        for j, a in zip(picks, start):
            spans.append({"chunk_id": clause.chunk_id, "start": a, "end": a + len(src["sentences"][j])})
            sentence_rows.append(int(j))
        v = src["vectors"][picks].sum(axis=0)
        vectors[i] = v / np.linalg.norm(v)
    vectors += rng.normal(0, 0.01, vectors.shape).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    passages, pvec, tokens = [], [], []
    for i, c in enumerate(clauses):
        for t in passage_texts(c, plans[c.plan_id].display_title):
            passages.append(Passage(len(passages), c.chunk_id, c.plan_id, t))
            pvec.append(i)
            tokens.append(lexicon.tokenize(t))
    passage_vectors = vectors[pvec]
    kind = "flat" if len(passages) <= 100_000 else "hnsw"
    dense = dense_index.build(passage_vectors, kind)
    dense_meta = {**dense_index.params(kind), **({"trained_on": len(passages)} if kind == "hnsw" else {})}
    bm25 = BM25.from_tokens(tokens, lexicon.tokenize)
    out.mkdir(parents=True)
    import faiss

    write_jsonl(out / "clauses.jsonl", (c.to_dict() for c in clauses))
    write_jsonl(out / "passages.jsonl", (p.to_dict() for p in passages))
    write_json(out / "plans.json", {k: m.to_dict() for k, m in plans.items()}, indent=None)
    write_json(out / "lexicon.json", {"extra_terms": read_json(source_index / "lexicon.json")["extra_terms"]}, indent=None)
    write_json(out / "twins.json", {}, indent=None)
    np.save(out / "vectors.npy", passage_vectors)
    write_jsonl(out / "sentences.jsonl", spans)
    np.save(out / "sentence_vectors.npy", src["vectors"][sentence_rows])
    write_jsonl(out / "measures.jsonl", [])
    faiss.write_index(dense, str(out / "dense.faiss"))
    bm25.save(out)
    files = {f.name: {"sha256": file_sha256(f), "bytes": f.stat().st_size} for f in sorted(out.iterdir())}
    manifest = {"format": FORMAT, "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "embedding": embedding, "lexicon": src["manifest"]["lexicon"], "dense": dense_meta,
                "bm25": bm25.params, "corpus": {}, "measures": {"checksum": Terms.load().checksum},
                "counts": {"plans": len(plans), "clauses": len(clauses), "passages": len(passages), "sentences": len(spans),
                           "measures": 0},
                "build": {"embedded": 0, "reused": 0, "seconds": 0}, "versions": versions(), "files": files}
    manifest["self_sha256"] = manifest_digest(manifest)
    write_json(out / MANIFEST, manifest)
    return manifest
