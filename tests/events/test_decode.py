from __future__ import annotations

import datetime as dt

import msgspec
import pytest

from tests.conftest import NOW, SAMPLE_FIELDS, T0, event
from vantage.events.decode import BatchError, TimeWindow, decode_batch
from vantage.events.vocabulary import BY_NAME

WINDOW = TimeWindow.around(NOW, max_age_days=400, max_skew_seconds=300)


def decode(events: object, ndjson: bool = False, max_events: int = 1000):
    if ndjson:
        body = b"\n".join(msgspec.json.encode(e) for e in events)  # type: ignore[attr-defined]
    else:
        body = msgspec.json.encode(events)
    return decode_batch(body, ndjson=ndjson, window=WINDOW, max_events=max_events)


def errors_of(events: object, **kw: object) -> list[dict[str, object]]:
    with pytest.raises(BatchError) as info:
        decode(events, **kw)  # type: ignore[arg-type]
    return [e.to_json() for e in info.value.errors]


def test_every_type_has_a_sample_and_decodes() -> None:
    assert set(SAMPLE_FIELDS) == set(BY_NAME)
    batch = decode([event(t) for t in BY_NAME])
    assert [type(e) for e in batch.events] == list(BY_NAME.values())
    assert batch.times_us == [T0 * 1_000_000] * len(BY_NAME)


def test_ndjson_and_array_give_the_same_events() -> None:
    events = [event("raiseHand", eventId=f"e{i}") for i in range(3)]
    assert decode(events).events == decode(events, ndjson=True).events


def test_times_in_seconds_fractions_and_rfc3339() -> None:
    iso = dt.datetime.fromtimestamp(T0, dt.UTC).isoformat().replace("+00:00", "Z")
    batch = decode([event("raiseHand", time=iso), event("raiseHand", time=T0 + 0.25)])
    assert batch.times_us == [T0 * 1_000_000, T0 * 1_000_000 + 250_000]


def test_naive_timestamp_is_refused() -> None:
    naive = dt.datetime.fromtimestamp(T0, dt.UTC).replace(tzinfo=None).isoformat()
    [err] = errors_of([event("raiseHand", time=naive)])
    assert err["field"] == "time" and "UTC offset" in str(err["message"])


@pytest.mark.parametrize(
    ("bad", "field", "fragment"),
    [
        ({"type": "shout"}, "type", "Invalid value 'shout'"),
        ({"partnerId": "101"}, "partnerId", "Expected `int`, got `str`"),
        ({"sessionId": None}, "sessionId", "Expected `str`"),
        ({"time": T0 + 5 * 365 * 86_400}, "time", "outside the accepted window"),
        ({"time": T0 - 5 * 365 * 86_400}, "time", "outside the accepted window"),
        ({"reaction": "angry"}, "reaction", "Invalid enum value 'angry'"),
        ({"colour": "red"}, "colour", "unknown field `colour`"),
        ({"userId": ""}, "userId", "length >= 1"),
    ],
)
def test_bad_field_is_named(bad: dict[str, object], field: str, fragment: str) -> None:
    good = event("reactionClicked", eventId="ok")
    wrong = {**event("reactionClicked", eventId="bad"), **bad}
    [err] = errors_of([good, wrong])
    assert err["index"] == 1 and err["eventId"] == "bad" and err["field"] == field
    assert fragment in str(err["message"])


def test_missing_required_field_is_named() -> None:
    wrong = event("viewPeriod")
    del wrong["tabFocused"]
    [err] = errors_of([wrong])
    assert err["field"] == "tabFocused" and "missing required field" in str(err["message"])


def test_view_time_is_bounded_by_the_heartbeat() -> None:
    [err] = errors_of([event("viewPeriod", viewTime=11)])
    assert err["field"] == "viewTime"


def test_every_bad_event_is_reported_with_its_line_in_ndjson() -> None:
    events = [event("raiseHand"), {"type": "raiseHand"}, event("raiseHand"), event("nope")]
    errs = errors_of(events, ndjson=True)
    assert [e["index"] for e in errs] == [1, 3]


@pytest.mark.parametrize("body", [b"", b"   ", b"[", b'{"type": "raiseHand"}', b"[1, 2]"])
def test_malformed_bodies(body: bytes) -> None:
    with pytest.raises(BatchError):
        decode_batch(body, ndjson=False, window=WINDOW, max_events=10)


def test_empty_array_and_too_many_events() -> None:
    with pytest.raises(BatchError, match="no events"):
        decode([])
    with pytest.raises(BatchError, match="at most 2"):
        decode([event("raiseHand")] * 3, max_events=2)
