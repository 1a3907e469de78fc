"""The player-beacon append target: a resent beacon is stored once.

The player numbers its sends within a session (``eventIndex``), but it starts again from 1
when it resets its analytics session (after 30 s without a view, or for the next entry of a
playlist) under the same ``sessionId``. So the number alone does not name a beacon: a copy is
one with the same partner, session, entry, index, event type and playhead position. Stored
beacons are compared within a day either side of the incoming ones' receive time, so a copy
that arrives more than a day after the first is stored again. Beacons without an index or a
position (application events) are never duplicates.
"""

from __future__ import annotations

from vantage.store.appends import DuplicateRule, Target

TABLE = "player_events"
SLACK_US = 86_400 * 1_000_000

TARGET = Target(
    TABLE,
    DuplicateRule(
        ("partner_id", "session_id", "entry_id", "event_index", "event_type_id", "position"),
        "received_at",
        SLACK_US,
    ),
)
