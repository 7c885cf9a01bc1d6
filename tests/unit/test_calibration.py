"""The out-of-scope calibration follows the library: fitted on another library (a document added), it is refitted
on its own question file when the answerer opens — never on a holdout file — and kept when the library is the same."""
from __future__ import annotations

import json
import shutil

import pytest
from conftest import FAKE_MODEL, FakeEncoder
from support import CALIBRATION, CORPUS, PROJECT_ROOT

from rag.answer.calibrate import library_key
from rag.answer.scope import Calibration
from rag.assemble import calibration_for
from rag.errors import BadInputError, DataFileError, NotBuiltError
from rag.indexing.build import build_index
from rag.indexing.folder import SearchIndex
from rag.search.corpus import CorpusView
from rag.search.retriever import HybridRetriever
from rag.settings import Settings


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """The five seed plans and one more document (a food-technology plan of 上海市), indexed with the fake encoder."""
    root = tmp_path_factory.mktemp("grown")
    shutil.copytree(CORPUS, root / "corpus")
    manifest = json.loads((PROJECT_ROOT / "eval" / "unseen" / "corpus" / "shanghai-food-2026.json").read_text("utf-8"))
    shutil.copyfile(PROJECT_ROOT / "tests" / "data" / "corpus-more" / "shanghai-food-2026.txt",
                    root / "corpus" / "shanghai-food-2026.txt")
    (root / "corpus" / "shanghai-food-2026.json").write_text(json.dumps(
        {**manifest, "file": "shanghai-food-2026.txt"}, ensure_ascii=False), "utf-8")
    settings = Settings(home=root / "home", corpus=root / "corpus", embedding_model=FAKE_MODEL,
                        calibration=root / "calibration.json")
    build_index(settings, FakeEncoder(), progress=lambda _: None)
    index = SearchIndex.open(settings.index_dir, settings)
    return settings, HybridRetriever(index, FakeEncoder(), settings), CorpusView(index)


def test_a_calibration_fitted_on_another_library_is_refitted_on_its_own_question_file(grown):
    settings, retriever, corpus = grown
    shutil.copyfile(CALIBRATION, settings.calibration)
    seed = Calibration.load(settings.calibration)
    assert seed.library and seed.library != library_key(corpus.manifest)  # fitted on the five seed plans
    said: list[str] = []
    fitted = calibration_for(settings, retriever, corpus, said.append)
    assert fitted.library == library_key(corpus.manifest) and fitted.source == seed.source
    assert any("fitted on another library" in line for line in said)
    said.clear()
    assert calibration_for(settings, retriever, corpus, said.append) == fitted and not said  # fresh: kept


def test_a_missing_calibration_is_fitted_and_a_holdout_is_never_the_source(grown, tmp_path):
    settings, retriever, corpus = grown
    fresh = settings.with_(calibration=tmp_path / "calibration.json")
    assert calibration_for(fresh, retriever, corpus, lambda _: None).source == "eval/questions.jsonl"
    stale = json.loads(CALIBRATION.read_text("utf-8")) | {"source": "eval/unseen/holdout.jsonl"}
    (tmp_path / "calibration.json").write_text(json.dumps(stale), "utf-8")
    with pytest.raises(BadInputError, match="holdout"):
        calibration_for(fresh, retriever, corpus, lambda _: None)
    gone = stale | {"source": str(tmp_path / "no-such-questions.jsonl")}
    (tmp_path / "calibration.json").write_text(json.dumps(gone), "utf-8")
    said: list[str] = []
    assert calibration_for(fresh, retriever, corpus, said.append).library == stale["library"]  # used, with a warning
    assert said and said[0].startswith("warning:")


def test_an_index_built_from_another_state_of_the_corpus_is_named_with_the_command(tmp_path, capsys):
    from rag.indexing.folder import corpus_drift, open_index
    from rag.search.retriever import open_retriever

    shutil.copytree(CORPUS, tmp_path / "corpus")
    settings = Settings(home=tmp_path / "home", corpus=tmp_path / "corpus", embedding_model=FAKE_MODEL)
    build_index(settings, FakeEncoder(), progress=lambda _: None)
    manifest = open_index(settings).manifest
    assert corpus_drift(settings, manifest) is None  # as built
    jinan = tmp_path / "corpus" / "jinan-2022.txt"
    jinan.write_text(jinan.read_text("utf-8") + "\n本计划自印发之日起施行。\n", "utf-8")
    (tmp_path / "corpus" / "odd.json").write_text('{"plan_id": "odd", "file": null}', "utf-8")  # ignored
    (tmp_path / "corpus" / "gone.json").write_text('{"plan_id": "gone-2024", "file": "gone.txt"}', "utf-8")
    drift = corpus_drift(settings, manifest)
    assert drift and "missing its file: gone-2024" in drift and "changed: jinan-2022" in drift
    assert "policyqa index" in drift and "odd" not in drift
    other = settings.with_(corpus=PROJECT_ROOT / "eval" / "unseen" / "corpus")  # POLICYQA_CORPUS set elsewhere
    assert "added: china-digitaleconomy-2022" in (corpus_drift(other, manifest) or "")
    said: list[str] = []  # answers still come from the index as built, with the warning said
    assert open_retriever(settings, said.append, embedder=FakeEncoder()).index.plans
    assert said and said[0].startswith("warning: the index was built from another state")


def test_another_corpus_gets_its_own_calibration_file_never_the_projects(tmp_path):
    home, other = tmp_path / "home", tmp_path / "corpus"
    assert Settings.from_env({"POLICYQA_HOME": str(home)}).calibration == CALIBRATION  # the project's corpus
    assert Settings.from_env({"POLICYQA_HOME": str(home), "POLICYQA_CORPUS": str(other)}).calibration == \
        home.resolve() / "calibration.json"
    given = tmp_path / "mine.json"
    assert Settings.from_env({"POLICYQA_CORPUS": str(other), "POLICYQA_CALIBRATION": str(given)}).calibration == given


def test_a_calibration_of_older_signals_is_refitted_not_misread(grown, tmp_path):
    """Before English questions were read through the dictionary, they had one threshold (`english_dense_min`)
    and library keys had no signal version: such a file is refitted, on its own question file."""
    settings, retriever, corpus = grown
    old = json.loads(CALIBRATION.read_text("utf-8"))
    old = {k: v for k, v in old.items() if not k.startswith("english_")} | {"english_dense_min": 0.74}
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(old), "utf-8")
    said: list[str] = []
    fitted = calibration_for(settings.with_(calibration=path), retriever, corpus, said.append)
    assert fitted.library == library_key(corpus.manifest) and said
    assert {"english_keyness_min", "english_coverage_min"} <= set(json.loads(path.read_text("utf-8")))
    # … unless its question file is gone: then nothing can be used as it is
    gone = old | {"source": str(tmp_path / "no-such-questions.jsonl")}
    path.write_text(json.dumps(gone), "utf-8")
    with pytest.raises(NotBuiltError, match="older version"):
        calibration_for(settings.with_(calibration=path), retriever, corpus, said.append)
    path.write_text("{not json", "utf-8")  # a file that is no calibration is said to be one, not overwritten
    with pytest.raises(DataFileError, match="not a calibration file"):
        calibration_for(settings.with_(calibration=path), retriever, corpus, said.append)
    assert path.read_text("utf-8") == "{not json"

