"""stats.collect: the legacy (pre-KAVA) player statistics event, stored as a player beacon.

Kaltura only appends these to a log file; Vantage maps the event types that have a KAVA twin
into ``player_events`` (docs/player-analytics.md lists the mapping) and answers ``true``
for the others without storing them. No KS is needed; the event's partner must exist.
"""

from __future__ import annotations

from typing import Any

from vantage.kaltura.actions import Action, KsPolicy, Param, Registry
from vantage.kaltura.context import CallContext
from vantage.kaltura.schema import (
    BOOL,
    FLOAT,
    INT,
    KALTURA_OBJECT,
    STRING,
    ApiObject,
    Field,
    ObjectClass,
)
from vantage.kaltura.services.analytics import refused, store_beacon
from vantage.player.decode import BeaconError, beacon_from

STATS_EVENT = ObjectClass(
    "KalturaStatsEvent",
    (
        Field("clientVer", STRING),
        Field("eventType", INT),  # KalturaStatsEventType; its list is longer than we map
        Field("eventTimestamp", FLOAT),
        Field("sessionId", STRING),
        Field("partnerId", INT),
        Field("entryId", STRING),
        Field("uniqueViewer", STRING),
        Field("widgetId", STRING),
        Field("uiconfId", INT),
        Field("userId", STRING),
        Field("currentPoint", INT),
        Field("duration", INT),
        Field("userIp", STRING),
        Field("processDuration", INT),
        Field("controlId", STRING),
        Field("seek", BOOL),
        Field("newPoint", INT),
        Field("referrer", STRING),
        Field("isFirstInSession", BOOL),
        Field("applicationId", STRING),
        Field("contextId", INT),
        Field("featureType", INT),
    ),
    KALTURA_OBJECT,
)

KAVA_OF_STATS = {  # KalturaStatsEventType → KAVA event id
    1: 1,  # WIDGET_LOADED → playerImpression
    3: 3,  # PLAY → play
    4: 11,  # PLAY_REACHED_25 → playThrough25
    5: 12,
    6: 13,
    7: 14,
    9: 21,  # OPEN_VIRAL → shareClicked
    10: 23,  # OPEN_DOWNLOAD → downloadClicked
    11: 24,  # OPEN_REPORT → reportClicked
    12: 45,  # BUFFER_START → bufferStart
    13: 46,  # BUFFER_END → bufferEnd
    14: 31,  # OPEN_FULL_SCREEN → enterFullscreen
    15: 32,  # CLOSE_FULL_SCREEN → exitFullscreen
    16: 34,  # REPLAY → replay
    17: 35,  # SEEK → seek
}
STATS_FIELDS = {  # KalturaStatsEvent property → beacon field (points are ms, positions s)
    "partnerId": "partnerId",
    "entryId": "entryId",
    "sessionId": "sessionId",
    "clientVer": "clientVer",
    "userId": "userId",
    "uiconfId": "uiConfId",
    "uniqueViewer": "persistentSessionId",
    "referrer": "referrer",
}
_STATS_NAME = {b: s for s, b in STATS_FIELDS.items()} | {
    "position": "currentPoint",
    "targetPosition": "newPoint",
}
_PREFIX = "event:"


def register(registry: Registry) -> None:
    registry.add(
        Action("stats", "collect", (Param("event", STATS_EVENT),), collect, ks=KsPolicy.IGNORED)
    )


async def collect(ctx: CallContext, event: ApiObject) -> bool:
    kava = KAVA_OF_STATS.get(event.get("eventType"))
    if kava is None:
        return True
    fields: dict[str, Any] = {b: event.get(s) for s, b in STATS_FIELDS.items()}
    fields["eventType"] = kava
    try:
        fields["position"] = _seconds(event, "currentPoint")
        if kava == 35:
            fields["targetPosition"] = _seconds(event, "newPoint")
        beacon = beacon_from({k: v for k, v in fields.items() if v is not None})
    except BeaconError as exc:  # named as the event's property the client sent
        named = BeaconError(_STATS_NAME.get(exc.field, exc.field), exc.message, missing=exc.missing)
        raise refused(named, _PREFIX) from None
    await store_beacon(ctx, beacon, _PREFIX)
    return True


def _seconds(event: ApiObject, point: str) -> float | None:
    """A point (milliseconds) of the event as a playhead position (seconds)."""
    ms = event.get(point)
    try:
        return None if ms is None else ms / 1000
    except OverflowError:  # an integer beyond any float
        raise BeaconError(point, "out of range") from None
