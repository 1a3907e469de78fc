"""A job's result file, written as ``<name>.partial`` and renamed once whole: a reader (or a
restart) sees the whole file or none."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

PARTIAL = ".partial"
PROGRESS_EVERY_S = 0.5
"""How often progress reaches the job table: each write there is a synced commit."""


def partner_folder(jobs_dir: Path, partner_id: int) -> Path:
    return jobs_dir / str(partner_id)


def discard(folder: Path, name: str) -> None:
    """Delete the file and its partial, if there."""
    for path in (folder / name, folder / (name + PARTIAL)):
        path.unlink(missing_ok=True)


class ResultFile:
    """The :class:`~vantage.jobs.kinds.Sink` a kind writes to."""

    def __init__(
        self,
        path: Path,
        stop: Callable[[], bool],
        report: Callable[[int], None],
        delay_s: float = 0.0,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.rows = 0
        self._partial = path.with_name(path.name + PARTIAL)
        self._out: BinaryIO = open(self._partial, "wb")  # noqa: SIM115 (closed by finish/abandon)
        self._stop = stop
        self._report = report
        self._reported_at = time.monotonic()
        self._delay_s = delay_s

    def write(self, data: bytes) -> None:
        self._out.write(data)
        if self._delay_s:  # tests: a job that takes a while (VANTAGE_TEST_JOB_WRITE_DELAY)
            time.sleep(self._delay_s)

    def add_rows(self, n: int) -> None:
        self.rows += n
        if time.monotonic() - self._reported_at >= PROGRESS_EVERY_S:
            self._reported_at = time.monotonic()
            self._report(self.rows)

    def cancelled(self) -> bool:
        return self._stop()

    def finish(self) -> None:
        """On disk whole under its own name (data and the rename both synced)."""
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        os.replace(self._partial, self.path)
        folder = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

    def abandon(self) -> None:
        self._out.close()
        self._partial.unlink(missing_ok=True)
