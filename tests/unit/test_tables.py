"""The index's JSON-lines files read in place (rag/indexing/tables.py) give what reading every row gives."""
from __future__ import annotations

import random

import pytest

from rag.files import read_jsonl, write_jsonl
from rag.indexing.passages import Passage
from rag.indexing.tables import Clauses, JsonLines, Passages, Sentences
from rag.types import Clause, ClauseKind

TEXTS = ["加快建设“元宇宙”产业园区,给予最高100万元奖励。", '路径含反斜杠\\与"引号"', "多行\n文本\t制表",
         "第一条 为了规范管理,制定本办法。", "支持元宇宙企业上市。", "ℹ️ emoji 与 U+2028\u2028分隔"]


def _library(tmp_path, n=300):
    rng = random.Random(3)
    clauses = [Clause(plan_id=f"p{rng.randrange(7)}", item_path=f"{i}.", item_title=f"标题{i % 5}",
                      text=f"{rng.choice(TEXTS)}{i}", kind=ClauseKind.ITEM, parents=("一、总体要求",), order=i)
               for i in range(n)]  # plans interleaved: a plan's rows are not contiguous
    write_jsonl(tmp_path / "clauses.jsonl", (c.to_dict() for c in clauses))
    parts = [(c, part) for c in clauses  # every third clause long enough for two passages
             for part in ([c.text] if c.order % 3 else [c.text[:3], c.text[3:]])]
    passages = [Passage(i, c.chunk_id, c.plan_id, f"《标题》\n{part}") for i, (c, part) in enumerate(parts)]
    write_jsonl(tmp_path / "passages.jsonl", (p.to_dict() for p in passages))
    spans = [{"chunk_id": c.chunk_id, "start": a, "end": a + 2} for c in reversed(clauses) for a in (0, 2)]
    write_jsonl(tmp_path / "sentences.jsonl", spans)
    return clauses, passages, spans


def test_rows_come_back_as_reading_every_line_gives_them(tmp_path):
    clauses, passages, _ = _library(tmp_path)
    table = Clauses(tmp_path / "clauses.jsonl")
    assert len(table) == len(clauses) and list(table) == clauses
    assert table[0] == clauses[0] and table[-1] == clauses[-1] and table[10:14] == clauses[10:14]
    with pytest.raises(IndexError):
        table[len(clauses)]
    assert [table.get(c.chunk_id) for c in clauses] == clauses
    assert table.get("0000000000000000") is None and table.get("不是编号") is None
    by_plan = {p: [c for c in clauses if c.plan_id == p] for p in {c.plan_id for c in clauses}}
    for plan, expected in by_plan.items():
        assert table.of_plans([plan]) == expected
    assert table.of_plans(["p1", "p4"]) == [c for c in clauses if c.plan_id in ("p1", "p4")]
    assert table.of_plans(["none"]) == []
    rows = Passages(tmp_path / "passages.jsonl", table)
    assert list(rows) == passages and rows.plan_of.tolist() == [p.plan_id for p in passages]
    for c in clauses[:50]:
        assert rows.of_clause(c.chunk_id) == [p.pid for p in passages if p.chunk_id == c.chunk_id]


def test_transcripts_are_the_plans_whose_items_are_all_questions_and_answers(tmp_path):
    def clause(plan: str, path: str, kind: ClauseKind = ClauseKind.ITEM) -> Clause:
        return Clause(plan_id=plan, item_path=path, item_title="", text="…", kind=kind, chunk_id=f"{plan}{path}")

    clauses = [clause("qa", "印发通知", ClauseKind.NOTICE), clause("qa", "问答1"), clause("qa", "问答2"),
               clause("plan", "一、"), clause("plan", "问答1"), clause("empty", "前言", ClauseKind.PREAMBLE)]
    write_jsonl(tmp_path / "clauses.jsonl", (c.to_dict() for c in clauses))
    assert Clauses(tmp_path / "clauses.jsonl").transcripts == {"qa"}
    _library(tmp_path)  # (no transcript among numbered items)
    assert Clauses(tmp_path / "clauses.jsonl").transcripts == frozenset()


