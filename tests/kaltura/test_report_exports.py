"""Writing CSV export files: concurrent exports of one partner never trip over each other."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from vantage.kaltura.services import report_exports


def test_concurrent_writes_each_keep_their_file(tmp_path: Path) -> None:
    def write(n: int) -> str:
        return report_exports._write(tmp_path, f"file {n}".encode())

    with ThreadPoolExecutor(8) as pool:
        names = list(pool.map(write, range(400)))
    assert len(set(names)) == 400
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
