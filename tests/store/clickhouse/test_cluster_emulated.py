"""Every report read through a cluster's Distributed tables, and Vantage's ingest writing through
them, agree with DuckDB: cluster_suite.py, in a chDB process configured with a cluster of one
shard (chDB reads its configuration once per process, so the suite runs in a process of its
own)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SUITE = Path(__file__).with_name("cluster_suite.py")
ROOT = Path(__file__).parents[3]

# The cluster `vantage`: one shard, this process (chDB listens on no port; the port only tells
# ClickHouse that the replica is itself, so it runs the shard's part in the process).
CONFIG = """<clickhouse>
  <tcp_port>9000</tcp_port>
  <remote_servers>
    <vantage>
      <shard><replica><host>localhost</host><port>9000</port></replica></shard>
    </vantage>
  </remote_servers>
</clickhouse>
"""


# Every report once: each KAVA report by days, each room report over its range and over days in
# a time zone (all of tests/test_engines_agree.py's variants take minutes more; the SQL they add
# reads the same tables); and every other test of the suite.
SELECTED = "not agrees or days or range"


def test_every_report_agrees_through_a_clusters_tables(tmp_path: Path) -> None:
    config = tmp_path / "config.xml"
    config.write_text(CONFIG, encoding="utf-8")
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
            str(SUITE),
        ],
        cwd=ROOT,
        env={**os.environ, "VANTAGE_CHDB_CONFIG": str(config)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout[-6000:] + ran.stderr[-3000:]
    assert " passed" in ran.stdout and "skipped" not in ran.stdout, ran.stdout[-2000:]
