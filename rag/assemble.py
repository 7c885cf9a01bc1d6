"""The pipeline assembled from settings: the verified index, the model, the calibration and the answerer.

The one place that knows every stage; the CLI, the server and the benchmarks start here.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from .answer.answerer import Answerer
from .answer.scope import Calibration
from .errors import IndexInvalidError, NotBuiltError
from .indexing.embedding import TextEncoder
from .search.corpus import CorpusView
from .search.retriever import open_retriever
from .settings import Settings


def open_answerer(settings: Settings, progress: Callable[[str], None] = print,
                  plans: Sequence[str] = (), embedder: TextEncoder | None = None) -> Answerer:
    """The retriever plus the calibrated thresholds (a missing calibration file is an error, not a guess)."""
    if not settings.calibration.is_file():
        raise NotBuiltError(f"no out-of-scope calibration at {settings.calibration}; "
                            "run `policyqa calibrate eval/questions.jsonl`")
    retriever = open_retriever(settings, progress, plans, embedder)
    return Answerer(retriever, CorpusView(retriever.index), Calibration.load(settings.calibration))


def open_or_build(settings: Settings, progress: Callable[[str], None] = print) -> Answerer:
    """`open_answerer`, after building a missing or stale index (the first `policyqa serve`)."""
    try:
        return open_answerer(settings, progress)
    except IndexInvalidError as exc:
        from .indexing.build import build_index
        from .indexing.embedding import Embedder

        progress(f"{exc}\nbuilding it now …")
        build_index(settings, Embedder.from_settings(settings, progress), progress)
        return open_answerer(settings, progress)


def open_for_corpus(settings: Settings, progress: Callable[[str], None] = print) -> Answerer:
    """An answerer over another library (`--corpus DIR`): its index built or brought up to date first (only new
    or changed passages are embedded), then opened with the same model."""
    from .indexing.build import build_index
    from .indexing.embedding import Embedder

    embedder = Embedder.from_settings(settings, progress)
    build_index(settings, embedder, progress)
    return open_answerer(settings, progress, embedder=embedder)
