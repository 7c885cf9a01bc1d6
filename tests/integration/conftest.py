"""Shared fixtures: the real corpus, parsed once per session into a temporary data directory."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.library import Library
from rag.settings import PROJECT_ROOT, Settings

CORPUS = PROJECT_ROOT / "corpus"
PLAN_IDS = ["jiangsu-2024", "jinan-2022", "sichuan-2023", "yongchuan-2023", "zhejiang-2023"]


@pytest.fixture(scope="session")
def library(tmp_path_factory) -> Library:
    """The five real plans, ingested into a throw-away data directory (the corpus itself is read-only here)."""
    settings = Settings(home=tmp_path_factory.mktemp("home"), corpus=CORPUS)
    lib = Library(settings)
    results, errors = lib.ingest_corpus()
    assert not errors, errors
    assert sorted(r.meta.plan_id for r in results) == PLAN_IDS
    return lib


@pytest.fixture
def scratch(tmp_path) -> Settings:
    """A writable corpus (a copy of the real one) and an empty data directory, for ingest tests."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    return Settings(home=tmp_path / "home", corpus=corpus)


def raw_text(plan_id: str) -> str:
    return (CORPUS / f"{plan_id}.txt").read_text(encoding="utf-8")


def by_path(library: Library, plan_id: str, item_path: str):
    """The clauses whose item path is exactly `item_path`."""
    return [c for c in library.clauses(plan_id) if c.item_path == item_path]


@pytest.fixture(scope="session")
def model_home(tmp_path_factory):
    """A data directory holding the materialised e5 model, shared by every index built in the tests."""
    from rag.embedding import builtin_model_dir

    home = tmp_path_factory.mktemp("model-home")
    builtin_model_dir(home, progress=lambda _: None)
    return home


def home_with_model(model_home, path: Path) -> Path:
    """A fresh data directory that reuses the session's model folder (no second 470 MB copy)."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "models").symlink_to(model_home / "models", target_is_directory=True)
    return path


@pytest.fixture(scope="session")
def embedder(model_home):
    from rag.embedding import Embedder, ModelSpec

    spec = ModelSpec.resolve("intfloat/multilingual-e5-small", None, None)
    return Embedder(spec, model_home, threads=2, progress=lambda _: None)


@pytest.fixture(scope="session")
def built(tmp_path_factory, model_home, embedder):
    """Settings whose data directory holds a full index of the real corpus."""
    from rag.index import build_index

    home = home_with_model(model_home, tmp_path_factory.mktemp("built") / "home")
    settings = Settings(home=home, corpus=CORPUS)
    build_index(settings, embedder, progress=lambda _: None)
    return settings


@pytest.fixture(scope="session")
def retriever(built, embedder):
    from rag.index import SearchIndex
    from rag.retriever import HybridRetriever

    return HybridRetriever(SearchIndex.open(built.index_dir, built), embedder, built)


@pytest.fixture(scope="session")
def answerer(retriever):
    from rag.answer import Answerer, Calibration

    return Answerer(retriever, Calibration.load(PROJECT_ROOT / "eval" / "calibration.json"))


@pytest.fixture
def cli(built, monkeypatch):
    """`policyqa` (rag.cli.main) run against the session's built index."""
    from rag.cli import main

    monkeypatch.setenv("POLICYQA_HOME", str(built.home))
    monkeypatch.setenv("POLICYQA_CORPUS", str(built.corpus))
    return main


@pytest.fixture
def run_batch(cli, tmp_path, capsys):
    """Run `policyqa COMMAND --batch FILE --json ARGS` on `rows`; returns the printed objects, in order."""
    import json

    def run(command: str, rows: list[dict], *args: str) -> list[dict]:
        batch = tmp_path / f"{command}-batch.jsonl"
        batch.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        assert cli([command, "--batch", str(batch), "--json", *args]) == 0
        return [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    return run
