from __future__ import annotations

import datetime as dt
import json
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import NOW, SAMPLE_FIELDS, T0, event
from vantage.devices import Device
from vantage.events.arrow import to_arrow
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
        # integers are BIGINTs: 2^63 and beyond do not fit
        ({"partnerId": 2**63}, "partnerId", "<= 9223372036854775807"),
        ({"partnerId": -1}, "partnerId", ">= 0"),
        ({"virtualEventId": -(2**63) - 1}, "virtualEventId", ">= -9223372036854775808"),
        ({"virtualEventId": 2**64}, "virtualEventId", "<= 9223372036854775807"),
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


DEEP = 5_000
DEEP_BODIES = [
    b"[" * DEEP + b"]" * DEEP,
    b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    b'[{"type":"raiseHand","x":' + b"[" * DEEP + b"]" * DEEP + b"}]",
    b'[{"eventId":' + b"[" * DEEP + b"]" * DEEP + b"}]",
]
"""Bodies nested deeper than a JSON decoder follows."""


@pytest.mark.parametrize("body", DEEP_BODIES)
@pytest.mark.parametrize("ndjson", [False, True])
def test_deeply_nested_bodies_are_refused(body: bytes, ndjson: bool) -> None:
    with pytest.raises(BatchError):
        decode_batch(body, ndjson=ndjson, window=WINDOW, max_events=10)


@pytest.mark.parametrize(
    "text",
    [
        b"caf\xe9",  # latin-1, not UTF-8
        b"\xff\xfe",
        b"\\udce9",  # a lone surrogate, escaped
        b"\\ud800\\u0041",
    ],
)
@pytest.mark.parametrize("ndjson", [False, True])
def test_text_that_is_not_unicode_is_refused(text: bytes, ndjson: bool) -> None:
    one = msgspec.json.encode(event("raiseHand", userId="X")).replace(b'"X"', b'"' + text + b'"')
    with pytest.raises(BatchError):
        decode_batch(
            one if ndjson else b"[" + one + b"]", ndjson=ndjson, window=WINDOW, max_events=1
        )


def test_a_time_of_1e400_is_refused() -> None:
    body = (
        b"["
        + msgspec.json.encode(event("raiseHand", time=0)).replace(b'"time":0', b'"time":1e400')
        + b"]"
    )
    with pytest.raises(BatchError):
        decode_batch(body, ndjson=False, window=WINDOW, max_events=1)


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
_FIELD_VALUES = st.sampled_from(
    [
        "type",
        "partnerId",
        "entryId",
        "sessionId",
        "userId",
        "time",
        "viewTime",
        "virtualEventId",
        "eventId",
        "text",
        "options",
        "labels",
        "schedulingType",
        "visualType",
        "appGuid",
    ]
)


def _events() -> st.SearchStrategy[dict[str, Any]]:
    """Events near valid: a sample of each type with some fields replaced by anything."""
    return st.builds(
        lambda t, changes: {**event(t), **changes},
        st.sampled_from(sorted(BY_NAME)),
        st.dictionaries(_FIELD_VALUES, _JSON, max_size=3),
    )


def _bodies() -> st.SearchStrategy[tuple[bytes, bool]]:
    batch = st.lists(_events() | _JSON, max_size=4)
    as_array = batch.map(lambda b: (json.dumps(b).encode(), False))
    as_lines = batch.map(lambda b: (b"\n".join(json.dumps(e).encode() for e in b), True))
    raw = st.tuples(st.binary(max_size=60), st.booleans())
    huge = st.sampled_from([b"1e400", b"-1e400", b"NaN", b"Infinity", b"9" * 30])
    spliced = st.tuples(as_array, huge).map(lambda p: (p[0][0].replace(b"1", p[1], 1), p[0][1]))
    return as_array | as_lines | raw | spliced


