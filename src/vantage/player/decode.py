"""One beacon from the request's merged parameters (query string, then JSON body), validated.

The GET form sends every value as text, the POST form sends JSON numbers (and, from today's
web player, some numbers as text): text is read as the declared number, and a number where
text is declared as its text. An empty value is not sent, in either form. ``loadedPlugins``
may come as a list or as comma-separated text. Parameters that are not beacon fields
(``service``, ``format``, ``apiVersion``, the player's ``ks`` …) are ignored. Anything wrong
(a value that is not of its type, out of its range, not finite, or text that is not Unicode)
raises :class:`BeaconError` naming the field: a beacon that decodes is always storable.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

import msgspec

from vantage.player.vocabulary import BY_ID, FIELDS, Beacon
from vantage.storable import FLOAT_MAX
from vantage.typemap import column_type, struct_fields

_WIRE_TO_ATTR = {wire: attr for attr, wire in FIELDS.items()}
_TEXT = {f.encode_name for f in struct_fields(Beacon) if column_type(f.type)[1] == "VARCHAR"}
_LISTS = {f.encode_name for f in struct_fields(Beacon) if column_type(f.type)[1].endswith("[]")}
_AT = re.compile(r" - at `\$\.([A-Za-z0-9_]+)")
_NAMED = re.compile(r"field `([A-Za-z0-9_]+)`")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://|//")


class BeaconError(Exception):
    """The beacon is refused: ``field`` (its wire name) is ``missing`` or has a bad value."""

    def __init__(self, field: str, message: str, *, missing: bool = False) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.missing = missing


def decode_beacon(params: Mapping[str, Any]) -> Beacon:
    """A beacon as a player sends it: ``eventIndex`` required but on application events, a
    base64 referrer decoded."""
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
    """The referrer's text. Today's players send the page URL itself, kept as sent; older ones
    sent base64 of it, decoded when it decodes to a URL (so a plain value that happens to be
    valid base64 is not mangled)."""
    if not sent.isascii():  # a URL with raw non-ASCII characters: never base64
        return sent
    try:  # a "+" of the GET form may arrive as a space
        decoded = base64.b64decode(sent.replace(" ", "+"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return sent
    return decoded if _URL.match(decoded) else sent


def _lenient(name: str, value: Any) -> Any:
    if isinstance(value, str):
        if not value:  # an empty value, of text or of a number: not sent
            return None
        _check_unicode(name, value)
    if name in _TEXT and isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:  # an integer of thousands of digits: no text field holds it
            raise BeaconError(name, "the number is too long") from None
    if name in _LISTS:
        items = [p for p in value.split(",") if p] if isinstance(value, str) else value
        for item in items if isinstance(items, list) else ():
            if isinstance(item, str):
                _check_unicode(name, item)
        return items
    return value


def _check_unicode(name: str, text: str) -> None:
    """Refuse text with lone surrogates (a JSON body's ``"\\udce9"``): no column stores it."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise BeaconError(name, "the text is not valid Unicode") from None


def _explained(message: str) -> BeaconError:
    at = _AT.search(message)
    if at:
        problem = message[: at.start()]
        if str(FLOAT_MAX) in problem or problem == "Number out of range":
            problem = "not a finite number"
        return BeaconError(at.group(1), problem)
    named = _NAMED.search(message)
    if named and "missing required field" in message:
        return BeaconError(named.group(1), "missing", missing=True)
    return BeaconError(named.group(1) if named else "", message)
