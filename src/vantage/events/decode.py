"""Turn a request body into validated room events, or into a list of what is wrong with it.

A batch is a JSON array of events or NDJSON (one event per line), in UTF-8. Validation is
all-or-nothing: one bad event rejects the batch, and the answer names every bad event (up to
``MAX_ERRORS``) by its position, its ``eventId`` when it has one, and the field at fault. A body
that is not UTF-8 or nests values deeper than a JSON decoder follows is refused whole.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from vantage.events.vocabulary import AnyEvent, RoomEvent
from vantage.timeconv import EPOCH, to_micros

MAX_ERRORS = 100
_PATH = re.compile(r" - at `\$(?:\[\d+\])?\.?([A-Za-z0-9_.\[\]]*)`$")
_NAMED = re.compile(r"field `([A-Za-z0-9_]+)`")

_batch_decoder = msgspec.json.Decoder(list[AnyEvent])
_event_decoder = msgspec.json.Decoder(AnyEvent)
_raw_list_decoder = msgspec.json.Decoder(list[msgspec.Raw])
_lenient_decoder = msgspec.json.Decoder(dict[str, Any])


@dataclass(frozen=True)
class EventError:
    index: int
    event_id: str | None
    field: str | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "eventId": self.event_id,
            "field": self.field,
            "message": self.message,
        }


class BatchError(Exception):
    """The batch is rejected; ``errors`` says why, event by event where it can."""

    def __init__(self, message: str, errors: list[EventError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


@dataclass(frozen=True)
class TimeWindow:
    """Event times the store accepts, as unix microseconds."""

    earliest_us: int
    latest_us: int

    @classmethod
    def around(cls, now: dt.datetime, max_age_days: int, max_skew_seconds: int) -> TimeWindow:
        now_us = to_micros(now)
        return cls(now_us - max_age_days * 86_400_000_000, now_us + max_skew_seconds * 1_000_000)


@dataclass(frozen=True)
class DecodedBatch:
    events: list[RoomEvent]
    times_us: list[int]  # event time as unix microseconds, parallel to ``events``


def decode_batch(body: bytes, *, ndjson: bool, window: TimeWindow, max_events: int) -> DecodedBatch:
    """Decode and validate a whole batch; raise ``BatchError`` naming every bad event."""
    if not body.strip():
        raise BatchError("the body is empty: send a JSON array of events or NDJSON")
    try:  # msgspec checks the UTF-8 of strings only, and raises its own error for it
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BatchError(f"the body is not UTF-8 text: {exc.reason} at byte {exc.start}") from None
    try:
        return _decoded(body, ndjson, window, max_events)
    except RecursionError:  # msgspec follows nesting only as deep as Python's recursion limit
        raise BatchError("the body nests JSON values too deeply") from None


def _decoded(body: bytes, ndjson: bool, window: TimeWindow, max_events: int) -> DecodedBatch:
    try:
        events: list[RoomEvent] = (
            _event_decoder.decode_lines(body) if ndjson else _batch_decoder.decode(body)
        )
    except msgspec.DecodeError:
        raise BatchError("the batch has invalid events", _explain(body, ndjson, window)) from None
    if len(events) > max_events:
        raise BatchError(f"the batch has {len(events)} events; at most {max_events} are accepted")
    if not events:
        raise BatchError("the batch has no events")
    times: list[int] = []
    errors: list[EventError] = []
    for i, event in enumerate(events):
        t = _checked_time(i, event, window, errors)
        times.append(t)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise BatchError("the batch has invalid events", errors)
    return DecodedBatch(events, times)


def _checked_time(i: int, event: RoomEvent, window: TimeWindow, errors: list[EventError]) -> int:
    """The event's time in unix microseconds; a problem with it is added to ``errors``."""
    try:
        t = to_micros(event.time)
    except (ValueError, OverflowError) as exc:
        errors.append(EventError(i, event.event_id, "time", str(exc)))
        return 0
    if not window.earliest_us <= t <= window.latest_us:
        errors.append(EventError(i, event.event_id, "time", _out_of_window(t, window)))
    return t


def _out_of_window(t_us: int, window: TimeWindow) -> str:
    def iso(us: int) -> str:
        return (EPOCH + dt.timedelta(microseconds=us)).isoformat()

    try:
        when = iso(t_us)
    except OverflowError:
        when = f"{t_us / 1e6:.0f} unix seconds"
    return (
        f"time {when} is outside the accepted window "
        f"{iso(window.earliest_us)} .. {iso(window.latest_us)}"
    )


def _explain(body: bytes, ndjson: bool, window: TimeWindow) -> list[EventError]:
    """Decode event by event to name each bad one (only run once a batch has failed)."""
    items: Sequence[bytes | msgspec.Raw]
    if ndjson:
        items = [line for line in body.splitlines() if line.strip()]
    else:
        try:
            items = _raw_list_decoder.decode(body)
        except msgspec.DecodeError as exc:
            return [EventError(-1, None, None, f"the body is not a JSON array of objects: {exc}")]
    errors: list[EventError] = []
    for i, raw in enumerate(items):
        try:
            event = _event_decoder.decode(raw)
        except msgspec.DecodeError as exc:
            errors.append(EventError(i, _event_id_of(raw), *_field_and_message(str(exc))))
        else:
            _checked_time(i, event, window, errors)
        if len(errors) >= MAX_ERRORS:
            break
    return errors


def _event_id_of(raw: bytes | msgspec.Raw) -> str | None:
    try:
        value = _lenient_decoder.decode(raw).get("eventId")
    except msgspec.DecodeError:
        return None
    return value if isinstance(value, str) else None


def _field_and_message(message: str) -> tuple[str | None, str]:
    at = _PATH.search(message)
    if at:
        return (at.group(1) or None), message[: at.start()]
    named = _NAMED.search(message)
    return (named.group(1) if named else None), message
