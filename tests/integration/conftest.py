from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.integration.server import Server, create_partner


@dataclass
class Running:
    server: Server
    partner_id: int
    secret: str
    other_id: int
    other_secret: str
    client: httpx.Client


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    """A server with partner 101 (room 1_room) and partner 102 (room 2_room)."""
    store = tmp_path / "store.duckdb"
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
