"""Acknowledged means durable: SIGKILL right after the acknowledgements loses nothing."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import httpx

from tests.conftest import T0, event
from tests.integration.server import Server, create_partner, post_events


def all_event_ids(client: httpx.Client) -> list[str]:
    ids: list[str] = []
    while True:
        page = client.get("/api/v1/events", params={"limit": 10_000, "offset": len(ids)}).json()
        if not page["objects"]:
            return ids
        ids.extend(e["eventId"] for e in page["objects"])


def test_acknowledged_events_survive_sigkill(tmp_path: Path) -> None:
    store = tmp_path / "crash.duckdb"
    pid, secret = create_partner(store, "Crash U")
    server = Server(store).start()
    acknowledged: list[str] = []
    lock = threading.Lock()
    with server.client(pid, secret) as client:
        client.post(
            "/api/v1/admin/entries",
            json={"partnerId": pid, "id": "1_room", "name": "Room", "kind": "room"},
        ).raise_for_status()

    def send(worker: int) -> None:
        with server.client(pid, secret) as client:
            for b in range(15):
                ids = [f"w{worker}-b{b}-{i}" for i in range(200)]
                batch = [
                    event("viewPeriod", partnerId=pid, eventId=e, time=T0 + i)
                    for i, e in enumerate(ids)
                ]
                if post_events(client, batch).status_code == 200:
                    with lock:
                        acknowledged.extend(ids)

    workers = [threading.Thread(target=send, args=(w,)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    server.stop(signal.SIGKILL)  # no shutdown, no checkpoint
    assert len(acknowledged) == 4 * 15 * 200

    restarted = Server(store).start()
    try:
        with restarted.client(pid, secret) as client:
            found = all_event_ids(client)
        assert sorted(found) == sorted(acknowledged)
    finally:
        restarted.stop()


def test_kill_during_ingest_keeps_every_acknowledged_batch(tmp_path: Path) -> None:
    store = tmp_path / "crash2.duckdb"
    pid, secret = create_partner(store, "Crash U")
    server = Server(store).start()
    with server.client(pid, secret) as client:
        client.post(
            "/api/v1/admin/entries",
            json={"partnerId": pid, "id": "1_room", "name": "Room", "kind": "room"},
        ).raise_for_status()
    acknowledged: list[str] = []
    stop = threading.Event()

    def send() -> None:
        with server.client(pid, secret) as client:
            b = 0
            while not stop.is_set():
                ids = [f"b{b}-{i}" for i in range(500)]
                try:
                    answer = post_events(
                        client, [event("raiseHand", partnerId=pid, eventId=e) for e in ids]
                    )
                except Exception:  # the server died mid-request: not acknowledged
                    return
                if answer.status_code == 200:
                    acknowledged.extend(ids)
                b += 1

    sender = threading.Thread(target=send)
    sender.start()
    while len(acknowledged) < 5_000:
        threading.Event().wait(0.01)
    server.stop(signal.SIGKILL)  # while a request is very likely in flight
    stop.set()
    sender.join()

    restarted = Server(store).start()
    try:
        with restarted.client(pid, secret) as client:
            found = all_event_ids(client)
        assert set(acknowledged) <= set(found)
        assert len(found) == len(set(found))
        assert len(found) % 500 == 0  # an unacknowledged batch may have landed, never half of one
    finally:
        restarted.stop()
