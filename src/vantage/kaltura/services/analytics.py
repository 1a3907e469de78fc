"""analytics.trackEvent: the player's beacon (KAVA), stored durably before it is answered.

No KS is needed (one sent is ignored); the beacon's partner must exist. The answer is always the
bare JSON object players read, ``{"time": <server unix time>, "viewEventsEnabled": true}``,
whatever ``format`` says; players echo ``time`` back as ``sessionStartTime``.
"""

from __future__ import annotations

import time

import msgspec

from vantage.kaltura import errors
from vantage.kaltura.actions import Action, KsPolicy, Registry
from vantage.kaltura.context import CallContext
from vantage.kaltura.errors import APIException
from vantage.kaltura.files import FileResult
from vantage.kaltura.params import Tree, text
from vantage.player.arrow import Received
from vantage.player.decode import BeaconError, decode_beacon
from vantage.player.vocabulary import Beacon

SERVICE, ACTION = "analytics", "trackEvent"


def register(registry: Registry) -> None:
    registry.add(Action(SERVICE, ACTION, (), track_event, ks=KsPolicy.IGNORED))


def is_called(tree: Tree) -> bool:
    """Whether the request's parameters call analytics.trackEvent (names match in any case)."""
    service, action = text(tree, "service") or "", text(tree, "action") or ""
    return service.lower() == SERVICE.lower() and action.lower() == ACTION.lower()


async def track_event(ctx: CallContext) -> FileResult:
    try:
        beacon = decode_beacon(ctx.params)
    except BeaconError as exc:
        raise refused(exc) from None
    received = await store_beacon(ctx, beacon)
    answer = msgspec.json.encode({"time": received, "viewEventsEnabled": True})
    return FileResult("application/json", [answer])


async def store_beacon(ctx: CallContext, beacon: Beacon, prefix: str = "") -> float:
    """Commit ``beacon`` (shared with concurrent ones); return when it was received (unix s)."""
    partner = ctx.directory.partner(beacon.partner_id)
    if partner is None or partner.status == "blocked":
        raise errors.INVALID_PARAMETER_VALUE(f"{prefix}partnerId")
    now = time.time()
    ip, agent = ctx.client_ip or None, ctx.user_agent or None
    place, described = ctx.enricher.place(ip), ctx.enricher.agent(agent)
    await ctx.beacons.store(beacon, Received(round(now * 1_000_000), ip, agent, place, described))
    return now


def refused(error: BeaconError, prefix: str = "") -> APIException:
    """The Kaltura error for a bad beacon, naming the field (as ``<prefix><field>``)."""
    name = prefix + error.field
    if error.missing:
        return errors.MISSING_MANDATORY_PARAMETER(name)
    return errors.INVALID_PARAMETER_VALUE(name)
