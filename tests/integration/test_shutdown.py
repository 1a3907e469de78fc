"""A clean stop: on SIGTERM or SIGINT the server stops accepting, finishes the requests in flight
and the writes they queued, checkpoints the store (no write-ahead log is left) and exits 0."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest

from tests.conftest import T0, event
from tests.integration.server import Server, create_partner, post_events

ROOM = {"id": "1_room", "name": "Room", "kind": "room"}
BEACON = {"service": "analytics", "action": "trackEvent", "eventType": 3, "entryId": "1_video"}


def wal(store: Path) -> Path:
    return store.with_name(store.name + ".wal")


def stored(store: Path, sql: str) -> set[str]:
    with duckdb.connect(str(store), read_only=True) as con:
        return {row[0] for row in con.execute(sql).fetchall()}


def start_with_room(store: Path, pid: int, secret: str) -> Server:
    server = Server(store).start()
    with server.client(pid, secret) as client:
        client.post("/api/v1/admin/entries", json=ROOM | {"partnerId": pid}).raise_for_status()
    return server


def stop(server: Server, sig: int) -> int:
    assert server.process is not None
    server.process.send_signal(sig)
    code = server.process.wait(timeout=60)
    server.process = None
    return code


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_signal_keeps_every_acknowledged_write_and_leaves_no_log(
    tmp_path: Path, sig: int
) -> None:
    store = tmp_path / "stop.duckdb"
    pid, secret = create_partner(store, "Stop U")
    server = start_with_room(store, pid, secret)
    acknowledged: list[str] = []
    beacons: list[str] = []
    lock = threading.Lock()
    running = threading.Event()
    running.set()

    def rooms(worker: int) -> None:
        with server.client(pid, secret) as client:
            b = 0
            while running.is_set():
                b += 1
                ids = [f"w{worker}-b{b}-{i}" for i in range(100)]
                batch = [
                    event("viewPeriod", partnerId=pid, eventId=e, time=T0 + i)
                    for i, e in enumerate(ids)
                ]
                try:
                    if post_events(client, batch).status_code == 200:
                        with lock:
                            acknowledged.extend(ids)
                except httpx.TransportError:
                    return  # the server stopped accepting

    def players() -> None:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            n = 0
            while running.is_set():
                n += 1
                session = f"s{n}"
                query = {**BEACON, "partnerId": pid, "sessionId": session, "eventIndex": 1}
                try:
                    if client.get("/api_v3/index.php", params=query).status_code == 200:
                        with lock:
                            beacons.append(session)
                except httpx.TransportError:
                    return

    workers = [threading.Thread(target=rooms, args=(w,)) for w in range(2)]
    workers.append(threading.Thread(target=players))
    for w in workers:
        w.start()
    try:
        deadline = time.monotonic() + 60
        while len(acknowledged) < 2_000 or len(beacons) < 50:
            assert time.monotonic() < deadline, (len(acknowledged), len(beacons))
            time.sleep(0.05)
        assert stop(server, sig) == 0
    finally:
        running.clear()
        for w in workers:
            w.join()
        server.stop(signal.SIGKILL)

    assert not wal(store).exists()
    found = stored(store, "SELECT event_id FROM room_events")
    assert set(acknowledged) <= found
    assert set(beacons) <= stored(store, "SELECT session_id FROM player_events")


def slow_body(pid: int, sent_half: threading.Event, go_on: threading.Event) -> Iterator[bytes]:
    """A JSON array of 500 events sent in two halves, the second once ``go_on`` is set."""
    events = [
        event("viewPeriod", partnerId=pid, eventId=f"slow-{i}", time=T0 + i) for i in range(500)
    ]
    body = json.dumps(events).encode()
    yield body[: len(body) // 2]
    sent_half.set()
    go_on.wait(30)
    yield body[len(body) // 2 :]


def test_a_request_in_flight_when_the_signal_comes_is_answered_and_stored(tmp_path: Path) -> None:
    store = tmp_path / "inflight.duckdb"
    pid, secret = create_partner(store, "Stop U")
    server = start_with_room(store, pid, secret)
    sent_half, go_on = threading.Event(), threading.Event()
    answer: list[httpx.Response] = []

    def send() -> None:
        with server.client(pid, secret) as client:
            events = slow_body(pid, sent_half, go_on)
            headers = {"Content-Type": "application/json"}
            answer.append(client.post("/api/v1/events", content=events, headers=headers))

    sender = threading.Thread(target=send)
    sender.start()
    assert sent_half.wait(30)
    assert server.process is not None
    server.process.send_signal(signal.SIGTERM)
    time.sleep(0.5)  # the server is stopping; the request is half sent
    assert server.process.poll() is None
    with pytest.raises(httpx.TransportError):  # new connections are refused
        httpx.get(f"{server.url}/healthz", timeout=2)
    go_on.set()
    sender.join()
    assert server.process.wait(timeout=60) == 0
    server.process = None
    assert answer[0].status_code == 200, answer[0].text
    assert answer[0].json()["stored"] == 500
    assert not wal(store).exists()
    assert len(stored(store, "SELECT event_id FROM room_events")) == 500
