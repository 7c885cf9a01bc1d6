"""The library's exceptions, all of them. The library raises; only the edges translate them: the CLI into exit
codes and one line on stderr, the API into HTTP statuses, the chat into a friendly message (details logged)."""
from __future__ import annotations


class PolicyQAError(Exception):
    """Base class: anything PolicyQA reports to a person as a one-line reason."""

    exit_code = 1


class BadInputError(PolicyQAError):
    """The caller gave something unusable (unknown plan id, empty question, unreadable file)."""

    exit_code = 2


class IngestError(PolicyQAError):
    """One document could not be ingested; the message names the file and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NotFoundError(BadInputError):
    """A plan, item path or clause that does not exist."""


class NotBuiltError(PolicyQAError):
    """Derived state (library, index, model) is missing; the message says which command builds it."""


class IndexBuildError(PolicyQAError):
    """The build stopped; the previous index (if any) is untouched and still serves."""


class IndexInvalidError(NotBuiltError):
    """The index on disk is missing, corrupt or built for other settings; the message names the file."""


class DataFileError(PolicyQAError):
    """A data file PolicyQA reads (vocabulary, gazetteer, model weights, calibration questions) is unusable;
    the message names the file and what is wrong with it."""
