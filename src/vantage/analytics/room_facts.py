"""Room events as facts beside the player's, for the reports that combine both (Kaltura's
"meeting" and "cnc" data sources: event platform 600xx, webcast 40009's registrations).

They are aggregated from ``room_events`` when a report asks, with the same keys as the player
facts where the meaning is the same (partner, hour, entry, user, virtual event) and their own
measures; the other player keys are empty. Presence in the hours a report's range holds whole
is read from the hourly presence facts (vantage.store.room_presence) instead of the periods.
Their ``playback_type`` is empty: a room is neither VOD nor a live stream, and reports that
combine sources filter playback types only on player rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from vantage.analytics.period import time_at
from vantage.analytics.room_measures import (
    ENGAGED_SECONDS,
    MEETING_ENGAGED,
    PRESENT,
    PRESENT_SECONDS,
    QNA_THREAD,
    counted,
    is_event,
)
from vantage.sql.expr import Agg, Expr, Lit, Not, Null, Type, agg, all_of, col, count, fn
from vantage.sql.plan import Select, Table
from vantage.store import room_presence

PRESENCE = ("n_meeting_view", "meeting_view_time", "meeting_engaged_time", "n_meeting_view_engaged")
"""The measures of presence periods, which the presence facts hold too."""

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

CLIENT = ("device", "country")
"""What a person's ``joinSession`` says of their client, under the player facts' names. Room
facts carry them only for reports grouped by one (:func:`clients`): each person's facts of a
room then carry those of their latest join of that room up to the end of the report's range
(as a person's role is read: a join may precede the range)."""

PRESENCE_TYPES = {
    **{k: t for k, t in COLUMN_TYPES.items() if k not in MEASURES},
    **{m: COLUMN_TYPES[m] for m in PRESENCE},
}
"""The columns of ``presence`` (the other measures are empty there)."""


def aggregate(where: Expr, seconds: int, whole_hours: tuple[int, int] | None = None) -> Select:
    """Room facts of the room events matching ``where`` (over ``room_events`` columns), per
    ``seconds`` of time; with ``whole_hours`` (unix seconds, from and to), presence periods in
    those hours are left to ``presence`` (``seconds`` is then an hour)."""
    if whole_hours is not None:
        inside = col("time").ge(time_at(whole_hours[0])) & col("time").lt(time_at(whole_hours[1]))
        where = where & Not(PRESENT & inside)
    keys = _keys(fn("bucket_time", seconds, col("time")))
    return _select(keys, MEASURES.items(), Table("room_events"), where)


def presence(partners: list[int], whole_hours: tuple[int, int]) -> Select:
    """Room facts of the presence in ``whole_hours`` (unix seconds, from and to), per hour, from
    the presence facts: the same measures the periods give, the others empty."""
    engaged = col("engaged")
    measures: dict[str, Expr] = {  # PRESENCE
        "n_meeting_view": agg("sum", col("periods")),
        "meeting_view_time": agg("sum", col("view_time")),
        "meeting_engaged_time": agg("sum", col("view_time"), where=engaged),
        "n_meeting_view_engaged": fn("coalesce", agg("sum", col("periods"), where=engaged), 0),
    }
    where = col("partner_id").isin(partners) & col("bucket").ge(time_at(whole_hours[0]))
    where = where & col("bucket").lt(time_at(whole_hours[1]))
    return _select(_keys(col("bucket")), measures.items(), Table(room_presence.TABLE), where)


def clients(partners: list[int], end: int, rooms: Expr | None = None) -> Select:
    """Per partner, room and person, the device and the country of their latest
    ``joinSession`` before ``end`` (unix seconds), however early, that names one: a later join
    naming none keeps the earlier one's; of two at the same moment, the greater name. So a
    person who joined from two devices is the later one's. ``rooms``, a condition on the
    events' ``entry_id``, spares reading the joins of other rooms."""
    keys = [(k, col(k)) for k in ("partner_id", "entry_id", "user_id")]
    latest = [(k, agg("arg_max", col(k), col("time"))) for k in CLIENT]
    where = col("partner_id").isin(partners) & col("time").lt(time_at(end))
    return Select(
        (*keys, *latest),
        Table("room_events"),
        where=all_of([where, is_event("joinSession"), *([rooms] if rooms is not None else [])]),
        group_by=tuple(x for _, x in keys),
    )


def _keys(bucket: Expr) -> list[tuple[str, Expr]]:
    keys: list[tuple[str, Expr]] = [(k, col(k)) for k in ("partner_id", "entry_id", "user_id")]
    return [*keys, ("virtual_event_id", col("virtual_event_id")), ("bucket", bucket)]


def _select(
    keys: list[tuple[str, Expr]], measures: Iterable[tuple[str, Expr]], source: Table, where: Expr
) -> Select:
    columns = [*keys, ("playback_type", Null(Type.TEXT)), ("fact_source", Lit("rooms")), *measures]
    return Select(tuple(columns), source, where=where, group_by=tuple(x for _, x in keys))
