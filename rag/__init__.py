"""PolicyQA: question answering over Chinese industrial policy plans, answered only with cited quotes."""

__version__ = "0.1.0"
