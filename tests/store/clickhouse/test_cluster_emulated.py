"""A cluster's layout tried on chDB configured with clusters whose shards are itself
(emulation.py): every report read through the Distributed tables, and Vantage's ingest writing
through them, agree with DuckDB on one shard (cluster_suite.py); every report runs over two
shards, and a query naming a partner reads one (cluster_two_shards_suite.py). chDB reads its
configuration once per process, so the suites run in a process of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.store.clickhouse import emulation

pytestmark = pytest.mark.slow

SUITES = [
    Path(__file__).with_name(f"{s}.py") for s in ("cluster_suite", "cluster_two_shards_suite")
]
ROOT = Path(__file__).parents[3]

# Every report once: each KAVA report by days, each room report over its range and over days in
# a time zone (all of tests/test_engines_agree.py's variants take minutes more; the SQL they add
# reads the same tables); and every other test of the suites.
SELECTED = "not agrees or days or range"


def test_the_cluster_suites_pass_on_chdb_configured_with_clusters(tmp_path: Path) -> None:
    config = tmp_path / "config.xml"
    config.write_text(emulation.CONFIG, encoding="utf-8")
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-k",
            SELECTED,
            *map(str, SUITES),
        ],
        cwd=ROOT,
        env={**os.environ, emulation.CONFIG_ENV: str(config)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout[-6000:] + ran.stderr[-3000:]
    assert " passed" in ran.stdout and "skipped" not in ran.stdout, ran.stdout[-2000:]
