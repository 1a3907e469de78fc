"""What the demo tests share: fresh stores in a temporary directory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from vantage.config import Settings
from vantage.ingest.store import Store


def open_store(path: Path) -> Store:
    return Store.open(Settings(engine=str(path)))


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[Callable[[str], Store]]:
    """``stores(name)`` opens a fresh store; all are closed after the test."""
    opened: list[Store] = []

    def make(name: str) -> Store:
        store = open_store(tmp_path / f"{name}.duckdb")
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()
