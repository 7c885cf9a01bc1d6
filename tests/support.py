"""Constants and helpers shared by both test tiers (fixtures live in the conftest files)."""
from __future__ import annotations

from pathlib import Path

from rag.ingest.library import Library
from rag.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus"
PLAN_IDS = ["jiangsu-2024", "jinan-2022", "sichuan-2023", "yongchuan-2023", "zhejiang-2023"]
CALIBRATION = PROJECT_ROOT / "eval" / "calibration.json"

__all__ = ["CALIBRATION", "CORPUS", "PLAN_IDS", "PROJECT_ROOT", "by_path", "home_with_model", "raw_text"]


def raw_text(plan_id: str) -> str:
    return (CORPUS / f"{plan_id}.txt").read_text(encoding="utf-8")


def by_path(library: Library, plan_id: str, item_path: str) -> list:
    """The clauses whose item path is exactly `item_path`."""
    return [c for c in library.clauses(plan_id) if c.item_path == item_path]


def home_with_model(model_home: Path, path: Path) -> Path:
    """A fresh data directory that reuses the session's model folder (no second 470 MB copy)."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "models").symlink_to(model_home / "models", target_is_directory=True)
    return path
