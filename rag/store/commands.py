"""`policyqa migrate`: copy the built local index into Milvus, vectors as they are (nothing is embedded again)."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..console import progress
from ..settings import Settings
from ..writer import one_writer


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from ..indexing.folder import open_index
    from .milvus import prune, write_collection

    if args.corpus:
        settings = settings.for_corpus(Path(args.corpus))
    settings = settings.with_(milvus_uri=args.uri or settings.milvus_uri)
    with one_writer(settings.home, "policyqa migrate", settings.wait_for_writer, progress):
        index = open_index(settings)
        name = write_collection(settings, index, progress)
        prune(settings, [name], progress)
    print(f"Milvus at {settings.milvus_target}: {name} serves the index built {index.manifest['built_at']} "
          f"({len(index.passages)} passages); use it with POLICYQA_STORE=milvus")
    return 0


def add_store_commands(sub: Any) -> None:
    p = sub.add_parser("migrate", help="copy the built index into Milvus (POLICYQA_MILVUS_URI) without re-embedding")
    p.add_argument("--uri", help="a Milvus Lite file (*.db) or http://host:19530; default POLICYQA_MILVUS_URI, "
                   "else <data dir>/milvus.db")
    p.add_argument("--corpus", metavar="DIR", help="the library in DIR (its index as built by `policyqa eval --corpus DIR`)")
    p.add_argument("--no-wait", action="store_true", help="stop (exit 1) when another writer holds the data directory")
    p.set_defaults(func=cmd_migrate)
