"""Export the materialised e5 folder to the ONNX graph `ortmodel.py` runs, in a child process of its own:

    python -m rag.indexing.onnxexport MODEL_DIR OUT_DIR

The only module that imports torch for the built-in model's ONNX path (the exporter needs torch and `onnx`),
run as a separate process so that the process that answers never loads them. The graph takes the token ids
(for XLM-R's position ids: padding tokens keep the padding position), their word-embedding rows and the
attention mask, and returns the mean of the last hidden states over the mask, unnormalised. Weights go to
an external data file, which onnxruntime maps instead of copying. The export is kept only if its vectors
equal the transformers encoder's (`lean.py`) on a few texts, among them a padded batch and a truncated text.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np

from .lean import LeanSentenceModel
from .ortmodel import DATA, GRAPH, INPUTS, OnnxSentenceModel

OPSET = 17
CHECK_TEXTS = ["query: 济南市对元宇宙企业有哪些资金支持?", "passage: 对入选国家级试点示范的项目给予一次性奖励。",
               "query: How large is Sichuan's metaverse industry?", "passage: " + "重庆永川区元宇宙产业专项资金。" * 80]


def _pooled_model(model: Any) -> Any:
    import torch

    class MeanPooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model
            self.pad = int(model.config.pad_token_id)

        def forward(self, input_ids: Any, word_embeds: Any, attention_mask: Any) -> Any:
            real = input_ids.ne(self.pad).to(torch.int64)  # XLM-R's create_position_ids_from_input_ids
            positions = torch.cumsum(real, dim=1) * real + self.pad
            hidden = self.model(inputs_embeds=word_embeds, attention_mask=attention_mask,
                                position_ids=positions).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)

    return MeanPooled().eval()


def export(model_dir: Path, out: Path) -> None:
    import onnx
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    pad = int(model.config.pad_token_id)
    ids = torch.tensor([[0, 6, 7, 8, 2], [0, 9, 2, pad, pad]])
    mask = ids.ne(pad).to(torch.int64)
    raw = out / "raw.onnx"
    with torch.inference_mode():
        embeds = model.embeddings.word_embeddings(ids)
        dynamic = {name: {0: "batch", 1: "tokens"} for name in INPUTS} | {"pooled": {0: "batch"}}
        torch.onnx.export(_pooled_model(model), (ids, embeds, mask), str(raw), input_names=list(INPUTS),
                          output_names=["pooled"], dynamic_axes=dynamic, opset_version=OPSET, dynamo=False)
    graph = onnx.load(str(raw))
    raw.unlink()
    onnx.save_model(graph, str(out / GRAPH), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=DATA, size_threshold=1024)
    check(model_dir, out)


def check(model_dir: Path, out: Path, texts: list[str] = CHECK_TEXTS) -> float:
    """The least cosine between the export's vectors and the transformers encoder's; below 0.9999 raises."""
    theirs = LeanSentenceModel(str(model_dir)).encode(texts, batch_size=len(texts))
    ours = OnnxSentenceModel(model_dir, out, threads=1).encode(texts, batch_size=len(texts))
    worst = float((ours * theirs).sum(axis=1).min())
    if not worst >= 0.9999 or not np.isfinite(ours).all():
        raise RuntimeError(f"the ONNX export differs from the model: cosine {worst:.6f}")
    return worst


if __name__ == "__main__":
    export(Path(sys.argv[1]), Path(sys.argv[2]))
