"""Integration tier: the real corpus, the real e5 model, real indexes, servers and a browser. Every test in
this folder is marked `integration` (`make unit` leaves them out)."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import CALIBRATION, CORPUS, PROJECT_ROOT, home_with_model

from rag.settings import Settings


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def model_home(tmp_path_factory):
    """A data directory holding the materialised e5 model, shared by every index built in the tests."""
    from rag.indexing.embedding import builtin_model_dir

    home = tmp_path_factory.mktemp("model-home")
    builtin_model_dir(home, progress=lambda _: None)
    return home


@pytest.fixture(scope="session")
def embedder(model_home):
    from rag.indexing.embedding import Embedder, ModelSpec

    spec = ModelSpec.resolve("intfloat/multilingual-e5-small", None, None)
    return Embedder(spec, model_home, threads=2, progress=lambda _: None)


@pytest.fixture(scope="session")
def built(tmp_path_factory, model_home, embedder):
    """Settings whose data directory holds a full index of the real corpus."""
    from rag.indexing.build import build_index

    home = home_with_model(model_home, tmp_path_factory.mktemp("built") / "home")
    settings = Settings(home=home, corpus=CORPUS)
    build_index(settings, embedder, progress=lambda _: None)
    return settings


@pytest.fixture(scope="session")
def retriever(built, embedder):
    from rag.indexing.folder import SearchIndex
    from rag.search.retriever import HybridRetriever

    return HybridRetriever(SearchIndex.open(built.index_dir, built), embedder, built)


@pytest.fixture(scope="session")
def answerer(retriever):
    from rag.answer.answerer import Answerer
    from rag.answer.scope import Calibration
    from rag.search.corpus import CorpusView

    return Answerer(retriever, CorpusView(retriever.index), Calibration.load(CALIBRATION))


@pytest.fixture
def cli(built, monkeypatch):
    """`policyqa` (rag.cli.main) run against the session's built index."""
    from rag.cli import main

    monkeypatch.setenv("POLICYQA_HOME", str(built.home))
    monkeypatch.setenv("POLICYQA_CORPUS", str(built.corpus))
    return main


@pytest.fixture
def run_batch(cli, tmp_path, capsys):
    """Run `policyqa COMMAND --batch FILE --json ARGS` on `rows`; returns the printed objects, in order."""
    import json

    def run(command: str, rows: list[dict], *args: str) -> list[dict]:
        batch = tmp_path / f"{command}-batch.jsonl"
        batch.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        assert cli([command, "--batch", str(batch), "--json", *args]) == 0
        return [json.loads(line) for line in capsys.readouterr().out.splitlines()]

    return run


@pytest.fixture(scope="session")
def unseen(tmp_path_factory, model_home, embedder):
    """Settings and an answerer over the 27-document evaluation library (eval/unseen/corpus: the seed five and
    the 22 documents of ../shared/corpus-more), its out-of-scope calibration fitted on eval/questions.jsonl."""
    from rag.assemble import open_answerer
    from rag.indexing.build import build_index

    root = tmp_path_factory.mktemp("unseen")
    settings = Settings(home=home_with_model(model_home, root / "home"),
                        corpus=PROJECT_ROOT / "eval" / "unseen" / "corpus", calibration=root / "calibration.json")
    build_index(settings, embedder, progress=lambda _: None)
    return settings, open_answerer(settings, lambda _: None, embedder=embedder)
