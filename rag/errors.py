"""The library's exceptions. The library raises; the CLI and the HTTP layer turn them into messages."""
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
