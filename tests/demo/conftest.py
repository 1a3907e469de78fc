"""What the demo tests share: fresh stores in a temporary directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from vantage.config import Settings
from vantage.demo import DemoSummary, generate
from vantage.ingest.store import Store

NOW = dt.datetime(2025, 6, 1, 12, 30, tzinfo=dt.UTC)
MEDIUM = 50_000  # the smallest size at which every event type shows up (checked for seeds 1-4)


def open_store(path: Path) -> Store:
    return Store.open(Settings(engine=str(path)))


def q(store: Store, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    return store.engine.query(sql, params)


@pytest.fixture(scope="package")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary]]:
    """A demo of ``MEDIUM`` room events, shared by the tests that only read it."""
    store = open_store(tmp_path_factory.mktemp("demo") / "medium.duckdb")
    summary = generate(store, seed=3, events=MEDIUM, now=NOW)
    yield store, summary
    store.close()


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
