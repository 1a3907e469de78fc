"""Player beacons of concurrent requests go to the ingest together, each answered once stored."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from typing import Any

import msgspec
import pytest

from vantage.ingest.store import Store
from vantage.player.arrow import Received
from vantage.player.beacon_queue import BeaconQueue
from vantage.player.decode import decode_beacon
from vantage.player.vocabulary import Beacon

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
    """The store's beacon ingest, counting the tables it is handed."""

    def __init__(self, store: Store) -> None:
        self.store, self.tables = store, 0

    def beacons(self, table: Any) -> Future[Any]:
        self.tables += 1
        return self.store.ingest.beacons(table)


def test_concurrent_beacons_share_writes(store: Store) -> None:
    counting = Counting(store)
    queue = BeaconQueue(counting.beacons)

    async def send_all() -> None:
        await asyncio.gather(
            *(queue.store(beacon(i), Received(T0 + i, f"10.0.0.{i}", None)) for i in range(200))
        )

    asyncio.run(send_all())
    rows = store.engine.query("SELECT count(*), count(DISTINCT client_ip) FROM player_events")
    assert rows == [(200, 200)]  # each beacon keeps its own request's details
    assert 1 <= counting.tables < 200  # the first goes alone, the rest wait for it together


def test_every_waiting_beacon_learns_a_failed_write(store: Store) -> None:
    def failing(table: Any) -> Future[Any]:
        failed: Future[Any] = Future()
        failed.set_exception(OSError("disk full"))
        return failed

    queue = BeaconQueue(failing)

    async def send_all() -> list[BaseException | None]:
        sends = (queue.store(beacon(i), Received(T0, None, None)) for i in range(5))
        return await asyncio.gather(*sends, return_exceptions=True)

    outcomes = asyncio.run(send_all())
    assert [type(o) for o in outcomes] == [OSError] * 5
    with pytest.raises(OSError):
        asyncio.run(queue.store(beacon(9), Received(T0, None, None)))


def unstorable() -> Beacon:
    """A beacon that passed no validation: its index does not fit a BIGINT."""
    return Beacon(event_type_id=1, partner_id=1, entry_id="e", session_id="bad", event_index=2**63)


def test_a_beacon_that_cannot_be_converted_fails_alone(store: Store) -> None:
    queue = BeaconQueue(store.ingest.beacons)

    async def send_all() -> list[BaseException | None]:
        sends = [queue.store(beacon(i), Received(T0 + i, None, None)) for i in range(50)]
        sends.insert(20, queue.store(unstorable(), Received(T0, None, None)))
        return await asyncio.gather(*sends, return_exceptions=True)

    outcomes = asyncio.run(send_all())
    assert isinstance(outcomes.pop(20), OverflowError)
    assert outcomes == [None] * 50
    assert store.engine.query("SELECT count(*) FROM player_events") == [(50,)]


def test_a_beacon_whose_commit_fails_fails_alone(store: Store) -> None:
    def failing_on_bad(table: Any) -> Future[Any]:
        """The store's beacon ingest, whose commits fail when they hold the session ``bad``."""
        if "bad" in table.column("session_id").to_pylist():
            failed: Future[Any] = Future()
            failed.set_exception(OSError("constraint"))
            return failed
        return store.ingest.beacons(table)

    queue = BeaconQueue(failing_on_bad)
    bad = msgspec.structs.replace(beacon(0), session_id="bad")

    async def send_all() -> list[BaseException | None]:
        sends = [queue.store(beacon(i), Received(T0 + i, None, None)) for i in range(1, 30)]
        sends.insert(5, queue.store(bad, Received(T0, None, None)))
        return await asyncio.gather(*sends, return_exceptions=True)

    outcomes = asyncio.run(send_all())
    assert isinstance(outcomes.pop(5), OSError) and outcomes == [None] * 29
    assert store.engine.query("SELECT count(*) FROM player_events") == [(29,)]
