"""Beacons decoded from merged parameters: both wire forms, and errors that name the field."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from vantage.player.arrow import Received, to_arrow
from vantage.player.columns import ARROW_SCHEMA
from vantage.player.decode import BeaconError, decode_beacon
from vantage.player.vocabulary import BY_ID, EVENTS

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
    assert (beacon.sound_mode, beacon.caption, beacon.ui_conf_id) == (2, "", None)
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
