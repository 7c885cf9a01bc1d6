"""Constants and helpers shared by both test tiers (fixtures live in the conftest files)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from rag.ingest.library import Library
from rag.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus"
PLAN_IDS = ["jiangsu-2024", "jinan-2022", "sichuan-2023", "yongchuan-2023", "zhejiang-2023"]
CALIBRATION = PROJECT_ROOT / "eval" / "calibration.json"

__all__ = ["CALIBRATION", "CORPUS", "PLAN_IDS", "PROJECT_ROOT", "by_path", "home_with_model", "private_copy", "raw_text",
           "serving"]


def raw_text(plan_id: str) -> str:
    return (CORPUS / f"{plan_id}.txt").read_text(encoding="utf-8")


def by_path(library: Library, plan_id: str, item_path: str) -> list:
    """The clauses whose item path is exactly `item_path`."""
    return [c for c in library.clauses(plan_id) if c.item_path == item_path]


def home_with_model(model_home: Path, path: Path) -> Path:
    """A fresh data directory that reuses the session's model folder (no second 470 MB copy)."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "models").symlink_to(model_home / "models", target_is_directory=True)
    return path


def private_copy(built, root: Path, calibration: Path | None = None):
    """Settings for a data directory and corpus of a test's own under `root`: the session's index, parsed library
    and corpus copied (what the test adds or removes changes nothing of the session's), its model linked."""
    import shutil

    home, corpus = root / "home", root / "corpus"
    home.mkdir(parents=True)
    (home / "models").symlink_to(built.home / "models", target_is_directory=True)
    for name in ("search", "library"):
        shutil.copytree(built.home / name, home / name)
    shutil.copytree(built.corpus, corpus)
    if calibration is not None:
        shutil.copy(calibration, root / "calibration.json")
    return built.with_(home=home, corpus=corpus, calibration=root / "calibration.json")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(settings, **env: str):
    """`policyqa serve` on a free port over these settings (and extra `POLICYQA_*` variables), until the block
    ends; yields the base URL."""
    port = free_port()
    env = dict(os.environ, POLICYQA_HOME=str(settings.home), POLICYQA_CORPUS=str(settings.corpus),
               POLICYQA_CALIBRATION=str(settings.calibration), **env)
    proc = subprocess.Popen([sys.executable, "-m", "rag", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("policyqa serve did not start:\n" + (proc.stdout.read() or ""))
            time.sleep(0.5)
    try:
        yield url
    finally:
        proc.terminate()  # a graceful stop waits for open connections (a browser still on the page) …
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # … for at most this long
            proc.kill()
            proc.wait(timeout=30)
