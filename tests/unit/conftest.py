"""Unit tier: no model, no browser, no server process. A fake encoder (hashed character bigrams) stands in
for e5, so an index of the real five plans builds in about a second and the whole answer pipeline runs."""
from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from support import CALIBRATION, CORPUS

from rag.answer.answerer import Answerer
from rag.answer.scope import Calibration
from rag.indexing.build import build_index
from rag.indexing.embedding import ModelSpec
from rag.indexing.folder import SearchIndex
from rag.search.corpus import CorpusView
from rag.search.retriever import HybridRetriever
from rag.settings import Settings

FAKE_MODEL = "fake-bigrams"


class FakeEncoder:
    """The encoder interface (`TextEncoder`) with deterministic vectors: character bigrams hashed into 64
    dimensions, L2-normalised. Texts sharing words get close vectors, which is all the pipeline needs."""

    dim = 64

    def __init__(self) -> None:
        self.spec = ModelSpec(FAKE_MODEL, "", "")
        self.fingerprint = "fake-bigrams-v1"

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for row, text in enumerate(texts):
            for i in range(len(text) - 1):
                out[row, zlib.crc32(text[i:i + 2].encode()) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def passages(self, texts: Sequence[str], show_progress: bool = False) -> np.ndarray:
        return self._encode(texts)


def seed_and(root: Path, added: Sequence[tuple[Path, str | None]]) -> HybridRetriever:
    """The five seed plans copied under `root` with further documents ingested (each under the plan id given, or
    its derived one), indexed with the fake encoder: a retriever over them."""
    import shutil

    from rag.ingest.library import Library

    shutil.copytree(CORPUS, root / "corpus")
    settings = Settings(home=root / "home", corpus=root / "corpus", embedding_model=FAKE_MODEL, calibration=CALIBRATION)
    library = Library(settings)
    for path, plan_id in added:
        library.ingest_path(path, plan_id=plan_id)
    build_index(settings, FakeEncoder(), progress=lambda _: None)
    return HybridRetriever(SearchIndex.open(settings.index_dir, settings), FakeEncoder(), settings)


@pytest.fixture(scope="session")
def fake_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A data directory holding an index of the real corpus, built with the fake encoder."""
    settings = Settings(home=tmp_path_factory.mktemp("fake-home"), corpus=CORPUS, embedding_model=FAKE_MODEL,
                        calibration=CALIBRATION)
    build_index(settings, FakeEncoder(), progress=lambda _: None)
    return settings


@pytest.fixture(scope="session")
def fake_index(fake_settings: Settings) -> SearchIndex:
    return SearchIndex.open(fake_settings.index_dir, fake_settings)


@pytest.fixture(scope="session")
def fake_answerer(fake_settings: Settings, fake_index: SearchIndex) -> Answerer:
    retriever = HybridRetriever(fake_index, FakeEncoder(), fake_settings)
    return Answerer(retriever, CorpusView(fake_index), Calibration.load(CALIBRATION))


@pytest.fixture
def fake_env(fake_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Commands run against the fake index (they fail before loading a model, or never load one)."""
    monkeypatch.setenv("POLICYQA_HOME", str(fake_settings.home))
    monkeypatch.setenv("POLICYQA_EMBEDDING_MODEL", FAKE_MODEL)
    return fake_settings.home
