"""The collector over real HTTP against a real server process and DuckDB file."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SAMPLE_FIELDS, T0, event
from tests.events.test_decode import DEEP_BODIES
from tests.integration.conftest import Running
from tests.integration.server import post_events


def stored(running: Running, **params: Any) -> list[dict[str, Any]]:
    answer = running.client.get("/api/v1/events", params={"limit": 10_000, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()["objects"]


def test_every_event_type_round_trips(running: Running) -> None:
    sent = [event(t, eventId=f"id-{t}", time=T0 + i) for i, t in enumerate(SAMPLE_FIELDS)]
    sent[0]["time"] = T0 - 0.5  # fractions of a second survive
    answer = post_events(running.client, sent)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"received": len(sent), "stored": len(sent), "duplicates": 0}
    assert sorted(stored(running), key=lambda e: e["time"]) == sorted(sent, key=lambda e: e["time"])


def test_ndjson_batches_are_accepted(running: Running) -> None:
    lines = "\n".join(
        f'{{"type":"raiseHand","partnerId":101,"entryId":"1_room","sessionId":"s",'
        f'"userId":"u{i}","time":{T0}}}'
        for i in range(3)
    )
    answer = running.client.post(
        "/api/v1/events", content=lines, headers={"content-type": "application/x-ndjson"}
    )
    assert answer.json()["stored"] == 3


def test_retrying_a_batch_stores_each_event_once(running: Running) -> None:
    batch = [event("raiseHand", eventId=f"r{i}", time=T0 + i) for i in range(10)]
    assert post_events(running.client, batch).json()["stored"] == 10
    assert post_events(running.client, batch).json() == {
        "received": 10,
        "stored": 0,
        "duplicates": 10,
    }
    assert len(stored(running, type="raiseHand")) == 10


def bad_cases() -> list[tuple[str, Any, int, str, str | None]]:
    good = event("raiseHand", eventId="good")
    return [
        ("malformed json", b"[{", 400, "INVALID_EVENTS", None),
        ("unknown type", [good, event("shout")], 400, "INVALID_EVENTS", "type"),
        (
            "missing field",
            [good, {k: v for k, v in good.items() if k != "userId"}],
            400,
            "INVALID_EVENTS",
            "userId",
        ),
        ("mistyped field", [good, {**good, "time": "yesterday"}], 400, "INVALID_EVENTS", "time"),
        (
            "years away",
            [good, {**good, "time": T0 + 3 * 365 * 86_400}],
            400,
            "INVALID_EVENTS",
            "time",
        ),
        (
            "partner beyond BIGINT",
            [good, {**good, "partnerId": 2**63}],
            400,
            "INVALID_EVENTS",
            "partnerId",
        ),
        (
            "virtual event beyond BIGINT",
            [good, {**good, "virtualEventId": -(2**63) - 1}],
            400,
            "INVALID_EVENTS",
            "virtualEventId",
        ),
        (
            "other partner",
            [good, {**good, "partnerId": 102, "entryId": "2_room"}],
            403,
            "FORBIDDEN_EVENTS",
            "partnerId",
        ),
        (
            "other partner's entry",
            [good, {**good, "entryId": "2_room"}],
            403,
            "FORBIDDEN_EVENTS",
            "entryId",
        ),
        (
            "unknown entry",
            [good, {**good, "entryId": "1_nope"}],
            403,
            "FORBIDDEN_EVENTS",
            "entryId",
        ),
    ]


@pytest.mark.parametrize(("name", "body", "status", "code", "field"), bad_cases())
def test_bad_batches_are_refused_whole(
    running: Running, name: str, body: Any, status: int, code: str, field: str | None
) -> None:
    if isinstance(body, bytes):
        answer = running.client.post(
            "/api/v1/events", content=body, headers={"content-type": "application/json"}
        )
    else:
        answer = post_events(running.client, body)
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code
    if field is not None:
        [bad] = error["errors"]
        assert (bad["index"], bad["field"]) == (1, field)
    assert stored(running) == []  # the good event of the batch was not written either


def test_oversized_body_is_refused(tmp_path: Any) -> None:
    from tests.integration.server import Server, create_partner

    store = tmp_path / "s.duckdb"
    pid, secret = create_partner(store, "Small")
    server = Server(store, env={"VANTAGE_MAX_BODY_BYTES": "2000"}).start()
    try:
        with server.client(pid, secret) as client:
            answer = post_events(client, [event("raiseHand", partnerId=pid)] * 30)
            assert answer.status_code == 413
            assert answer.json()["error"]["code"] == "BODY_TOO_LARGE"
    finally:
        server.stop()


def test_credentials_and_media_type(running: Running) -> None:
    import httpx

    url = running.server.url + "/api/v1/events"
    batch = [event("raiseHand")]
    assert httpx.post(url, json=batch).status_code == 401
    assert httpx.post(url, json=batch, auth=("101", "wrong-secret")).status_code == 401
    assert httpx.post(url, json=batch, auth=("abc", "x")).status_code == 401
    answer = running.client.post(
        "/api/v1/events", content=b"[]", headers={"content-type": "text/plain"}
    )
    assert answer.status_code == 415


def test_partners_never_see_each_others_events(running: Running) -> None:
    post_events(running.client, [event("raiseHand", eventId="mine")])
    with running.server.client(running.other_id, running.other_secret) as other:
        answer = other.get("/api/v1/events")
        assert answer.json() == {"objects": [], "totalCount": 0}
        assert other.get("/api/v1/admin/entries").json()["totalCount"] == 1
        assert other.get("/api/v1/admin/entries/1_room").status_code == 404
        forbidden = other.get("/api/v1/admin/entries", params={"partnerId": running.partner_id})
        assert forbidden.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        *DEEP_BODIES,
        b'[{"type":"raiseHand","userId":"caf\xe9"}]',  # latin-1: not UTF-8
        b'[{"type":"raiseHand","userId":"\\udce9"}]',  # a lone surrogate
        b'[{"type":"raiseHand","time":1e400}]',
    ],
)
@pytest.mark.parametrize("media", ["application/json", "application/x-ndjson"])
def test_bodies_no_decoder_can_read_answer_400(running: Running, body: bytes, media: str) -> None:
    answer = running.client.post("/api/v1/events", content=body, headers={"content-type": media})
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["code"] == "INVALID_EVENTS"