def test_clauses_holding_a_phrase_are_those_whose_text_holds_it(tmp_path):
    clauses, _, _ = _library(tmp_path)
    table = Clauses(tmp_path / "clauses.jsonl")
    for phrase in ("“元宇宙”", '"引号"', "反斜杠\\与", "多行\n文本", "\u2028分隔", "emoji", "1", "标题1", "总体要求", "无此词"):
        expected = [c for c in clauses if phrase in c.text]  # 标题1 / 总体要求: other fields only
        assert table.holding([phrase]) == expected, phrase
        assert table.holding([phrase], 3) == expected[:3], phrase
    both = table.holding(["多行\n文本", "上市"])
    assert both == [c for c in clauses if "多行\n文本" in c.text or "上市" in c.text]


def test_sentences_of_a_clause_in_file_order_with_their_vector_rows(tmp_path):
    clauses, _, spans = _library(tmp_path)
    table = Clauses(tmp_path / "clauses.jsonl")
    sentences = Sentences(tmp_path / "sentences.jsonl", table)
    assert len(sentences) == len(spans)
    for c in clauses[::17]:
        assert sentences.of(c.chunk_id) == [(row, s["start"], s["end"]) for row, s in enumerate(spans)
                                            if s["chunk_id"] == c.chunk_id]
    assert sentences.of("0000000000000000") == []


def test_empty_files_and_a_cut_last_line(tmp_path):
    for name in ("clauses.jsonl", "passages.jsonl", "sentences.jsonl"):
        (tmp_path / name).write_bytes(b"")
    table = Clauses(tmp_path / "clauses.jsonl")
    assert len(table) == 0 and table.of_plans(["p"]) == [] and table.holding(["x"]) == []
    assert len(Passages(tmp_path / "passages.jsonl", table)) == 0
    assert len(Sentences(tmp_path / "sentences.jsonl", table)) == 0
    (tmp_path / "cut.jsonl").write_text('{"a": 1}\n{"a": 2}', encoding="utf-8")
    with pytest.raises(ValueError, match="newline"):
        JsonLines(tmp_path / "cut.jsonl", dict)
    assert list(JsonLines(tmp_path / "clauses.jsonl", dict)) == read_jsonl(tmp_path / "clauses.jsonl")


def test_blocks_of_any_size_find_and_count_each_row_once(tmp_path, monkeypatch):
    from rag.indexing import tables

    clauses, _, _ = _library(tmp_path, n=60)
    whole = Clauses(tmp_path / "clauses.jsonl")
    expected = {p: whole.holding([p]) for p in ("“元宇宙”", "多行\n文本", "1", "元")}
    for step in (1, 2, 5, 64, 997):  # matches straddling blocks, rows spanning many blocks
        monkeypatch.setattr(tables, "_STEP", step)
        table = Clauses(tmp_path / "clauses.jsonl")
        assert list(table) == clauses
        for phrase, found in expected.items():
            rows = list(table.lines_holding(phrase))
            assert rows == sorted(set(rows)), (step, phrase)
            assert table.holding([phrase]) == found == [c for c in clauses if phrase in c.text], (step, phrase)


def test_plans_named_twice_phrases_with_a_limit_and_a_plan_filter(tmp_path):
    clauses, _, _ = _library(tmp_path)
    table = Clauses(tmp_path / "clauses.jsonl")
    assert table.of_plans(["p1", "p1", "p2"]) == table.of_plans(["p2", "p1"]) == \
        [c for c in clauses if c.plan_id in ("p1", "p2")]
    phrases = ["上市", "“元宇宙”"]
    every = [c for c in clauses if any(p in c.text for p in phrases)]
    assert table.holding(phrases) == every and table.holding(phrases, 4) == every[:4]
    assert table.holding(phrases, 3, ["p2", "p5"]) == [c for c in every if c.plan_id in ("p2", "p5")][:3]
    assert table.holding(phrases, None, ["unknown"]) == [] and table.holding(["\ud800x"]) == []


