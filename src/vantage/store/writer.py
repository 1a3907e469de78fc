"""The single writer: one thread owns every write transaction of the store.

Callers hand it event batches or write jobs and get a future back. A batch names its target
table (room events, player beacons; see vantage.store.appends), which brings its duplicate rule.
Batches that queue up while a commit is in flight are committed together (group commit), whatever
their targets, so many small requests cost one durable commit; each batch still learns its own
counts. A future resolves only after the
commit returned, i.e. once the data is durable.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

import pyarrow as pa

from vantage.store import appends, room_events
from vantage.store.appends import Target
from vantage.store.engine import TransactionalEngine, WriteSession

T = TypeVar("T")


@dataclass(frozen=True)
class AppendResult:
    received: int
    stored: int
    duplicates: int


@dataclass
class _EventJob:
    events: pa.Table
    target: Target
    dedupe: bool
    future: Future[AppendResult]


@dataclass
class _Job:
    fn: Callable[[WriteSession], Any]
    future: Future[Any]


_STOP = object()


class Writer:
    def __init__(self, engine: TransactionalEngine, *, group_rows: int = 50_000) -> None:
        self._engine = engine
        self._group_rows = group_rows
        self._queue: queue.Queue[Any] = queue.Queue()
        self._held: Any = None  # a job taken off the queue that did not fit the current group
        self._thread = threading.Thread(target=self._run, name="vantage-writer", daemon=True)
        self._thread.start()

    def append_events(
        self, events: pa.Table, *, target: Target = room_events.TARGET, dedupe: bool = True
    ) -> Future[AppendResult]:
        future: Future[AppendResult] = Future()
        self._queue.put(_EventJob(events, target, dedupe, future))
        return future

    def submit(self, fn: Callable[[WriteSession], T]) -> Future[T]:
        """Run ``fn`` in its own write transaction on the writer thread."""
        future: Future[T] = Future()
        self._queue.put(_Job(fn, future))
        return future

    def close(self) -> None:
        """Finish every queued job, then stop."""
        self._queue.put(_STOP)
        self._thread.join()

    def _next(self) -> Any:
        if self._held is not None:
            job, self._held = self._held, None
            return job
        return self._queue.get()

    def _run(self) -> None:
        while True:
            job = self._next()
            if job is _STOP:
                return
            if isinstance(job, _Job):
                self._run_job(job)
                continue
            group = [job]
            rows = job.events.num_rows
            while rows < self._group_rows:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if not isinstance(more, _EventJob):
                    self._held = more
                    break
                group.append(more)
                rows += more.events.num_rows
            self._run_events(group)

    def _run_job(self, job: _Job) -> None:
        if not job.future.set_running_or_notify_cancel():
            return
        try:
            with self._engine.write() as tx:
                result = job.fn(tx)
        except BaseException as exc:  # the caller gets the error; the writer goes on
            job.future.set_exception(exc)
        else:
            job.future.set_result(result)

    def _run_events(self, group: list[_EventJob]) -> None:
        try:
            results = self._commit_group(group)
        except BaseException as exc:
            if len(group) == 1:
                group[0].future.set_exception(exc)
                return
            # One bad batch must not sink the others: commit each on its own.
            for job in group:
                self._run_events([job])
            return
        for job, result in zip(group, results, strict=True):
            job.future.set_result(result)

    def _commit_group(self, group: list[_EventJob]) -> list[AppendResult]:
        duplicates: dict[int, int] = {}  # position in the group → its duplicates
        targets = list(dict.fromkeys(job.target for job in group))
        try:
            with self._engine.write() as tx:
                self._append_group(tx, group, targets, duplicates)
        except BaseException:
            _settle(targets, committed=False)
            raise
        _settle(targets, committed=True)
        return [
            AppendResult(job.events.num_rows, job.events.num_rows - duplicates[i], duplicates[i])
            for i, job in enumerate(group)
        ]

    @staticmethod
    def _append_group(
        tx: WriteSession, group: list[_EventJob], targets: list[Target], duplicates: dict[int, int]
    ) -> None:
        for target in targets:
            mine = [i for i, job in enumerate(group) if job.target is target]
            tables = [group[i].events for i in mine]
            combined = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
            dedupe = all(group[i].dedupe for i in mine)
            dropped = appends.append(tx, target, combined, dedupe=dedupe)
            counts = _per_table(dropped.to_pylist(), [t.num_rows for t in tables])
            duplicates.update(zip(mine, counts, strict=True))


def _settle(targets: list[Target], *, committed: bool) -> None:
    for target in targets:
        if target.settled is not None:
            target.settled(committed)


def _per_table(dropped_rows: list[int], sizes: list[int]) -> list[int]:
    """How many of the dropped row numbers (into the tables concatenated) fall in each table."""
    dropped_rows.sort()
    counts, start, i = [], 0, 0
    for size in sizes:
        end, n = start + size, 0
        while i < len(dropped_rows) and dropped_rows[i] < end:
            n += 1
            i += 1
        counts.append(n)
        start = end
    return counts
