"""Hardening against an unlucky or hostile user, on real indexes and real processes: one writer at a time on a
data directory, a manifest that refuses any edit, a running server that serves a newly built index, and the
API's OpenAPI document checked by schemathesis against the real server."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from support import CALIBRATION, CORPUS, PROJECT_ROOT, serving

from rag.errors import IndexInvalidError
from rag.indexing.folder import SearchIndex
from rag.writer import one_writer

NEW_DOC = PROJECT_ROOT / "tests" / "data" / "corpus-more" / "china-satcom-2025.txt"


@pytest.fixture
def private(built, tmp_path):
    """A data directory and corpus of this test's own (a copy of the session's index, the model shared)."""
    home, corpus = tmp_path / "home", tmp_path / "corpus"
    home.mkdir()
    (home / "models").symlink_to(built.home / "models", target_is_directory=True)
    for name in ("search", "library"):
        shutil.copytree(built.home / name, home / name)
    shutil.copytree(CORPUS, corpus)
    shutil.copy(CALIBRATION, tmp_path / "calibration.json")
    return built.with_(home=home, corpus=corpus, calibration=tmp_path / "calibration.json")


def _env(settings) -> dict[str, str]:
    return dict(os.environ, POLICYQA_HOME=str(settings.home), POLICYQA_CORPUS=str(settings.corpus),
                POLICYQA_CALIBRATION=str(settings.calibration))


def _policyqa(settings, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rag", *args], env=_env(settings), capture_output=True, text=True,
                          timeout=600)


def _started(settings, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "rag", *args], env=_env(settings), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _first_line_with(stream, text: str, seconds: float) -> str:
    """The first line of `stream` containing `text`, read in a thread so a silent process cannot hang the test."""
    found: list[str] = []

    def read() -> None:
        for line in stream:
            if text in line:
                found.append(line)
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(seconds)
    assert found, f"no line with {text!r} within {seconds} s"
    return found[0]


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read())


def _ask(url: str, question: str) -> dict:
    request = urllib.request.Request(url + "/api/ask", data=json.dumps({"question": question}).encode(),
                                     headers={"content-type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as r:
        return json.loads(r.read())


def test_a_running_server_serves_a_plan_added_and_indexed_while_it_runs(private):
    question = "卫星通信产业到2030年发展卫星通信用户超过多少?"
    with serving(private, POLICYQA_RELOAD_SECONDS="1") as url:
        before = _get(url + "/health")
        assert "china-satcom-2025" not in before["plans"] and before["index"]["index_on_disk"] == "served"
        assert all(c["plan_id"] != "china-satcom-2025" for c in _ask(url, question)["citations"])
        added = _policyqa(private, "ingest", str(NEW_DOC), "--plan-id", "china-satcom-2025")
        assert added.returncode == 0, added.stderr
        built = _policyqa(private, "index")
        assert built.returncode == 0, built.stderr
        deadline = time.monotonic() + 120
        while "china-satcom-2025" not in (health := _get(url + "/health"))["plans"]:
            assert time.monotonic() < deadline, health
            time.sleep(1)
        assert health["index"]["reloads"] == 1 and health["index"]["index_on_disk"] == "served"
        assert health["built_at"] != before["built_at"] and health["counts"]["plans"] == 6
        answer = _ask(url, question)
        first = answer["citations"][0]
        assert first["plan_id"] == "china-satcom-2025" and "卫星通信用户超千万" in first["context"]


def test_one_writer_at_a_time(private):
    with one_writer(private.home, "the test", say=lambda _: None):
        refused = _policyqa(private, "index", "--no-wait")
        assert refused.returncode == 1 and "being written by pid" in refused.stderr and "the test" in refused.stderr
        assert "Traceback" not in refused.stderr
        waiting = _started(private, "index")
        said = _first_line_with(waiting.stderr, "waiting for", seconds=120)  # it finds the lock held, and says so
        assert "pid" in said and "the test" in said and waiting.poll() is None
    out, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0 and "index ready" in out, err
    # two builds started together: both finish, neither breaks the other's temporary folder
    both = [_started(private, "index") for _ in range(2)]
    results = [p.communicate(timeout=600) for p in both]
    assert [p.returncode for p in both] == [0, 0], results
    assert not any("Traceback" in err for _, err in results)
    SearchIndex.open(private.index_dir, private)  # the index left is whole and verified
    assert not list(private.home.glob(".search-*"))


def test_any_edit_of_the_manifest_is_refused_naming_it(built, tmp_path):
    folder = tmp_path / "search"
    shutil.copytree(built.index_dir, folder)
    manifest = folder / "manifest.json"
    original = manifest.read_text(encoding="utf-8")
    SearchIndex.open(folder, built)
    data = json.loads(original)
    edits = [dict(data, built_at="2020-01-01T00:00:00+00:00"), dict(data, counts={**data["counts"], "plans": 9}),
             dict(data, corpus={**data["corpus"], "jinan-2022": {**data["corpus"]["jinan-2022"], "sha256": "0" * 64}})]
    for edited in edits:
        manifest.write_text(json.dumps(edited, ensure_ascii=False, indent=2), encoding="utf-8")
        with pytest.raises(IndexInvalidError, match="manifest.json does not match its own checksum"):
            SearchIndex.open(folder, built)
    # one flipped character inside a data file's recorded hash is the manifest's fault, not the data file's
    recorded = data["files"]["vectors.npy"]["sha256"]
    flipped = recorded[:10] + ("0" if recorded[10] != "0" else "1") + recorded[11:]
    manifest.write_text(original.replace(recorded, flipped), encoding="utf-8")
    with pytest.raises(IndexInvalidError, match="manifest.json does not match its own checksum"):
        SearchIndex.open(folder, built)


def test_the_openapi_document_is_the_api(built, tmp_path):
    """schemathesis (pinned) with every check against the real server: status codes, bodies and headers as
    declared, 405 for undeclared methods, invalid input refused, valid input accepted (tests/schemathesis.toml)."""
    with serving(built.with_(calibration=CALIBRATION), POLICYQA_RATE_LIMIT="0",
                 POLICYQA_DB=f"sqlite:///{tmp_path / 'fuzzed.db'}") as url:  # (what it creates stays out of others' way)
        run = subprocess.run([str(Path(sys.executable).parent / "schemathesis"), "--config-file",
                              str(PROJECT_ROOT / "tests" / "schemathesis.toml"), "run", url + "/openapi.json",
                              "--checks", "all", "-n", "25", "--seed", "1"], capture_output=True, text=True,
                             timeout=900)
    tail = run.stdout[-3000:]
    assert run.returncode == 0, tail
    assert " passed" in tail and "failure" not in tail.lower().split("summary")[-1]
