"""Fixtures for both tiers. Every test's state lives in temporary folders: an autouse fixture points
POLICYQA_HOME, POLICYQA_CORPUS and POLICYQA_CALIBRATION away from the checkout, and the session fails if the
checkout's corpus, eval data or index folder changed while the tests ran."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import CALIBRATION, CORPUS, PLAN_IDS, PROJECT_ROOT

from rag.ingest.library import Library
from rag.settings import Settings

_WATCHED = ("corpus", "eval/questions.jsonl", "eval/holdout.jsonl", "eval/calibration.json", "eval/unseen", "index",
            "rag/data")  # (index/ is watched: a developer building an index meanwhile trips this too)
_KEY = pytest.StashKey[dict[str, tuple[int, int]]]()


def _snapshot() -> dict[str, tuple[int, int]]:
    out = {}
    for name in _WATCHED:
        root = PROJECT_ROOT / name
        for path in [root] if root.is_file() else sorted(root.rglob("*")) if root.exists() else []:
            if path.is_file():
                stat = path.stat()
                out[str(path.relative_to(PROJECT_ROOT))] = (stat.st_size, stat.st_mtime_ns)
    return out


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_KEY] = _snapshot()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(_KEY, None)
    if before is None:
        return
    after = _snapshot()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        print(f"\nthe checkout changed while the tests ran: {', '.join(changed[:10])}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED



@pytest.fixture(autouse=True)
def isolated_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """State of commands run without explicit settings goes to a throw-away home, corpus and calibration."""
    root = tmp_path_factory.mktemp("state")
    shutil.copytree(CORPUS, root / "corpus")
    shutil.copyfile(CALIBRATION, root / "calibration.json")
    monkeypatch.setenv("POLICYQA_HOME", str(root / "home"))
    monkeypatch.setenv("POLICYQA_CORPUS", str(root / "corpus"))
    monkeypatch.setenv("POLICYQA_CALIBRATION", str(root / "calibration.json"))
    return root


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The five real plans, ingested into a throw-away data directory (the corpus itself is read-only here)."""
    settings = Settings(home=tmp_path_factory.mktemp("home"), corpus=CORPUS)
    lib = Library(settings)
    results, errors = lib.ingest_corpus()
    assert not errors, errors
    assert sorted(r.meta.plan_id for r in results) == PLAN_IDS
    return lib


@pytest.fixture
def scratch(tmp_path: Path) -> Settings:
    """A writable corpus (a copy of the real one) and an empty data directory, for ingest tests."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    return Settings(home=tmp_path / "home", corpus=corpus)