@settings(max_examples=300, deadline=None)
@given(_bodies())
def test_any_body_decodes_to_storable_events_or_is_refused(
    body_and_form: tuple[bytes, bool],
) -> None:
    body, ndjson = body_and_form
    try:
        batch = decode_batch(body, ndjson=ndjson, window=WINDOW, max_events=10)
    except BatchError:
        return
    assert to_arrow(batch, T0 * 1_000_000).num_rows == len(batch.events)


# --- the fields the chat and collaboration reports read (migration 0012) ------------------------


def test_the_chat_and_collaboration_fields_are_stored() -> None:
    table = to_arrow(decode([event(t) for t in BY_NAME]), T0 * 1_000_000).to_pylist()
    by_type = {row["event_type"]: row for row in table}
    poll = by_type["pollLaunched"]
    assert (poll["visual_type"], poll["visual_icon"], poll["scheduling_type"]) == (
        "bar",
        "calculator",
        "scheduled",
    )
    assert (poll["group_poll_id"], poll["group_poll_name"]) == ("quiz1", "Arithmetic")
    assert by_type["questionThreadModerated"]["labels"] == ["technical", "follow-up"]
    assert (by_type["registered"]["app_guid"], by_type["registered"]["job_role"]) == (
        "app-1",
        "Researcher",
    )
    assert by_type["unregistered"]["app_guid"] == "app-1"
    assert by_type["raiseHand"]["labels"] is None and by_type["raiseHand"]["app_guid"] is None


def test_the_new_fields_are_optional() -> None:
    bare = {
        "pollLaunched": (
            "visualType",
            "visualIcon",
            "groupPollId",
            "groupPollName",
            "schedulingType",
        ),
        "questionThreadModerated": ("labels",),
        "registered": ("appGuid", "jobRole"),
        "unregistered": ("appGuid",),
    }
    events = []
    for type_, fields in bare.items():
        sample = event(type_)
        events.append({k: v for k, v in sample.items() if k not in fields})
    table = to_arrow(decode(events), T0 * 1_000_000).to_pylist()
    assert table[0]["scheduling_type"] is None and table[1]["labels"] == []
    assert table[2]["app_guid"] is None and table[2]["job_role"] is None


@pytest.mark.parametrize(
    ("type_", "bad", "field", "fragment"),
    [
        ("pollLaunched", {"visualType": "x" * 513}, "visualType", "length <= 512"),
        ("pollLaunched", {"visualIcon": 7}, "visualIcon", "Expected `str | null`, got `int`"),
        ("pollLaunched", {"groupPollId": ""}, "groupPollId", "length >= 1"),
        ("pollLaunched", {"groupPollId": "g" * 129}, "groupPollId", "length <= 128"),
        ("pollLaunched", {"groupPollName": "x" * 513}, "groupPollName", "length <= 512"),
        ("pollLaunched", {"schedulingType": "automatic"}, "schedulingType", "Invalid enum value"),
        ("questionThreadModerated", {"action": "tagged"}, "action", "Invalid enum value"),
        ("questionThreadModerated", {"labels": "technical"}, "labels", "Expected `array`"),
        ("questionThreadModerated", {"labels": [1]}, "labels[0]", "Expected `str`"),
        ("questionThreadModerated", {"labels": ["x" * 513]}, "labels[0]", "length <= 512"),
        (
            "questionThreadModerated",
            {"labels": [f"l{i}" for i in range(21)]},
            "labels",
            "length <= 20",
        ),
        ("registered", {"appGuid": ""}, "appGuid", "length >= 1"),
        ("registered", {"jobRole": ["CTO"]}, "jobRole", "Expected `str | null`, got `array`"),
        ("unregistered", {"appGuid": "a" * 129}, "appGuid", "length <= 128"),
        ("unregistered", {"jobRole": "CTO"}, "jobRole", "unknown field `jobRole`"),
        ("pollAnswered", {"labels": []}, "labels", "unknown field `labels`"),
    ],
)
def test_a_bad_chat_and_collaboration_field_is_named(
    type_: str, bad: dict[str, object], field: str, fragment: str
) -> None:
    [err] = errors_of([event(type_, eventId="ok"), {**event(type_, eventId="bad"), **bad}])
    assert err["index"] == 1 and err["field"] == field, err
    assert fragment in str(err["message"]), err


