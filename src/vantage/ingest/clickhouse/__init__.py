"""Writing to a ClickHouse store (embedded chDB or a server): ``ClickHouseIngest``, the
``vantage.ingest.Ingest`` of ClickHouse.

One writer thread runs every write in the order handed over, so each write reads what the
earlier ones stored (duplicates, sessions, entries, partner ids) and the plays it remembers
(``PlayState``) are those stored. Event batches queued behind a write are inserted together,
up to ``group_rows`` rows of one target and one ``dedupe``: ClickHouse wants few, large
inserts. A future resolves once ClickHouse acknowledged every insert of its write; a retried
insert adds nothing (vantage.ingest.clickhouse.inserts).

There is no upkeep: ClickHouse merges the parts of its tables, the hourly facts' among them, in
the background, and every read of the facts groups them (DuckDB's ``maintain`` merges fact rows
that its many small commits left).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa

from vantage.entities.model import Entity, Kind, Partner
from vantage.ingest.clickhouse import entities
from vantage.ingest.clickhouse.beacons import play_state
from vantage.ingest.clickhouse.events import store_beacons, store_room_events
from vantage.ingest.clickhouse.inserts import ClickHouse
from vantage.player.derive import PlayState
from vantage.store.writer import AppendResult

T = TypeVar("T")

GROUP_ROWS = 50_000
"""Rows of queued event batches inserted together at most (ClickHouse likes 10 k–100 k)."""


@dataclass
class _Events:
    rows: pa.Table
    beacons: bool  # else room events
    dedupe: bool
    future: Future[AppendResult]

    def joins(self, other: _Events) -> bool:
        return (self.beacons, self.dedupe) == (other.beacons, other.dedupe)


@dataclass
class _Write:
    fn: Callable[[], Any]
    future: Future[Any]


_STOP = object()


class ClickHouseIngest:
    """Every write to a ClickHouse store, on one writer thread; the engine stays its owner's
    (``close`` stops the writer, not the engine)."""

    def __init__(
        self, engine: ClickHouse, *, sole_writer: bool = True, group_rows: int = GROUP_ROWS
    ) -> None:
        """``sole_writer``: no other process stores player beacons in this store (then the
        plays of recent beacons are remembered; otherwise each is looked up)."""
        self.engine = engine
        self._sole_writer = sole_writer
        self._plays: PlayState | None = play_state(engine, sole_writer=sole_writer)
        self._group_rows = group_rows
        self._queue: queue.Queue[Any] = queue.Queue()
        self._held: Any = None  # a job taken off the queue that did not join the group
        self._thread = threading.Thread(target=self._run, name="vantage-ch-writer", daemon=True)
        self._thread.start()

    def room_events(self, rows: pa.Table, *, dedupe: bool = True) -> Future[AppendResult]:
        return self._events(rows, beacons=False, dedupe=dedupe)

    def beacons(self, rows: pa.Table, *, dedupe: bool = True) -> Future[AppendResult]:
        return self._events(rows, beacons=True, dedupe=dedupe)

    def upsert(self, kind: Kind, items: Sequence[Entity]) -> Future[int]:
        return self._submit(lambda: entities.upsert(self.engine, kind, items))

    def delete_entries(self, partner_id: int, ids: Sequence[str]) -> Future[tuple[int, int]]:
        return self._submit(lambda: entities.delete_entries(self.engine, partner_id, ids))

    def create_partner(
        self,
        name: str,
        *,
        partner_id: int | None = None,
        parent_partner_id: int | None = None,
        admin_secret: str | None = None,
        user_secret: str | None = None,
        next_free_if_taken: bool = False,
    ) -> Future[Partner]:
        return self._submit(
            lambda: entities.create_partner(
                self.engine,
                name,
                partner_id=partner_id,
                parent_partner_id=parent_partner_id,
                admin_secret=admin_secret,
                user_secret=user_secret,
                next_free_if_taken=next_free_if_taken,
            )
        )

    def set_meta(self, key: str, value: str) -> Future[None]:
        return self._submit(lambda: entities.set_meta(self.engine, key, value))

    def maintain(self) -> Future[bool]:
        """Nothing to do (see the module's docstring): resolves False at once."""
        done: Future[bool] = Future()
        done.set_result(False)
        return done

    def close(self) -> None:
        """Finish every write handed over, then stop (the engine stays open: its owner's)."""
        self._queue.put(_STOP)
        self._thread.join()

    def _events(self, rows: pa.Table, *, beacons: bool, dedupe: bool) -> Future[AppendResult]:
        future: Future[AppendResult] = Future()
        self._queue.put(_Events(rows, beacons, dedupe, future))
        return future

    def _submit(self, fn: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        self._queue.put(_Write(fn, future))
        return future

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
            if isinstance(job, _Write):
                _run_write(job)
                continue
            group = [job]
            rows = job.rows.num_rows
            while rows < self._group_rows:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if not (isinstance(more, _Events) and more.joins(job)):
                    self._held = more
                    break
                group.append(more)
                rows += more.rows.num_rows
            self._run_events(group)

    def _state(self) -> PlayState:
        if self._plays is None:
            self._plays = play_state(self.engine, sole_writer=self._sole_writer)
        return self._plays

    def _run_events(self, group: list[_Events]) -> None:
        claimed = [job for job in group if job.future.set_running_or_notify_cancel()]
        if claimed:
            self._store(claimed)

    def _store(self, group: list[_Events]) -> None:
        tables = [job.rows for job in group]
        first = group[0]
        try:
            # One chunk a column: ClickHouse reads each Arrow record batch as a block of its own.
            rows = pa.concat_tables(tables).combine_chunks()
            if first.beacons:
                dropped = store_beacons(self.engine, self._state(), rows, dedupe=first.dedupe)
            else:
                dropped = store_room_events(self.engine, rows, dedupe=first.dedupe)
        except BaseException as exc:
            if first.beacons:  # views may be stored that the state did not record: learn anew
                self._plays = None
            if len(group) == 1:
                first.future.set_exception(exc)
                return
            for job in group:  # one bad batch must not sink the others: each on its own
                self._store([job])
            return
        counts = _per_table(dropped, [t.num_rows for t in tables])
        for job, duplicates in zip(group, counts, strict=True):
            n = job.rows.num_rows
            job.future.set_result(AppendResult(n, n - duplicates, duplicates))


def _run_write(job: _Write) -> None:
    if not job.future.set_running_or_notify_cancel():
        return
    try:
        result = job.fn()
    except BaseException as exc:  # the caller gets the error; the writer goes on
        job.future.set_exception(exc)
    else:
        job.future.set_result(result)


def _per_table(dropped: pa.Array, sizes: list[int]) -> list[int]:
    """How many of the dropped row numbers (into the tables concatenated) fall in each table."""
    ends = np.cumsum(sizes)
    found = np.searchsorted(ends, np.asarray(dropped.to_numpy(), np.int64), side="right")
    return np.bincount(found, minlength=len(sizes)).tolist()
