"""The layer rules, read from the import graph of the code itself (no stack, no database):

core -> db -> domain (with repair_flows) -> contracts -> activities | workflows -> clients -> api | smartsolar

Each layer imports only from the layers below it (or its own); activities and workflows never import each
other; nothing imports inside a function to get round a cycle (the composition root's CLI may import
lazily, to start fast).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = {
    "core": 0,
    "db": 1,
    "domain": 2,
    "repair_flows": 2,
    "contracts": 3,
    "activities": 4,
    "workflows": 4,
    "clients": 5,
    "api": 6,
    "simulator": 6,
    "smartsolar": 6,
}
NEVER = {
    ("activities", "workflows"),
    ("workflows", "activities"),
    ("api", "activities"),
    ("api", "smartsolar"),
}
LAZY_IMPORTS_ALLOWED = {"smartsolar", "simulator"}


def modules() -> list[Path]:
    return sorted(p for package in LAYERS for p in (ROOT / package).rglob("*.py"))


def imports(path: Path) -> list[tuple[str, bool]]:
    """(imported top-level package, at module level?) for every import of ours in the file."""
    tree = ast.parse(path.read_text(), str(path))
    top_level = set()
    for node in tree.body:
        for child in (
            ast.walk(node)
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            else []
        ):
            top_level.add(id(child))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            package = name.split(".")[0]
            if package in LAYERS:
                found.append((package, id(node) in top_level))
    return found


def package_of(path: Path) -> str:
    return path.relative_to(ROOT).parts[0]


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_module_imports_only_from_below(path: Path):
    own = package_of(path)
    if "migrations" in path.parts:
        return  # Alembic revisions are frozen history
    for package, at_module_level in imports(path):
        assert LAYERS[package] <= LAYERS[own], f"{own} must not import {package} (a layer above it)"
        assert (own, package) not in NEVER, f"{own} must not import {package}"
        if own not in LAZY_IMPORTS_ALLOWED:
            assert at_module_level, f"{own} imports {package} inside a function or class"


def test_the_rules_see_the_whole_code():
    assert len(modules()) > 100
    assert ("contracts", True) in imports(ROOT / "workflows" / "device.py")
