"""An entry's ``rootEntryId`` (the room a recording was made from) over the admin API."""

from __future__ import annotations

from tests.api.test_admin_delete_entry import Client, client  # noqa: F401 (a fixture)
from vantage.ingest.store import Store


def test_a_recording_names_its_room_and_is_listed_by_it(client: Client, store: Store) -> None:  # noqa: F811
    entries = [
        {"partnerId": 101, "id": "1_room", "name": "Biology", "kind": "room"},
        {
            "partnerId": 101,
            "id": "1_rec",
            "name": "Recording",
            "kind": "video",
            "rootEntryId": "1_room",
        },
        {"partnerId": 101, "id": "1_up", "name": "Upload", "kind": "video"},
    ]
    assert client.post("/api/v1/admin/entries", json=entries).json() == {"upserted": 3}
    assert client.get("/api/v1/admin/entries/1_rec").json()["rootEntryId"] == "1_room"
    assert client.get("/api/v1/admin/entries/1_up").json()["rootEntryId"] is None
    made = client.get("/api/v1/admin/entries", params={"rootEntryId": "1_room"}).json()
    assert [e["id"] for e in made["objects"]] == ["1_rec"]
    assert store.engine.query("SELECT root_entry_id FROM entries WHERE id = '1_rec'") == [
        ("1_room",)
    ]
    # deleting keeps it, as the row stays
    client.delete("/api/v1/admin/entries/1_rec").raise_for_status()
    assert client.get("/api/v1/admin/entries/1_rec").json()["rootEntryId"] == "1_room"


def test_a_bad_root_entry_id_is_named(client: Client, store: Store) -> None:  # noqa: F811
    for bad in ("", "x" * 129, 7):
        entry = {"partnerId": 101, "id": "1_rec", "name": "R", "kind": "video", "rootEntryId": bad}
        answer = client.post("/api/v1/admin/entries", json=entry)
        assert answer.status_code == 400 and "rootEntryId" in answer.text, answer.text
    assert store.engine.query("SELECT count(*) FROM entries") == [(0,)]
