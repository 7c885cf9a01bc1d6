"""The built-in e5 model run with onnxruntime and `tokenizers` alone: no torch, no transformers to answer.

Importing torch and transformers to embed one query made a CLI answer take 7.6 s from start (2.5 s without
them) and a server idle at 1,022 MiB (740 MiB without). Here the folder's three steps (Transformer -> mean
pooling over the attention mask -> L2 normalisation) run on an ONNX export of it, made once by `onnxexport.py`
in a child process (the only place torch is imported) into `<model folder>.onnx/` beside it, and checked
against the torch model before it is kept. The graph starts after the word-embedding lookup: that table
(250,037 x 384 fp32, 384 MB of the 470 MB) is read from `model.safetensors` through a memory map, touching
only the rows of the tokens seen, where onnxruntime would copy all of it (a session over the whole model left
a process at 849 MiB after loading, this one at 434 MiB after its first query, 282 MiB of that the tokenizer).
The other weights are in an external data file that onnxruntime maps. Tokens come from the folder's
`tokenizer.json`, truncated to `max_seq_length` and padded as transformers does. Vectors equal the
transformers encoder's (cosine >= 0.9999 on every evaluation question and passage text:
tests/integration/test_embedding.py), so the model's fingerprint and existing indexes stay valid.
"""
from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..files import atomic_dir, read_json, write_json
from ..writer import one_writer

GRAPH, DATA, STAMP = "encoder.onnx", "encoder.onnx.data", "policyqa_onnx.json"
INPUTS = ("input_ids", "word_embeds", "attention_mask")
EXPORTER = "1"  # bump when the exported graph changes: existing exports are redone
WORD_EMBEDDINGS = "embeddings.word_embeddings.weight"
SHRINK_TOKENS = 2048  # a batch larger than this gives its scratch memory back (a passage batch, not a question)


class OnnxUnavailable(Exception):
    """No ONNX encoder here; the message says why (the caller falls back to transformers)."""


def onnx_dir(model_dir: Path) -> Path:
    return model_dir.with_name(model_dir.name + ".onnx")


def exported(home: Path, model_dir: Path, progress: Callable[[str], None] = print) -> Path:
    """The ONNX export of `model_dir` (a materialised built-in model), made once under the writer lock."""
    target = onnx_dir(model_dir)
    try:
        source = (model_dir / "policyqa_source.json").read_text(encoding="utf-8")
    except OSError as exc:
        raise OnnxUnavailable(f"{model_dir} has no policyqa_source.json ({exc.strerror})") from None
    wanted = {"model": json.loads(source), "exporter": EXPORTER}

    def current() -> bool:
        try:
            return bool(read_json(target / STAMP) == wanted and (target / GRAPH).is_file() and (target / DATA).is_file())
        except (OSError, ValueError):
            return False

    if current():
        return target
    try:
        with one_writer(home, "exporting the model to ONNX", True, progress):
            if current():
                return target
            progress(f"exporting {model_dir.name} to ONNX into {target} (once) …")
            with atomic_dir(target) as tmp:
                _export_in_child(model_dir, tmp)
                write_json(tmp / STAMP, wanted)
    except OSError as exc:
        raise OnnxUnavailable(f"cannot write {target}: {exc}") from None
    return target


def _export_in_child(model_dir: Path, out: Path) -> None:
    """`python -m rag.indexing.onnxexport` (torch stays out of this process); its last line of error on failure."""
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p))
    try:
        done = subprocess.run([sys.executable, "-m", "rag.indexing.onnxexport", str(model_dir), str(out)], env=env,
                              capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OnnxUnavailable(f"the export did not run: {exc}") from None
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()] or [f"exit code {done.returncode}"]
        raise OnnxUnavailable(f"the export failed: {lines[-1].strip()}")


def word_embeddings(safetensors: Path) -> np.ndarray:
    """The word-embedding table of a safetensors file as a read-only memory map (nothing read until used)."""
    with safetensors.open("rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        entry = json.loads(f.read(size))[WORD_EMBEDDINGS]
    if entry["dtype"] != "F32" or len(entry["shape"]) != 2:
        raise OnnxUnavailable(f"{safetensors.name}: {WORD_EMBEDDINGS} is {entry['dtype']} {entry['shape']}")
    return np.memmap(safetensors, np.dtype("<f4"), "r", 8 + size + entry["data_offsets"][0], tuple(entry["shape"]))


class OnnxSentenceModel:
    """`encode` as sentence-transformers' for the built-in folder, on onnxruntime (see the module docstring)."""

    def __init__(self, folder: Path, onnx: Path, threads: int | None = None):
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise OnnxUnavailable(f"{exc.name} is not installed") from None
        try:
            self.max_length = int(read_json(folder / "sentence_bert_config.json").get("max_seq_length", 512))
            pad = str(read_json(folder / "tokenizer_config.json").get("pad_token", "<pad>"))
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self.embeddings = word_embeddings(folder / "model.safetensors")
            options = ort.SessionOptions()
            options.intra_op_num_threads = threads or 0  # 0: onnxruntime's default, one per physical core
            options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # idle threads sleep
            self.session = ort.InferenceSession(str(onnx / GRAPH), options, providers=["CPUExecutionProvider"])
            self.shrink = ort.RunOptions()
            self.shrink.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        except Exception as exc:  # onnxruntime's errors (a damaged export) derive from Exception alone
            raise OnnxUnavailable(f"{type(exc).__name__}: {exc}") from None
        pad_id = self.tokenizer.token_to_id(pad)
        if pad_id is None:
            raise OnnxUnavailable(f"tokenizer.json has no {pad} token")
        self.tokenizer.enable_truncation(self.max_length)  # transformers' default: longest_first, from the right
        self.tokenizer.enable_padding(pad_id=pad_id, pad_token=pad)  # to the batch's longest, on the right
        self.dim = int(self.embeddings.shape[1])

    def encode(self, texts: Sequence[str], batch_size: int = 32, normalize_embeddings: bool = True,
               convert_to_numpy: bool = True, show_progress_bar: bool = False) -> np.ndarray:
        """Longest texts first in batches (as sentence-transformers does), vectors back in the input order."""
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.dim), np.float32)
        starts: Any = range(0, len(order), batch_size)
        if show_progress_bar:
            from tqdm import tqdm

            starts = tqdm(starts, desc="Batches")
        for start in starts:
            rows = order[start:start + batch_size]
            batch = self.tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in batch], np.int64)
            mask = np.array([e.attention_mask for e in batch], np.int64)
            feeds = dict(zip(INPUTS, (ids, np.asarray(self.embeddings[ids]), mask)))
            pooled = self.session.run(None, feeds, self.shrink if ids.size > SHRINK_TOKENS else None)[0]
            if normalize_embeddings:  # as torch's F.normalize: x / max(|x|, 1e-12)
                pooled = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out[rows] = pooled
        return out
