"""Player beacons of concurrent requests go to the writer together, each answered once stored."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from typing import Any

import pytest

from vantage.player.arrow import Received
from vantage.player.decode import decode_beacon
from vantage.player.vocabulary import Beacon
from vantage.store.beacon_queue import BeaconQueue
from vantage.store.store import Store
from vantage.store.writer import Writer

T0 = 1_790_000_000_000_000


def beacon(i: int) -> Beacon:
    return decode_beacon(
        {
            "eventType": "1",
            "partnerId": "1",
            "entryId": "e",
            "sessionId": f"s{i}",
            "eventIndex": "1",
        }
    )


class Counting:
    """The store's writer, counting the tables it is handed."""

    def __init__(self, writer: Writer) -> None:
        self.writer, self.tables = writer, 0

    def append_events(self, table: Any, **kw: Any) -> Future[Any]:
        self.tables += 1
        return self.writer.append_events(table, **kw)


def test_concurrent_beacons_share_writes(store: Store) -> None:
    counting = Counting(store.writer)
    queue = BeaconQueue(counting)  # type: ignore[arg-type]

    async def send_all() -> None:
        await asyncio.gather(
            *(queue.store(beacon(i), Received(T0 + i, f"10.0.0.{i}", None)) for i in range(200))
        )

    asyncio.run(send_all())
    rows = store.engine.query("SELECT count(*), count(DISTINCT client_ip) FROM player_events")
    assert rows == [(200, 200)]  # each beacon keeps its own request's details
    assert 1 <= counting.tables < 200  # the first goes alone, the rest wait for it together


def test_every_waiting_beacon_learns_a_failed_write(store: Store) -> None:
    class Failing:
        def append_events(self, table: Any, **kw: Any) -> Future[Any]:
            failed: Future[Any] = Future()
            failed.set_exception(OSError("disk full"))
            return failed

    queue = BeaconQueue(Failing())  # type: ignore[arg-type]

    async def send_all() -> list[BaseException | None]:
        sends = (queue.store(beacon(i), Received(T0, None, None)) for i in range(5))
        return await asyncio.gather(*sends, return_exceptions=True)

    outcomes = asyncio.run(send_all())
    assert [type(o) for o in outcomes] == [OSError] * 5
    with pytest.raises(OSError):
        asyncio.run(queue.store(beacon(9), Received(T0, None, None)))
