"""A runner on a fresh jobs folder, with kinds made up for the tests (the report kind has tests
of its own)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from vantage.access.directory import Directory
from vantage.config import Settings
from vantage.ingest.store import Store
from vantage.jobs.kinds import JobEnv, Kind
from vantage.jobs.runner import Runner


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("store") / "s.duckdb"
    with Store.open(Settings.load(engine=str(path))) as opened:
        yield opened


@pytest.fixture
def env(tmp_path: Path, store: Store) -> JobEnv:
    settings = replace(Settings.load(), jobs_dir=str(tmp_path / "jobs"), job_keep_days=7)
    return JobEnv(settings, store, Directory(store.engine))


RunnerFactory = Callable[..., Runner]


@pytest.fixture
def make_runner(env: JobEnv) -> Iterator[RunnerFactory]:
    made: list[Runner] = []

    def make(*kinds: Kind, **options: float) -> Runner:
        runner = Runner(env, {k.name: k for k in kinds}, **options)  # type: ignore[arg-type]
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.stop(wait_s=5)
