"""The ONNX encoder's parts that need no model: the word-embedding table read through a memory map, and when
the export beside the model folder is made, reused or redone (the export itself: tests/integration)."""
from __future__ import annotations

import json

import numpy as np
import pytest
from safetensors.numpy import save_file

from rag.indexing import ortmodel
from rag.indexing.ortmodel import DATA, GRAPH, WORD_EMBEDDINGS, OnnxUnavailable, exported, onnx_dir, word_embeddings


def test_word_embeddings_are_read_from_safetensors_through_a_memory_map(tmp_path):
    table = np.arange(24, dtype=np.float32).reshape(6, 4)
    save_file({"a.bias": np.ones(3, np.float32), WORD_EMBEDDINGS: table, "z.weight": np.zeros((2, 2), np.float32)},
              str(tmp_path / "model.safetensors"))
    got = word_embeddings(tmp_path / "model.safetensors")
    assert isinstance(got, np.memmap) and np.array_equal(got, table)
    assert np.array_equal(got[np.array([[5, 0], [1, 1]])], table[[[5, 0], [1, 1]]])


def test_a_table_that_is_not_float32_is_refused(tmp_path):
    save_file({WORD_EMBEDDINGS: np.zeros((6, 4), np.float16)}, str(tmp_path / "model.safetensors"))
    with pytest.raises(OnnxUnavailable, match="F16"):
        word_embeddings(tmp_path / "model.safetensors")


def _model_folder(tmp_path, sha: str = "abc"):
    folder = tmp_path / "models" / "multilingual-e5-small"
    folder.mkdir(parents=True)
    (folder / "policyqa_source.json").write_text(json.dumps({"sha256": sha, "converter": "2"}), encoding="utf-8")
    return folder


def test_the_export_is_made_once_beside_the_model_folder_and_redone_when_the_model_changes(tmp_path, monkeypatch):
    folder = _model_folder(tmp_path)
    runs = []

    def fake_export(model_dir, out):
        runs.append(model_dir)
        (out / GRAPH).write_bytes(b"graph")
        (out / DATA).write_bytes(b"weights")

    monkeypatch.setattr(ortmodel, "_export_in_child", fake_export)
    said: list[str] = []
    target = exported(tmp_path, folder, said.append)
    assert target == onnx_dir(folder) == tmp_path / "models" / "multilingual-e5-small.onnx"
    assert (target / GRAPH).is_file() and runs == [folder] and "exporting" in said[0]
    assert exported(tmp_path, folder, said.append) == target and len(runs) == 1, "an up-to-date export is reused"
    (folder / "policyqa_source.json").write_text(json.dumps({"sha256": "def", "converter": "2"}), encoding="utf-8")
    exported(tmp_path, folder, said.append)
    assert len(runs) == 2, "a rebuilt model folder is exported again"
    (target / DATA).unlink()
    exported(tmp_path, folder, said.append)
    assert len(runs) == 3 and (target / DATA).is_file(), "a damaged export is redone"


def test_a_failed_export_leaves_nothing_behind_and_says_why(tmp_path, monkeypatch):
    folder = _model_folder(tmp_path)

    def failing(model_dir, out):
        (out / GRAPH).write_bytes(b"half")
        raise OnnxUnavailable("the export failed: ModuleNotFoundError: No module named 'onnx'")

    monkeypatch.setattr(ortmodel, "_export_in_child", failing)
    with pytest.raises(OnnxUnavailable, match="No module named 'onnx'"):
        exported(tmp_path, folder, lambda _: None)
    assert not onnx_dir(folder).exists()


def test_a_folder_without_its_source_stamp_has_no_export(tmp_path):
    with pytest.raises(OnnxUnavailable, match="policyqa_source.json"):
        exported(tmp_path, tmp_path / "models" / "elsewhere", lambda _: None)
