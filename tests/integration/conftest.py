from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.analytics.conftest import ENTRIES, USERS, events
from tests.integration.server import Server, create_partner

B = int(time.time()) - 5 * 86_400  # when session s1 of the reports' school began


@dataclass
class Running:
    server: Server
    partner_id: int
    secret: str
    other_id: int
    other_secret: str
    client: httpx.Client


@pytest.fixture(params=["duckdb", "chdb"])
def running(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Running]:
    """A server with partner 101 (room 1_room) and partner 102 (room 2_room), on each engine:
    the embedded DuckDB file and embedded ClickHouse (chDB)."""
    store = tmp_path / "store.duckdb" if request.param == "duckdb" else f"chdb:{tmp_path / 'chdb'}"
    pid, secret = create_partner(store, "Test University")
    other, other_secret = create_partner(store, "Other College")
    server = Server(store).start()
    try:
        client = server.client(pid, secret)
        assert (
            client.post(
                "/api/v1/admin/entries",
                json=[{"partnerId": pid, "id": "1_room", "name": "Biology 101", "kind": "room"}],
            ).status_code
            == 200
        )
        with server.client(other, other_secret) as oc:
            assert (
                oc.post(
                    "/api/v1/admin/entries",
                    json={"partnerId": other, "id": "2_room", "name": "Other", "kind": "room"},
                ).status_code
                == 200
            )
        yield Running(server, pid, secret, other, other_secret, client)
        client.close()
    finally:
        server.stop()


@pytest.fixture
def school(running: Running) -> Iterator[Running]:
    """``running`` with the hand-worked school of tests/analytics, s1 beginning at ``B``."""
    c = running.client
    for kind, items in (("entries", ENTRIES), ("users", USERS)):
        c.post(
            f"/api/v1/admin/{kind}", json=[i for i in items if i["partnerId"] == 101]
        ).raise_for_status()
    mine = [e for e in events(B) if e["partnerId"] == 101]
    theirs = [{**e, "partnerId": running.other_id} for e in events(B) if e["partnerId"] == 102]
    assert c.post("/api/v1/events", json=mine).status_code == 200
    with running.server.client(running.other_id, running.other_secret) as other:
        assert other.post("/api/v1/events", json=theirs).status_code == 200
    yield running
