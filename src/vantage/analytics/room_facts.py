"""Room events as facts beside the player's, for the reports that combine both (Kaltura's
"meeting" and "cnc" data sources: event platform 600xx, webcast 40009's registrations).

They are aggregated from ``room_events`` when a report asks, with the same keys as the player
facts where the meaning is the same (partner, hour, entry, user, virtual event) and their own
measures; the other player keys are empty. Their ``playback_type`` is empty: a room is neither
VOD nor a live stream, and reports that combine sources filter playback types only on player
rows.
"""

from __future__ import annotations

from vantage.analytics.room_measures import (
    ENGAGED_SECONDS,
    MEETING_ENGAGED,
    PRESENT,
    PRESENT_SECONDS,
    QNA_THREAD,
    counted,
)
from vantage.sql.expr import Agg, Expr, Lit, Null, Type, col, count, fn
from vantage.sql.plan import Select, Table

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


COLUMN_TYPES: dict[str, Type] = {
    "partner_id": Type.INT,
    "bucket": Type.TIME,
    "entry_id": Type.TEXT,
    "user_id": Type.TEXT,
    "virtual_event_id": Type.INT,
    "playback_type": Type.TEXT,
    "fact_source": Type.TEXT,
    **{name: Type.FLOAT if "time" in name else Type.INT for name in MEASURES},
}
"""The columns of room facts and their types."""


def aggregate(where: Expr, seconds: int) -> Select:
    """Room facts of the room events matching ``where`` (over ``room_events`` columns ``r``),
    per ``seconds`` of time."""
    bucket = fn("bucket_time", seconds, col("time"))
    keys: list[tuple[str, Expr]] = [(k, col(k)) for k in ("partner_id", "entry_id", "user_id")]
    keys += [("virtual_event_id", col("virtual_event_id")), ("bucket", bucket)]
    columns = [
        *keys,
        ("playback_type", Null(Type.TEXT)),
        ("fact_source", Lit("rooms")),
        *MEASURES.items(),
    ]
    return Select(
        tuple(columns), Table("room_events"), where=where, group_by=tuple(x for _, x in keys)
    )
