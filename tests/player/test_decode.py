"""Beacons decoded from merged parameters: both wire forms, and errors that name the field."""

from __future__ import annotations

import base64
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vantage.player.arrow import Received, to_arrow
from vantage.player.columns import ARROW_SCHEMA
from vantage.player.decode import BeaconError, decode_beacon
from vantage.player.vocabulary import BY_ID, EVENTS, FIELDS

DEEP: list[Any] = []
for _ in range(100_000):
    DEEP = [DEEP]

KEYS = {
    "eventType": "99",
    "partnerId": "101",
    "entryId": "1_v",
    "sessionId": "s",
    "eventIndex": "3",
}


def test_ids_and_names_are_unique() -> None:
    assert len(BY_ID) == len(EVENTS) == len({k.name for k in EVENTS})


def test_the_get_form_reads_text_as_the_declared_types() -> None:
    url = base64.b64encode(b"https://ex.com/a?b=1").decode()
    beacon = decode_beacon(
        {
            **KEYS,
            "playTimeSum": "20.5",
            "soundMode": "2",
            "referrer": url,
            "caption": "",
            "uiConfId": "",
            "service": "analytics",
            "ks": "secret",
            "loadedPlugins": "kava,ima",
        }
    )
    assert (beacon.partner_id, beacon.event_index, beacon.play_time_sum) == (101, 3, 20.5)
    assert (beacon.sound_mode, beacon.caption, beacon.ui_conf_id) == (2, None, None)
    assert beacon.referrer == "https://ex.com/a?b=1"
    assert beacon.loaded_plugins == ["kava", "ima"]


def test_the_post_form_takes_json_numbers_even_where_text_is_declared() -> None:
    beacon = decode_beacon({**KEYS, "eventType": 3, "clientVer": 3, "loadedPlugins": ["kava"]})
    assert (beacon.event_type_id, beacon.client_ver, beacon.loaded_plugins) == (3, "3", ["kava"])


def test_a_referrer_that_is_not_base64_is_kept_as_sent() -> None:
    assert decode_beacon({**KEYS, "referrer": "https://ex.com/"}).referrer == "https://ex.com/"


def test_application_events_need_no_index() -> None:
    beacon = decode_beacon({**KEYS, "eventType": "10002", "eventIndex": "", "buttonName": "b"})
    assert beacon.event_index is None and beacon.button_name == "b"


@pytest.mark.parametrize(
    ("change", "field", "missing"),
    [
        ({"eventType": None}, "eventType", True),
        ({"partnerId": None}, "partnerId", True),
        ({"entryId": None}, "entryId", True),
        ({"sessionId": None}, "sessionId", True),
        ({"eventIndex": None}, "eventIndex", True),
        ({"eventIndex": "x"}, "eventIndex", False),
        ({"eventType": "6"}, "eventType", False),
        ({"sessionId": "s" * 129}, "sessionId", False),
        ({"errorDetails": "e" * 20_001}, "errorDetails", False),
        ({"position": {"a": "1"}}, "position", False),
        # every integer column is a BIGINT: 2^63 and beyond do not fit
        *(
            ({name: value}, name, False)
            for name in ("eventIndex", "soundMode", "uiConfId", "virtualEventId", "errorCode")
            for value in (2**63, str(2**63), -(2**63) - 1, 2**64)
        ),
        ({"kalturaApplication": str(-(2**63) - 1)}, "kalturaApplication", False),
        # every number is finite, whatever form it comes in
        *(
            ({"averageBitrate": value}, "averageBitrate", False)
            for value in ("inf", "-inf", "nan", "1e400", math.inf, -math.inf, math.nan)
        ),
        ({"position": "NaN"}, "position", False),
        # what reports add up is never negative
        ({"playTimeSum": "-5"}, "playTimeSum", False),
        ({"eventIndex": "-1"}, "eventIndex", False),
        # text a column cannot hold: a lone surrogate (a JSON body's "\udce9")
        ({"referrer": "https://ex.com/\udce9"}, "referrer", False),
        ({"loadedPlugins": ["kava", "\ud800"]}, "loadedPlugins", False),
        ({"clientVer": 10**2000}, "clientVer", False),
        # values nested far deeper than any decoder follows fail at their first level
        *(({name: DEEP}, name, False) for name in ("loadedPlugins", "position", "referrer")),
    ],
)
def test_bad_beacons_name_the_field(change: dict[str, Any], field: str, missing: bool) -> None:
    params = {k: v for k, v in {**KEYS, **change}.items() if v is not None}
    with pytest.raises(BeaconError) as caught:
        decode_beacon(params)
    assert (caught.value.field, caught.value.missing) == (field, missing)


