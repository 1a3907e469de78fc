"""One beacon from the request's merged parameters (query string, then JSON body), validated.

The GET form sends every value as text, the POST form sends JSON numbers: text is read as the
declared number (empty text as not sent), and a number where text is declared as its text.
``loadedPlugins`` may come as a list or as comma-separated text. Parameters that are not beacon
fields (``service``, ``format``, ``apiVersion``, the player's ``ks`` …) are ignored. Anything
wrong raises :class:`BeaconError` naming the field.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

import msgspec

from vantage.player.vocabulary import BY_ID, FIELDS, Beacon
from vantage.typemap import column_type, struct_fields

_WIRE_TO_ATTR = {wire: attr for attr, wire in FIELDS.items()}
_TEXT = {f.encode_name for f in struct_fields(Beacon) if column_type(f.type)[1] == "VARCHAR"}
_LISTS = {f.encode_name for f in struct_fields(Beacon) if column_type(f.type)[1].endswith("[]")}
_AT = re.compile(r" - at `\$\.([A-Za-z0-9_]+)")
_NAMED = re.compile(r"field `([A-Za-z0-9_]+)`")


class BeaconError(Exception):
    """The beacon is refused: ``field`` (its wire name) is ``missing`` or has a bad value."""

    def __init__(self, field: str, message: str, *, missing: bool = False) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.missing = missing


def decode_beacon(params: Mapping[str, Any]) -> Beacon:
    """A beacon as a player sends it: ``eventIndex`` required but on application events, the
    referrer base64-decoded."""
    beacon = beacon_from(params)
    kind = BY_ID.get(beacon.event_type_id)
    if kind is None:
        raise BeaconError("eventType", f"unknown event type {beacon.event_type_id}")
    if kind.indexed and beacon.event_index is None:
        raise BeaconError("eventIndex", "required for this event type", missing=True)
    if beacon.referrer is not None:
        beacon = msgspec.structs.replace(beacon, referrer=decoded_referrer(beacon.referrer))
    return beacon


def beacon_from(fields: Mapping[str, Any]) -> Beacon:
    """The declared fields among ``fields`` (wire names), checked against their types."""
    known = {k: _lenient(k, v) for k, v in fields.items() if k in _WIRE_TO_ATTR}
    try:
        return msgspec.convert(known, Beacon, strict=False)
    except msgspec.ValidationError as exc:
        raise _explained(str(exc)) from None


def decoded_referrer(sent: str) -> str:
    """The referrer's text; kept as sent when it is not base64 of UTF-8 text (some players
    send the URL itself)."""
    try:  # a "+" of the GET form may arrive as a space
        return base64.b64decode(sent.replace(" ", "+"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return sent


def _lenient(name: str, value: Any) -> Any:
    if value == "" and name not in _TEXT:  # an empty GET value of a number: not sent
        return None
    if name in _TEXT and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if name in _LISTS and isinstance(value, str):
        return [p for p in value.split(",") if p]
    return value


def _explained(message: str) -> BeaconError:
    at = _AT.search(message)
    if at:
        return BeaconError(at.group(1), message[: at.start()])
    named = _NAMED.search(message)
    if named and "missing required field" in message:
        return BeaconError(named.group(1), "missing", missing=True)
    return BeaconError(named.group(1) if named else "", message)
