"""The same questions through other retrieval settings: BM25 only, dense only, hybrid RRF, hybrid weighted,
without plan resolution, English questions by meaning alone (no dictionary bridge), and hybrid without the
policy dictionary (an index rebuilt beside the live one, every vector reused)."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..answer.answerer import Answerer
from ..errors import PolicyQAError
from ..indexing.build import build_index
from ..indexing.folder import SearchIndex
from ..search.corpus import CorpusView
from ..search.retriever import HybridRetriever
from ..settings import Settings
from .score import score

HEADLINE = ("citation_at_1", "citation_at_3", "key_recall", "no_answer_accuracy")


def headline(result: dict[str, Any]) -> dict[str, Any]:
    o = result["overall"]
    return {k: o[k] for k in HEADLINE}


def ablations(settings: Settings, answerer: Answerer, questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    retriever = answerer.retriever
    if not isinstance(retriever, HybridRetriever):
        raise PolicyQAError("ablations rebuild the local hybrid index; this answerer searches another store")
    embedder = retriever.embedder
    calibration = answerer.scope.calibration
    variants = [("bm25 only", settings.with_(mode="bm25")), ("dense only", settings.with_(mode="dense")),
                ("hybrid rrf", settings.with_(mode="hybrid", fusion="rrf")),
                ("hybrid weighted", settings.with_(mode="hybrid", fusion="weighted"))]
    out = []
    for name, variant in variants:
        other = HybridRetriever(retriever.index, embedder, variant, retriever.store)
        out.append({"variant": name, **headline(score(Answerer(other, answerer.corpus, calibration), questions))})
    unresolved = Answerer(retriever, answerer.corpus, calibration, resolve_plans=False)
    default = f"hybrid {settings.fusion}"  # (the settings' fusion, as the plain run)
    out.append({"variant": f"{default}, no plan resolution", **headline(score(unresolved, questions))})
    unbridged = Answerer(retriever, answerer.corpus, calibration, bridge_english=False)
    out.append({"variant": f"{default}, English by meaning only", **headline(score(unbridged, questions))})
    with tempfile.TemporaryDirectory(prefix="policyqa-ablation-") as tmp:
        home = Path(tmp)
        (home / "models").symlink_to(settings.home / "models", target_is_directory=True)
        shutil.copytree(settings.index_dir, home / "search")  # every vector is reused; only BM25 changes
        plain = settings.with_(home=home, use_dictionary=False, store="local")
        build_index(plain, embedder, progress=lambda _: None)
        index = SearchIndex.open(plain.index_dir, plain)
        other = HybridRetriever(index, embedder, plain)
        result = score(Answerer(other, CorpusView(index), calibration), questions)
        out.append({"variant": f"{default}, no dictionary", **headline(result)})
    return out