def test_a_table_keeps_reading_the_file_it_opened_when_another_is_renamed_into_its_place(tmp_path):
    import os

    clauses, _, _ = _library(tmp_path, n=40)
    table = Clauses(tmp_path / "clauses.jsonl")
    other = [Clause(plan_id="q", item_path=f"{i}.", item_title="", text="上市" * i, kind=ClauseKind.ITEM, order=i)
             for i in range(1, 200)]
    write_jsonl(tmp_path / "new.jsonl", (c.to_dict() for c in other))
    os.replace(tmp_path / "new.jsonl", tmp_path / "clauses.jsonl")  # what an index swap does to the folder
    assert list(table) == clauses and table[5] == clauses[5]
    assert table.holding(["上市"]) == [c for c in clauses if "上市" in c.text]


def _maps_of(path) -> bool:
    """Does this process map `path` into its memory (/proc/self/maps)?"""
    with open("/proc/self/maps", encoding="utf-8") as f:
        return any(line.rstrip().endswith(str(path)) for line in f)


def test_npy_rows_give_what_the_loaded_array_gives_and_nothing_stays_mapped(tmp_path):
    import numpy as np

    from rag.indexing.reads import NpyRows

    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((500, 7)).astype(np.float32)
    np.save(tmp_path / "v.npy", vectors)
    np.save(tmp_path / "d.npy", vectors[:, 0].astype(np.float64))
    rows, flat = NpyRows(tmp_path / "v.npy"), NpyRows(tmp_path / "d.npy")
    assert rows.shape == (500, 7) and len(rows) == 500 and rows.dtype == np.float32 and flat.shape == (500,)
    for key in (0, 499, -1, slice(None), slice(10, 20), slice(480, 900), slice(30, 10), slice(5, 60, 7),
                [3, 4, 5, 9, 10, 2, 2, 499], np.array([7, 6, 5, -2]), [], np.arange(100, 200, dtype=np.int32)):
        want = vectors[key] if not isinstance(key, list) else vectors[np.array(key, dtype=np.int64)]
        got = rows[key]
        assert got.shape == want.shape and np.array_equal(got, want), key
        assert np.array_equal(flat[key], vectors[:, 0].astype(np.float64)[key] if not isinstance(key, list)
                              else vectors[np.array(key, dtype=np.int64), 0].astype(np.float64)), key
    got = rows[[1, 2]]
    got[0] = 0  # a row handed out is the caller's own array
    assert np.array_equal(rows[1], vectors[1])
    for bad in (500, -501, [0, 500]):
        with pytest.raises(IndexError):
            rows[bad]
    for bad in (np.ones(500, bool), [0.5], np.zeros((2, 2), np.int64)):
        with pytest.raises(TypeError):
            rows[bad]
    assert not _maps_of(tmp_path / "v.npy")
    data = (tmp_path / "v.npy").read_bytes()
    (tmp_path / "cut.npy").write_bytes(data[:-3])  # a file cut short (a copy interrupted)
    with pytest.raises(ValueError, match="cut.npy"):
        NpyRows(tmp_path / "cut.npy")
    np.save(tmp_path / "o.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match="o.npy"):
        NpyRows(tmp_path / "o.npy")


def test_tables_do_not_map_their_files(tmp_path):
    clauses, _, _ = _library(tmp_path, n=50)
    table = Clauses(tmp_path / "clauses.jsonl")
    passages = Passages(tmp_path / "passages.jsonl", table)
    assert table.rows(range(0, 50, 7)) == clauses[0:50:7] and passages[3].chunk_id
    assert not _maps_of(tmp_path / "clauses.jsonl") and not _maps_of(tmp_path / "passages.jsonl")
