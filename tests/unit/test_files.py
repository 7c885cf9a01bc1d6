"""Atomic folders and JSONL: a failed or interrupted write never leaves a half-written folder serving."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from rag.files import atomic_dir, read_jsonl, recover, write_jsonl


def test_a_folder_is_swapped_in_only_when_complete(tmp_path):
    final = tmp_path / "search"
    with atomic_dir(final) as tmp:
        (tmp / "a.txt").write_text("one")
    assert (final / "a.txt").read_text() == "one"
    with pytest.raises(RuntimeError), atomic_dir(final) as tmp:
        (tmp / "a.txt").write_text("two")
        raise RuntimeError("the build failed")
    assert (final / "a.txt").read_text() == "one"

    def refuse(folder):
        raise ValueError(f"{folder} does not verify")

    with pytest.raises(ValueError), atomic_dir(final, verify=refuse) as tmp:
        (tmp / "a.txt").write_text("three")
    assert (final / "a.txt").read_text() == "one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["search"]  # no temporary or old folder left


def test_an_interrupted_swap_is_undone_and_only_dead_writers_temporaries_are_removed(tmp_path):
    final = tmp_path / "plan"
    old = tmp_path / ".plan.old"
    old.mkdir()
    (old / "meta.json").write_text("{}")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (tmp_path / f".plan-{dead.pid}-x1").mkdir()  # left by a writer killed midway
    running = tmp_path / f".plan-{os.getppid()}-x2"  # another writer's, still at work
    running.mkdir()
    assert recover(final) == final and (final / "meta.json").is_file() and not old.exists()
    with atomic_dir(final) as tmp:
        assert tmp.name.startswith(f".plan-{os.getpid()}-")
        (tmp / "meta.json").write_text('{"v": 2}')
    assert sorted(p.name for p in tmp_path.iterdir()) == [running.name, "plan"]


def test_jsonl_round_trip_skips_blank_lines(tmp_path):
    path = tmp_path / "rows.jsonl"
    write_jsonl(path, [{"id": 1, "q": "济南"}, {"id": 2}])
    path.write_text(path.read_text() + "\n\n")
    assert read_jsonl(path) == [{"id": 1, "q": "济南"}, {"id": 2}]
