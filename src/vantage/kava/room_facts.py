"""Room events as facts beside the player's, for the reports that combine both (Kaltura's
"meeting" and "cnc" data sources: event platform 600xx, webcast 40009's registrations).

They are aggregated from ``room_events`` when a report asks, with the same keys as the player
facts where the meaning is the same (partner, hour, entry, user, virtual event) and their own
measures; the other player keys are empty. Their ``playback_type`` is empty: a room is neither
VOD nor a live stream, and reports that combine sources filter playback types only on player
rows.
"""

from __future__ import annotations

from vantage.room_sql import (
    ENGAGED_SECONDS,
    MEETING_ENGAGED,
    PRESENT,
    PRESENT_SECONDS,
    QNA_THREAD,
    counted,
)
from vantage.sql.duckdb import DuckDB
from vantage.sql.expr import Agg, count

COLUMNS = frozenset(
    {"partner_id", "bucket", "entry_id", "user_id", "virtual_event_id", "playback_type"}
)
"""The keys of room facts (filters on other player keys do not apply to them)."""

MEASURES: dict[str, Agg] = {
    "n_meeting_view": count(PRESENT),
    "meeting_view_time": PRESENT_SECONDS,
    "meeting_engaged_time": ENGAGED_SECONDS,
    "n_meeting_view_engaged": count(PRESENT & MEETING_ENGAGED),
    "n_qna_thread": count(QNA_THREAD),
    **{
        f"n_{t}": counted(t)
        for t in (
            "joinSession",
            "raiseHand",
            "reactionClicked",
            "groupMessageSent",
            "pollAnswered",
            "downloadAttachmentClicked",
            "addToCalendarClicked",
            "registered",
        )
    },
}


def aggregate_sql(where: str, bucket: str) -> str:
    """Room facts of the room events matching ``where`` (over ``room_events`` columns), per
    time ``bucket`` (an expression of ``time``)."""
    measures = ",\n       ".join(f"{DuckDB().expr(x)} AS {name}" for name, x in MEASURES.items())
    return f"""SELECT partner_id, {bucket} AS bucket, entry_id, user_id,
       virtual_event_id, NULL::VARCHAR AS playback_type, 'rooms' AS fact_source,
       {measures}
FROM room_events
WHERE {where}
GROUP BY ALL"""
