"""One settings object, built from defaults and `POLICYQA_*` environment variables, passed down explicitly."""
from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from .errors import BadInputError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FUSIONS = ("rrf", "weighted")
MODES = ("hybrid", "bm25", "dense")
ANN_KINDS = ("auto", "flat", "hnsw")
STORES = ("local", "milvus")


def _calibration_path(env: Mapping[str, str], corpus: Path, home: Path) -> Path:
    """`POLICYQA_CALIBRATION`; else the project's file for the project's corpus, and the data directory's own
    file for any other corpus (refitting for another library must never overwrite the project's calibration)."""
    if env.get("POLICYQA_CALIBRATION"):
        return Path(env["POLICYQA_CALIBRATION"])
    return Settings.calibration if corpus == PROJECT_ROOT / "corpus" else home / "calibration.json"


def _in_checkout() -> bool:
    return (PROJECT_ROOT / "pyproject.toml").is_file()


def _choice(env: Mapping[str, str], key: str, default: str, choices: tuple[str, ...]) -> str:
    value = env.get(key, default)
    if value not in choices:
        raise BadInputError(f"{key}={value!r}: expected one of {', '.join(choices)}")
    return value


def _number(env: Mapping[str, str], key: str, default: float, cast: Callable[[Any], Any] = float) -> Any:
    try:
        value = cast(env.get(key, default))
    except ValueError as exc:
        raise BadInputError(f"{key}={env[key]!r} is not a number") from exc
    if not math.isfinite(value):
        raise BadInputError(f"{key}={env[key]!r} is not a finite number")
    return value


def _share(env: Mapping[str, str], key: str, default: float) -> float:
    """A weight between 0 and 1."""
    value = _number(env, key, default)
    if not 0.0 <= value <= 1.0:
        raise BadInputError(f"{key}={env[key]!r} is not between 0 and 1")
    return float(value)


def _words(env: Mapping[str, str], key: str) -> frozenset[str]:
    """A comma-separated list (API keys, origins)."""
    return frozenset(w.strip() for w in env.get(key, "").split(",") if w.strip())


