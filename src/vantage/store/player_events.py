"""The player-beacon append target: a beacon is stored once per (partner, session, event index).

The player numbers its sends within a session (``eventIndex``), and a repeated beacon repeats
the number. Stored beacons are compared within a day either side of the incoming ones' receive
time, so a copy that arrives more than a day after the first is stored again. Application
events, which carry no index, are never duplicates.
"""

from __future__ import annotations

from vantage.store.appends import DuplicateRule, Target

TABLE = "player_events"
SLACK_US = 86_400 * 1_000_000

TARGET = Target(
    TABLE,
    DuplicateRule(("partner_id", "session_id", "event_index"), "received_at", SLACK_US),
)
