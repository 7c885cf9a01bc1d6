"""The built-in e5 model run with `transformers` alone: the same three steps as its sentence-transformers
folder (`modules.json`: Transformer → mean pooling over the attention mask → L2 normalisation), without
importing sentence-transformers — which costs a serving process ~2.6 s of start-up and ~200 MB of memory for
one query vector. Its vectors equal sentence-transformers' (cosine ≥ 0.9999 on every evaluation question and
passage: tests/integration/test_embedding.py). The built-in model now runs on onnxruntime (`ortmodel.py`); this
is the fallback where there is no ONNX export, and what an export is checked against before it is kept.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np


class LeanSentenceModel:
    """`encode` as sentence-transformers' for a Transformer + mean Pooling + Normalize folder."""

    def __init__(self, folder: str):
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(folder)
        self.model = AutoModel.from_pretrained(folder).eval()
        config = Path(folder) / "sentence_bert_config.json"
        self.max_length = int(json.loads(config.read_text(encoding="utf-8")).get("max_seq_length", 512))
        self.dim = int(self.model.config.hidden_size)

    @staticmethod
    def is_mean_pooled(folder: str) -> bool:
        """The folder is a Transformer + mean Pooling (+ Normalize) sentence-transformers model."""
        try:
            modules = [m["type"] for m in json.loads((Path(folder) / "modules.json").read_text(encoding="utf-8"))]
            pooling = json.loads((Path(folder) / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            return False
        modes = [k for k, v in pooling.items() if k.startswith("pooling_mode") and v]
        return modules[:2] == ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling"] \
            and modes == ["pooling_mode_mean_tokens"] and len(modules) <= 3

    def encode(self, texts: Sequence[str], batch_size: int = 32, normalize_embeddings: bool = True,
               convert_to_numpy: bool = True, show_progress_bar: bool = False) -> np.ndarray:
        """Longest texts first in batches (as sentence-transformers does), vectors back in the input order."""
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.dim), np.float32)
        starts = range(0, len(order), batch_size)
        if show_progress_bar:
            from tqdm import tqdm

            starts = tqdm(starts, desc="Batches")
        with self.torch.inference_mode():
            for start in starts:
                rows = order[start:start + batch_size]
                batch = self.tokenizer([texts[i] for i in rows], padding=True, truncation="longest_first",
                                       max_length=self.max_length, return_tensors="pt")
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                if normalize_embeddings:
                    pooled = self.torch.nn.functional.normalize(pooled, p=2, dim=1)
                out[rows] = pooled.float().numpy()
        return out
