"""The pipeline assembled from settings: the verified index, the model, the calibration and the answerer.

The one place that knows every stage; the CLI, the server and the benchmarks start here.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .answer.answerer import Answerer
from .answer.scope import Calibration
from .errors import DataFileError, IndexInvalidError, NotBuiltError, PolicyQAError
from .files import read_json
from .indexing.embedding import TextEncoder
from .indexing.folder import SearchIndex
from .limits import read_batch
from .search.corpus import CorpusView
from .search.retriever import Retriever, open_retriever
from .settings import PROJECT_ROOT, Settings
from .writer import one_writer


def open_answerer(settings: Settings, progress: Callable[[str], None] = print,
                  plans: Sequence[str] = (), embedder: TextEncoder | None = None,
                  index: SearchIndex | None = None) -> Answerer:
    """The retriever plus the out-of-scope thresholds, fitted on this library (see `calibration_for`).
    `index`: the index already opened (and checked against the corpus) by the caller."""
    retriever = open_retriever(settings, progress, plans, embedder, index)
    corpus = CorpusView(retriever.index)
    return Answerer(retriever, corpus, calibration_for(settings, retriever, corpus, progress))


def calibration_for(settings: Settings, retriever: Retriever, corpus: CorpusView,
                    progress: Callable[[str], None] = print) -> Calibration:
    """The calibration, refitted first when it was fitted on another library (documents added, changed or
    removed since) or is missing: on the question file it was fitted on, else `calibration_questions` — never
    on a holdout file. No file to fit on is an error for a missing calibration, a warning for a stale one."""
    from .answer.calibrate import check_tuning_file, fit, write

    path = settings.calibration
    if calibration_is_fresh(settings, corpus.manifest):
        return Calibration.load(path)
    current = _recorded(path)
    source = Path(current["source"]) if current and current.get("source") else settings.calibration_questions
    source = source if source.is_absolute() else PROJECT_ROOT / source
    if not source.is_file():
        if current is None:
            raise NotBuiltError(f"no out-of-scope calibration at {path} and no question file {source} to fit one; "
                                "run `policyqa calibrate FILE`")
        if "english_keyness_min" not in current:  # (of older signals: nothing to use as it is)
            raise NotBuiltError(f"the out-of-scope calibration {path} is of an older version and its question file "
                                f"{source} is missing; run `policyqa calibrate FILE`")
        progress(f"warning: the out-of-scope calibration {path} was fitted on another library and {source} is "
                 "missing; using it as it is")
        return Calibration.load(path)
    check_tuning_file(source)
    with one_writer(settings.home, "fitting the calibration", settings.wait_for_writer, progress):
        if calibration_is_fresh(settings, corpus.manifest):  # fitted by another process while this one waited
            return Calibration.load(path)
        progress(f"fitting the out-of-scope calibration for this library on {source.name} "
                 f"({'none yet' if current is None else 'the last one was fitted on another library'}) …")
        fitted = fit(Answerer(retriever, corpus, None), read_batch(str(source)), shown_path(source))
        write(fitted, path)
    return Calibration.load(path)


def calibration_is_fresh(settings: Settings, manifest: Mapping[str, Any]) -> bool:
    """The calibration file exists and was fitted on the library this index manifest describes."""
    from .answer.calibrate import library_key

    recorded = _recorded(settings.calibration)
    return recorded is not None and recorded.get("library") == library_key(manifest)


def _recorded(path: Path) -> dict[str, Any] | None:
    """A calibration file as recorded (one of an older version lacks today's thresholds: it is refitted, not
    read as a calibration); None when there is none. A file that is no calibration at all is an error."""
    if not path.is_file():
        return None
    try:
        recorded = read_json(path)
    except (OSError, ValueError) as exc:
        raise DataFileError(f"{path}: not a calibration file ({type(exc).__name__}: {exc}); "
                            "run `policyqa calibrate eval/questions.jsonl`") from exc
    if not isinstance(recorded, dict):
        raise DataFileError(f"{path}: not a calibration file (no JSON object); run `policyqa calibrate FILE`")
    return recorded


def index_and_calibrate(settings: Settings, embedder: TextEncoder, progress: Callable[[str], None] = print,
                        full: bool = False) -> dict[str, Any]:
    """Bring the index up to date with the corpus (only new texts are embedded unless `full`) and refit the
    out-of-scope calibration when the library changed; holds the writer lock throughout. The new manifest."""
    from .indexing.build import build_index

    with one_writer(settings.home, "policyqa index", settings.wait_for_writer, progress):
        manifest = build_index(settings, embedder, progress, full=full)
        if not calibration_is_fresh(settings, manifest):  # refit for the library as it is now
            open_answerer(settings, progress, embedder=embedder)
    return manifest


def shown_path(path: Path) -> str:
    """A question file's name as a calibration records it: relative to the project when inside it."""
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def open_or_build(settings: Settings, progress: Callable[[str], None] = print) -> Answerer:
    """`open_answerer`, after building a missing or invalid index, or one built from another state of the corpus
    (the first `policyqa serve`, or one after documents were added); when that rebuild fails (a document that
    does not parse), the index as built still serves, with the reason said."""
    from .indexing.build import build_index
    from .indexing.embedding import Embedder
    from .indexing.folder import corpus_drift, open_index

    try:
        index = open_index(settings)
        drift = corpus_drift(settings, index.manifest)
    except IndexInvalidError as exc:
        index, drift = None, str(exc)
    if index is not None and not drift:
        return open_answerer(settings, progress, index=index)  # the index as opened here, not a second time
    progress(f"{drift}\nbuilding it now …")
    embedder = Embedder.from_settings(settings, progress)  # loaded once, for the build and the answers
    try:
        build_index(settings, embedder, progress)
    except PolicyQAError as exc:
        if index is None:
            raise
        progress(f"warning: the rebuild failed ({exc}); serving the index as built")
    return open_answerer(settings, progress, embedder=embedder)


def open_for_corpus(settings: Settings, progress: Callable[[str], None] = print) -> Answerer:
    """An answerer over another library (`--corpus DIR`): its index built or brought up to date first (only new
    or changed passages are embedded), then opened with the same model."""
    from .indexing.build import build_index
    from .indexing.embedding import Embedder

    embedder = Embedder.from_settings(settings, progress)
    build_index(settings, embedder, progress)
    return open_answerer(settings, progress, embedder=embedder)
