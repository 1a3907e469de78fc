"""Imports between vantage's top-level packages point one way, so the code reads bottom up."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).parent.parent / "src" / "vantage"

LAYERS = [
    {
        "config",
        "storable",
        "timeconv",
        "typemap",
        "php",
        "http_body",
        "csv_cells",
        "human_dates",
        "devices",
    },
    {"mail"},  # sends e-mail with the settings' SMTP server
    {"sql"},
    {"exporter", "store"},
    {"events", "entities"},
    {"player"},
    {"ingest"},
    {"access", "importer", "demo"},
    {"analytics"},
    {"api"},
    {"jobs"},
    {"kaltura", "admin", "collector", "microservice", "web"},
    {"server"},
    {"cli"},
]
"""Lowest first. A package imports only packages of lower layers: the HTTP surfaces (kaltura,
admin, collector, microservice, web) never import each other, and share access control
(``access``) below them."""

FORBIDDEN = {("kaltura", "api"): "/api_v3 answers Kaltura's errors, not the JSON APIs'"}

LANDING: set[str] = set()
"""Packages placed above before their branch is merged (issue 10's mail sender): remove each
name once its package is in the tree."""

ALLOWED_FOR_NOW: dict[tuple[str, str], str] = {}
"""Imports against the layer order allowed until their issue removes them: none today."""


def _package(module: str) -> str | None:
    """The top-level package or module of vantage that ``module`` is or is in, else None."""
    parts = module.split(".")
    if parts[0] != "vantage" or len(parts) < 2:
        return None
    found = (SRC / parts[1]).is_dir() or (SRC / f"{parts[1]}.py").is_file()
    return parts[1] if found else None  # not a name of vantage/__init__.py (__version__)


def _imports(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):  # imports inside functions count too
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module == "vantage":
            yield from (f"vantage.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def _edges() -> set[tuple[str, str]]:
    edges = set()
    for path in SRC.rglob("*.py"):
        source = path.relative_to(SRC).parts[0].removesuffix(".py")
        for module in _imports(ast.parse(path.read_text())):
            target = _package(module)
            if target is not None and target != source:
                edges.add((source, target))
    return edges


def _layer(package: str) -> int:
    found = [i for i, layer in enumerate(LAYERS) if package in layer]
    assert found, f"vantage.{package} is in no layer of tests/test_layers.py"
    return found[0]


def test_every_package_is_in_exactly_one_layer() -> None:
    packages = {
        p.name.removesuffix(".py")
        for p in SRC.iterdir()
        if p.suffix == ".py" or (p.is_dir() and any(p.glob("*.py")))
    } - {"__init__"}
    placed = [p for layer in LAYERS for p in layer if p in packages or p not in LANDING]
    assert sorted(placed) == sorted(packages)


def test_imports_point_down() -> None:
    wrong = {
        (source, target)
        for source, target in _edges()
        if _layer(target) >= _layer(source) and (source, target) not in ALLOWED_FOR_NOW
    }
    wrong |= _edges() & FORBIDDEN.keys()
    assert not wrong, f"imports against the layer order: {sorted(wrong)}"


def test_no_import_circles_but_the_known_one() -> None:
    edges = _edges()

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            here = todo.pop()
            if here == goal:
                return True
            if here not in seen:
                seen.add(here)
                todo += [t for s, t in edges if s == here]
        return False

    circling = {(s, t) for s, t in edges if reaches(t, s)}
    assert circling <= ALLOWED_FOR_NOW.keys(), f"import circles: {sorted(circling)}"


def test_the_known_exceptions_still_exist() -> None:
    """An exception that is gone comes off the list, so it cannot come back unseen."""
    assert ALLOWED_FOR_NOW.keys() <= _edges()
