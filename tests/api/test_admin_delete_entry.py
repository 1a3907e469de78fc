"""``DELETE /api/v1/admin/entries/{id}``: the entry is marked deleted and its delete recorded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from starlette.applications import Starlette

from vantage.config import Settings
from vantage.entities import partners
from vantage.entities.model import Partner
from vantage.ingest.store import Store
from vantage.server import create_app


class Client:
    """Requests to the app in this process, each over its own ASGI connection."""

    def __init__(self, app: Starlette, auth: tuple[str, str] | None) -> None:
        self.app, self.auth = app, auth

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://vantage", auth=self.auth
            ) as c:
                return await c.request(method, path, **kw)

        return anyio.run(send)

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("POST", path, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("DELETE", path, **kw)


@pytest.fixture
def client(settings: Settings, store: Store, partner: Partner) -> Iterator[Client]:
    yield Client(create_app(settings, store), (str(partner.id), partner.admin_secrets[0]))


def lifecycle(store: Store) -> list[tuple[Any, ...]]:
    return store.engine.query(
        "SELECT partner_id, entry_id, event_type, delta, duration FROM entry_lifecycle "
        "ORDER BY time, event_type"
    )


def test_delete_marks_the_entry_deleted_and_keeps_it(client: Client, store: Store) -> None:
    entry = {"partnerId": 101, "id": "1_v", "name": "Cells", "kind": "video", "duration": 42}
    assert client.post("/api/v1/admin/entries", json=entry).json() == {"upserted": 1}
    answer = client.delete("/api/v1/admin/entries/1_v")
    assert answer.status_code == 200 and answer.json() == {"deleted": 1}
    kept = client.get("/api/v1/admin/entries/1_v").json()
    assert (kept["name"], kept["status"]) == ("Cells", "deleted")
    assert (
        client.get("/api/v1/admin/entries", params={"status": "deleted"}).json()["totalCount"] == 1
    )
    assert client.delete("/api/v1/admin/entries/1_v").json() == {"deleted": 0}  # once only
    assert lifecycle(store) == [
        (101, "1_v", "physicalAdd", 1, 42.0),
        (101, "1_v", "physicalDelete", -1, -42.0),
    ]


def test_unknown_entries_foreign_partners_and_other_kinds(client: Client, store: Store) -> None:
    missing = client.delete("/api/v1/admin/entries/1_nothing")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"
    other = store.writer.submit(lambda tx: partners.create(tx, "Other")).result()
    foreign = client.delete("/api/v1/admin/entries/1_v", params={"partnerId": other.id})
    assert foreign.status_code == 403 and foreign.json()["error"]["code"] == "FORBIDDEN_PARTNER"
    assert client.delete("/api/v1/admin/users/alice").status_code == 405
    client.auth = None
    assert client.delete("/api/v1/admin/entries/1_v").status_code == 401
    assert lifecycle(store) == []


def test_a_parent_deletes_a_child_partners_entry(client: Client, store: Store) -> None:
    child = {
        "id": 900,
        "name": "Child",
        "adminSecrets": ["c" * 32],
        "userSecret": "d" * 32,
        "parentPartnerId": 101,
    }
    client.post("/api/v1/admin/partners", json=child).raise_for_status()
    entry = {"partnerId": 900, "id": "9_v", "name": "V", "kind": "video"}
    client.post("/api/v1/admin/entries", json=entry).raise_for_status()
    assert client.delete("/api/v1/admin/entries/9_v").status_code == 404  # not the caller's own
    answer = client.delete("/api/v1/admin/entries/9_v", params={"partnerId": 900})
    assert answer.json() == {"deleted": 1}
    assert [r[:3] for r in lifecycle(store)] == [
        (900, "9_v", "physicalAdd"),
        (900, "9_v", "physicalDelete"),
    ]