def test_arrow_rows_carry_the_name_and_what_the_server_knows() -> None:
    beacon = decode_beacon({**KEYS, "playTimeSum": "10"})
    table = to_arrow([beacon], Received(1_000_000, "10.0.0.1", "UA"))
    assert table.schema == ARROW_SCHEMA
    row = table.to_pylist()[0]
    assert (row["event_type"], row["event_type_id"], row["play_time_sum"]) == ("view", 99, 10.0)
    assert (row["client_ip"], row["user_agent"], row["referrer"]) == ("10.0.0.1", "UA", None)


def test_an_empty_value_is_not_sent_in_either_form() -> None:
    by_get = decode_beacon({**KEYS, "audioLanguage": "", "caption": "", "soundMode": ""})
    by_post = decode_beacon({**KEYS, "eventIndex": 3, "audioLanguage": ""})
    assert (by_get.audio_language, by_get.caption, by_get.sound_mode) == (None, None, None)
    assert by_post.audio_language is None and by_get == by_post


def test_an_empty_session_is_accepted_as_none() -> None:
    assert decode_beacon({**KEYS, "sessionId": ""}).session_id is None


def test_numbers_sent_as_text_in_a_json_body_are_read() -> None:
    beacon = decode_beacon({**KEYS, "kalturaApplication": "21", "position": "12.5"})
    assert (beacon.kaltura_application, beacon.position) == (21, 12.5)


@pytest.mark.parametrize(
    "referrer",
    [
        "https://ex.com/café?q=ü",  # raw non-ASCII (GET bytes or a JSON body)
        "https://ex.com/caf\ufffd",  # invalid UTF-8 bytes, as the query parser replaces them
        "https://ex.com/a b",
        "//ex.com/page",
    ],
)
def test_a_plain_referrer_is_kept_as_sent(referrer: str) -> None:
    beacon = decode_beacon({**KEYS, "referrer": referrer})
    assert beacon.referrer == referrer
    assert to_arrow([beacon], Received(1, None, None)).column("domain").to_pylist() == ["ex.com"]


def test_base64_is_decoded_only_when_it_is_a_url() -> None:
    url = base64.b64encode("https://ex.com/café".encode()).decode()
    assert decode_beacon({**KEYS, "referrer": url}).referrer == "https://ex.com/café"
    assert decode_beacon({**KEYS, "referrer": "test"}).referrer == "test"  # valid base64
    assert decode_beacon({**KEYS, "referrer": "YWJj"}).referrer == "YWJj"  # base64 of "abc"


_SCALARS = (
    st.text(st.characters(exclude_categories=()), max_size=40)
    | st.integers()
    | st.integers(min_value=2**62, max_value=2**70).map(lambda i: -i if i % 2 else i)
    | st.floats()
    | st.booleans()
    | st.none()
    | st.sampled_from(["", "nan", "inf", "-inf", "1e400", "21", "2.5", "9223372036854775808"])
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)


@settings(max_examples=400, deadline=None)
@given(
    fields=st.dictionaries(st.sampled_from(sorted(FIELDS.values())), _VALUES, max_size=12),
    keys=st.booleans(),
)
def test_any_field_map_decodes_to_a_storable_beacon_or_names_its_fault(
    fields: dict[str, Any], keys: bool
) -> None:
    try:
        beacon = decode_beacon({**(KEYS if keys else {}), **fields})
    except BeaconError as exc:
        assert exc.field == "" or exc.field in FIELDS.values()
        return
    table = to_arrow([beacon], Received(1_000_000, None, None))
    assert table.schema == ARROW_SCHEMA and table.num_rows == 1