@dataclass(frozen=True)
class Settings:
    """Where things live and how retrieval behaves.

    home:   all derived state (parsed library, model directory, search index); safe to delete and rebuild.
            `POLICYQA_HOME`, default `index/` in the project checkout.
    corpus: the raw documents and their manifests, the library's source of truth.
            `POLICYQA_CORPUS`, default `corpus/` in the project checkout.
    """

    home: Path
    corpus: Path
    embedding_model: str = "intfloat/multilingual-e5-small"
    query_prefix: str | None = None  # None: the model's known prefix
    passage_prefix: str | None = None
    fusion: str = "weighted"  # min-max scores, dense weighted `dense_weight` (RRF flattened a paraphrase's clear
    # dense winner under BM25's word coincidences; chosen on the development sets, see README). An English
    # question's dictionary words are fused by rank whatever this says (`HybridRetriever.retrieve`)
    mode: str = "hybrid"
    rrf_k: float = 60.0
    dense_weight: float = 0.7
    # a passage's meaning score mixes in its clause's best sentence's cosine, this much (0: the passage alone;
    # chosen on the development sets, see README)
    sentence_weight: float = 0.3
    # searching one plan by both rankers with a meaning score (the default path; not `bm25` mode, not RRF in the
    # store), a term's BM25 weight is scaled by (its idf over its passages / its idf over the library) ** this (0: the
    # library's idf alone; chosen on the development sets, see README)
    scoped_idf: float = 0.5
    candidates: int = 50
    ann: str = "auto"
    exact_limit: int = 100_000  # passages; above it `auto` picks HNSW
    hnsw_ef: int = 1024  # HNSW candidates examined per search (recall@10 ≥ 0.95 at 10^6: eval/benchmark_scale.py)
    use_dictionary: bool = True
    threads: int = 2
    calibration: Path = PROJECT_ROOT / "eval" / "calibration.json"
    # what a missing calibration is fitted on (a stale one is refitted on its own source file)
    calibration_questions: Path = PROJECT_ROOT / "eval" / "questions.jsonl"
    model_home: Path | None = None  # where the materialised model lives, when not under `home`
    # company matching, in z-scores of the business's cosine over the library's measures: a plan whose measures
    # average below `floor` is outside the business's field; chosen on the development profiles (README)
    match_fit_floor: float = -1.5
    # a writer (ingest, index, calibrate) that finds another one at work waits for it; off: stops (`--no-wait`)
    wait_for_writer: bool = True
    # serving (README "Configuration"): requests per minute per client (API key, else address; 0 = no limit),
    # requests waiting for or holding the CPU before 503 (0 = no bound), known API keys, origins allowed to
    # call from a browser page of another site, and how often the server looks for a newly built index
    rate_limit: float = 120.0
    queue_limit: int = 16
    api_keys: frozenset[str] = frozenset()
    cors_origins: frozenset[str] = frozenset()
    reload_seconds: float = 5.0
    # where passages are searched (rag/store): the index folder's files, or Milvus at `milvus_uri` (a file path:
    # Milvus Lite in this process; http(s)://host:19530: a Milvus server; None: <home>/milvus.db)
    store: str = "local"
    milvus_uri: str | None = None
    milvus_token: str = ""
    # what users create (rag/staff): None = the SQLite file <home>/policyqa.db; else a sqlite:/// or postgresql:// URL
    db_url: str | None = None

    def __post_init__(self) -> None:
        for name in ("rate_limit", "queue_limit", "reload_seconds"):
            if getattr(self, name) < 0:
                raise BadInputError(f"{name} must not be negative (0 turns it off)")

    @property
    def library_dir(self) -> Path:
        return self.home / "library"

    @property
    def index_dir(self) -> Path:
        return self.home / "search"

    @property
    def milvus_target(self) -> str:
        return self.milvus_uri or str(self.home / "milvus.db")

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def for_corpus(self, corpus: Path) -> Settings:
        """Settings for another library (`policyqa eval --corpus DIR`): its own data directory under this one,
        keyed by the folder's path, sharing this one's model."""
        corpus = corpus.expanduser().resolve()
        key = hashlib.sha256(str(corpus).encode()).hexdigest()[:12]
        home = self.home / "corpora" / f"{corpus.name}-{key}"
        return replace(self, corpus=corpus, home=home, model_home=self.model_home or self.home,
                       calibration=home / "calibration.json")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        if env.get("POLICYQA_HOME"):
            home = Path(env["POLICYQA_HOME"])
        elif _in_checkout():
            home = PROJECT_ROOT / "index"
        else:
            home = Path.home() / ".local" / "share" / "policyqa"
        corpus = Path(env["POLICYQA_CORPUS"]) if env.get("POLICYQA_CORPUS") else PROJECT_ROOT / "corpus"
        return cls(
            home=home.expanduser().resolve(),
            corpus=corpus.expanduser().resolve(),
            embedding_model=env.get("POLICYQA_EMBEDDING_MODEL", cls.embedding_model),
            query_prefix=env.get("POLICYQA_QUERY_PREFIX"),
            passage_prefix=env.get("POLICYQA_PASSAGE_PREFIX"),
            fusion=_choice(env, "POLICYQA_FUSION", cls.fusion, FUSIONS),
            mode=_choice(env, "POLICYQA_MODE", cls.mode, MODES),
            rrf_k=_number(env, "POLICYQA_RRF_K", cls.rrf_k),
            dense_weight=_share(env, "POLICYQA_DENSE_WEIGHT", cls.dense_weight),
            sentence_weight=_share(env, "POLICYQA_SENTENCE_WEIGHT", cls.sentence_weight),
            scoped_idf=_share(env, "POLICYQA_SCOPED_IDF", cls.scoped_idf),
            candidates=_number(env, "POLICYQA_CANDIDATES", cls.candidates, int),
            ann=_choice(env, "POLICYQA_ANN", cls.ann, ANN_KINDS),
            hnsw_ef=_number(env, "POLICYQA_HNSW_EF", cls.hnsw_ef, int),
            use_dictionary=env.get("POLICYQA_DICTIONARY", "1") not in ("0", "false", "no"),
            threads=_number(env, "POLICYQA_THREADS", cls.threads, int),
            calibration=_calibration_path(env, corpus.expanduser().resolve(), home.expanduser().resolve()),
            rate_limit=_number(env, "POLICYQA_RATE_LIMIT", cls.rate_limit),
            queue_limit=_number(env, "POLICYQA_QUEUE", cls.queue_limit, int),
            api_keys=_words(env, "POLICYQA_API_KEYS"),
            cors_origins=_words(env, "POLICYQA_CORS_ORIGINS"),
            reload_seconds=_number(env, "POLICYQA_RELOAD_SECONDS", cls.reload_seconds),
            store=_choice(env, "POLICYQA_STORE", cls.store, STORES),
            milvus_uri=env.get("POLICYQA_MILVUS_URI") or None,
            milvus_token=env.get("POLICYQA_MILVUS_TOKEN", ""),
            db_url=env.get("POLICYQA_DB") or None,
        )
