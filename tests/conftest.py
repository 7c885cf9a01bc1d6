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
