"""The shape of the code: stage packages that say what flows through them, small modules, no reaching into
another module's private names, and an answer stage that sees retrieval only through its seam."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from support import PROJECT_ROOT

RAG = PROJECT_ROOT / "rag"
SOURCES = sorted(p for folder in (RAG, PROJECT_ROOT / "ui") for p in folder.rglob("*.py"))
STAGES = ("ingest", "indexing", "search", "answer", "match", "evaluation", "text")
MAX_MODULE_LINES = 300


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(absolute module, names) of every `from … import …` in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _module(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module(path)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            out.append((module, [a.name for a in node.names]))
    return out


def test_every_stage_package_says_what_flows_in_and_out():
    for stage in STAGES:
        doc = ast.get_docstring(ast.parse((RAG / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()) >= 2, stage


@pytest.mark.parametrize("path", [p for p in SOURCES if p.is_relative_to(RAG)], ids=lambda p: str(p.name))
def test_no_module_is_over_300_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_MODULE_LINES


def test_no_private_name_is_imported_from_another_module():
    offenders = [(str(p.relative_to(PROJECT_ROOT)), module, name) for p in SOURCES
                 for module, names in _imports(p) for name in names
                 if name.startswith("_") and not name.startswith("__") and module != _module(p)]
    assert not offenders


def test_no_private_attribute_is_read_off_another_object():
    """`x._name` only on self or cls: private state stays in its own class."""
    offenders = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                    offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} .{node.attr}")
    assert not offenders


def test_the_answer_stage_reads_the_index_only_through_the_search_seam():
    for path in sorted((RAG / "answer").glob("*.py")):
        for module, _ in _imports(path):
            assert not module.startswith(("rag.indexing", "rag.ingest")), (path.name, module)


def test_the_sample_imports_resolve_as_intended():
    """The import reader itself: a relative import inside a stage resolves to the absolute module."""
    found = dict(_imports(RAG / "answer" / "answerer.py"))
    assert "rag.search.retriever" in found and "rag.answer.quotes" in found