_LABEL = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)


@settings(max_examples=100, deadline=None)
@given(st.lists(_LABEL, max_size=25))
def test_up_to_20_labels_are_stored_as_sent(labels: list[str]) -> None:
    sent = event("questionThreadModerated", labels=labels)
    if len(labels) > 20:
        [err] = errors_of([sent])
        assert err["field"] == "labels"
        return
    [row] = to_arrow(decode([sent]), T0 * 1_000_000).to_pylist()
    assert row["labels"] == labels and row["action"] == "labeled"


def test_the_served_schema_describes_the_new_fields() -> None:
    from vantage.collector.routes import EVENT_SCHEMA  # what /api/v1/events/schema serves

    defs = EVENT_SCHEMA["$defs"]
    poll = defs["PollLaunched"]["properties"]
    assert {"visualType", "visualIcon", "groupPollId", "groupPollName", "schedulingType"} <= set(
        poll
    )
    assert defs["SchedulingType"]["enum"] == ["manual", "scheduled"]
    assert "labeled" in defs["ThreadAction"]["enum"]
    labels = defs["QuestionThreadModerated"]["properties"]["labels"]
    assert (labels["maxItems"], labels["items"]["maxLength"]) == (20, 512)
    assert {"appGuid", "jobRole"} <= set(defs["Registered"]["properties"])
    assert "appGuid" in defs["Unregistered"]["properties"]


# --- the client a person joined with (migration 0013) ------------------------------------------


def test_a_joins_device_and_country_are_stored_and_optional() -> None:
    bare = {k: v for k, v in event("joinSession").items() if k not in ("device", "country")}
    table = to_arrow(decode([event("joinSession"), bare]), T0 * 1_000_000).to_pylist()
    assert [(r["device"], r["country"]) for r in table] == [("Tablet", "South Korea"), (None, None)]


def test_a_joins_devices_are_the_player_enrichments() -> None:
    """Every device class the enrichment gives a beacon is one a join may carry, and no other."""
    from vantage.player.enrich import _DEVICES

    named = {d.value for d, _ in _DEVICES} | {"Bot"}
    assert named == {d.value for d in Device}
    for device in sorted(named):
        [row] = to_arrow(decode([event("joinSession", device=device)]), 0).to_pylist()
        assert row["device"] == device


@pytest.mark.parametrize(
    ("bad", "field", "fragment"),
    [
        ({"device": "computer"}, "device", "Invalid enum value"),
        ({"device": "Phone"}, "device", "Invalid enum value"),
        ({"device": 1}, "device", "Expected `str | null`, got `int`"),
        ({"country": ""}, "country", "length >= 1"),
        ({"country": "x" * 65}, "country", "length <= 64"),
        ({"country": " Germany"}, "country", "matching regex"),
        ({"country": "Germany "}, "country", "matching regex"),
        ({"country": "Ger\nmany"}, "country", "matching regex"),
        ({"country": "\x00"}, "country", "matching regex"),
        ({"country": ["Germany"]}, "country", "Expected `str | null`, got `array`"),
        ({"device": None, "role": "guest"}, "role", "Invalid enum value"),
    ],
)
def test_a_bad_join_client_field_is_named(
    bad: dict[str, object], field: str, fragment: str
) -> None:
    [err] = errors_of([event("joinSession", eventId="ok"), {**event("joinSession"), **bad}])
    assert err["index"] == 1 and err["field"] == field, err
    assert fragment in str(err["message"]), err


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=70))
def test_a_country_is_stored_as_sent_or_refused_by_name(country: str) -> None:
    sent = event("joinSession", country=country)
    printable = all(c >= " " and c != "\x7f" for c in country)
    if 1 <= len(country) <= 64 and printable and country == country.strip(" "):
        [row] = to_arrow(decode([sent]), T0 * 1_000_000).to_pylist()
        assert row["country"] == country
    else:
        [err] = errors_of([sent])
        assert err["field"] == "country"
