"""One settings object, built from defaults and `POLICYQA_*` environment variables, passed down explicitly."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _in_checkout() -> bool:
    return (PROJECT_ROOT / "pyproject.toml").is_file()


@dataclass(frozen=True)
class Settings:
    """Where things live.

    home:   all derived state (parsed library, model directory, search index); safe to delete and rebuild.
            `POLICYQA_HOME`, default `index/` in the project checkout.
    corpus: the raw documents and their manifests, the library's source of truth.
            `POLICYQA_CORPUS`, default `corpus/` in the project checkout.
    """

    home: Path
    corpus: Path

    @property
    def library_dir(self) -> Path:
        return self.home / "library"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        if env.get("POLICYQA_HOME"):
            home = Path(env["POLICYQA_HOME"])
        elif _in_checkout():
            home = PROJECT_ROOT / "index"
        else:
            home = Path.home() / ".local" / "share" / "policyqa"
        corpus = Path(env["POLICYQA_CORPUS"]) if env.get("POLICYQA_CORPUS") else PROJECT_ROOT / "corpus"
        return cls(home=home.expanduser().resolve(), corpus=corpus.expanduser().resolve())
