"""Player beacons from many requests, stored together: one Arrow table per write (used by the
HTTP layer's event loop; the store's ingest does the rest).

Players send one beacon per request. Converting each to its own table and handing it to the
writer costs more than the write (about 0.45 ms a beacon against 1.2 ms for 256 at once), so
beacons wait here while a write is in flight and go to the writer together; each request is
answered when the write holding its beacon has committed, as before. A beacon the batch cannot
be stored with (its conversion or its commit fails) fails alone: the batch is written again in
halves, and a failing half in halves again, so the good beacons are stored in a few writes and
only the bad one's request gets the error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future

import pyarrow as pa

from vantage.player.arrow import Received, to_arrow
from vantage.player.vocabulary import Beacon
from vantage.store.writer import AppendResult

MAX_BATCH = 5_000
"""Beacons written together at most (a commit group's share of the writer's time)."""


class BeaconQueue:
    def __init__(self, append: Callable[[pa.Table], Future[AppendResult]]) -> None:
        self._append = append
        self._waiting: list[tuple[Beacon, Received, asyncio.Future[None]]] = []
        self._flushing: asyncio.Task[None] | None = None

    async def store(self, beacon: Beacon, received: Received) -> None:
        """Return once ``beacon`` is durably stored; raise what storing it raised."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._waiting.append((beacon, received, done))
        flushing = self._flushing
        if flushing is None or flushing.done() or flushing.get_loop() is not loop:
            self._flushing = loop.create_task(self._flush())
        await done

    async def _flush(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            await self._write(batch)

    async def _write(self, batch: list[tuple[Beacon, Received, asyncio.Future[None]]]) -> None:
        try:
            table = to_arrow([b for b, _, _ in batch], [r for _, r, _ in batch])
            stored = self._append(table)
            await asyncio.wrap_future(stored)
        except Exception as exc:
            if len(batch) > 1:  # one bad beacon must not sink the others: halve until alone
                half = len(batch) // 2
                await asyncio.gather(self._write(batch[:half]), self._write(batch[half:]))
                return
            _settle(batch, exc)
        else:
            _settle(batch, None)


def _settle(
    batch: list[tuple[Beacon, Received, asyncio.Future[None]]], error: Exception | None
) -> None:
    for _, _, done in batch:
        if done.done():
            continue
        if error is None:
            done.set_result(None)
        else:
            done.set_exception(error)
