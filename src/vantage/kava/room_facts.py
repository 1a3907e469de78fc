"""Room events as facts beside the player's, for the reports that combine both (Kaltura's
"meeting" and "cnc" data sources: event platform 600xx, webcast 40009's registrations).

They are aggregated from ``room_events`` when a report asks, with the same keys as the player
facts where the meaning is the same (partner, hour, entry, user, virtual event) and their own
measures; the other player keys are empty. Their ``playback_type`` is empty: a room is neither
VOD nor a live stream, and reports that combine sources filter playback types only on player
rows.
"""

from __future__ import annotations

from vantage.room_sql import MEETING_ENGAGED, QNA_THREAD

COLUMNS = frozenset(
    {"partner_id", "bucket", "entry_id", "user_id", "virtual_event_id", "playback_type"}
)
"""The keys of room facts (filters on other player keys do not apply to them)."""

MEASURES: dict[str, str] = {
    "n_meeting_view": "count(*) FILTER (event_type = 'viewPeriod')",
    "meeting_view_time": "sum(view_time) FILTER (event_type = 'viewPeriod')",
    "meeting_engaged_time": (
        f"sum(view_time) FILTER (event_type = 'viewPeriod' AND {MEETING_ENGAGED})"
    ),
    "n_meeting_view_engaged": f"count(*) FILTER (event_type = 'viewPeriod' AND {MEETING_ENGAGED})",
    "n_joinSession": "count(*) FILTER (event_type = 'joinSession')",
    "n_raiseHand": "count(*) FILTER (event_type = 'raiseHand')",
    "n_reactionClicked": "count(*) FILTER (event_type = 'reactionClicked')",
    "n_groupMessageSent": "count(*) FILTER (event_type = 'groupMessageSent')",
    "n_pollAnswered": "count(*) FILTER (event_type = 'pollAnswered')",
    "n_qna_thread": f"count(*) FILTER ({QNA_THREAD})",
    "n_downloadAttachmentClicked": "count(*) FILTER (event_type = 'downloadAttachmentClicked')",
    "n_addToCalendarClicked": "count(*) FILTER (event_type = 'addToCalendarClicked')",
    "n_registered": "count(*) FILTER (event_type = 'registered')",
}


def aggregate_sql(where: str, bucket: str) -> str:
    """Room facts of the room events matching ``where`` (over ``room_events`` columns), per
    time ``bucket`` (an expression of ``time``)."""
    measures = ",\n       ".join(f"{sql} AS {name}" for name, sql in MEASURES.items())
    return f"""SELECT partner_id, {bucket} AS bucket, entry_id, user_id,
       virtual_event_id, NULL::VARCHAR AS playback_type, 'rooms' AS fact_source,
       {measures}
FROM room_events
WHERE {where}
GROUP BY ALL"""
