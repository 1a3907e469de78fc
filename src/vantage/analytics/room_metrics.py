"""Every room metric and attribute, defined once as an expression over the compiler's named
relations.

Metrics aggregate the room events of one report row (relation ``ev``, already limited to the
caller's partners, the date range and the report's filters). Attributes describe a row from
the entities joined to it: ``s`` its session, ``e`` its entry, ``p`` the entry's parent (main
room), ``u`` its user, ``h`` the session's host.

The engagement rule is Kaltura's for meetings: a 10-second presence period is engaged unless the
tab was unfocused, the room not full screen, the camera off and the person not on stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from vantage.analytics.room_measures import (
    ENGAGED_SECONDS,
    PRESENT,
    PRESENT_SECONDS,
    QNA_THREAD,
    counted,
    full_name,
    is_event,
)
from vantage.sql.expr import Col, Expr, agg, col, count, fn


@dataclass(frozen=True)
class Metric:
    name: str
    expr: Expr  # an aggregate over ``ev``
    event_types: tuple[str, ...]  # the events it reads; the compiler scans only these
    zero: bool = False  # 0, not empty, for a row without its events (counts, time present)
    player: str | None = None
    """The KAVA metric (vantage.analytics.metrics) that is this metric's share of player views, in
    reports that add them; the two are added, so both are sums."""


_REACTIONS = ("clap", "heart", "think", "wow", "smile")


def _count(name: str, event_type: str, player: str | None = None) -> Metric:
    return Metric(name, counted(event_type), (event_type,), zero=True, player=player)


def _latest(column: str, event_type: str) -> Expr:
    """The value of the person's latest event of a type."""
    return agg("arg_max", col(column), col("time"), where=is_event(event_type))


METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        # minutes present: 0 for a person who joined but was never present; a player's
        # share is its minutes of playback
        Metric(
            "meeting_view_time",
            PRESENT_SECONDS / 60.0,
            ("viewPeriod",),
            zero=True,
            player="sum_view_period",
        ),
        Metric(
            "meeting_engaged_play_time_ratio",
            fn("coalesce", ENGAGED_SECONDS, 0) / fn("nullif", PRESENT_SECONDS, 0),
            ("viewPeriod",),
        ),
        Metric(
            "meeting_view_period_unique_users",
            agg("count_distinct", col("user_id"), where=PRESENT),
            ("viewPeriod",),
            zero=True,
        ),
        # the role of the person's latest join
        Metric("session_role", _latest("role", "joinSession"), ("joinSession",)),
        _count("count_join_session", "joinSession", player="count_plays"),
        _count("raise_hand", "raiseHand"),
        _count("mic_on", "micTurnedOn"),
        _count("cam_on", "cameraTurnedOn"),
        _count("download_attachment", "downloadAttachmentClicked"),
        _count("add_to_calendar", "addToCalendarClicked"),
        _count("messages_sent_group", "groupMessageSent"),
        *(
            Metric(
                f"{r}_clicked_count",
                count(is_event("reactionClicked") & col("reaction").eq(r)),
                ("reactionClicked",),
                zero=True,
            )
            for r in _REACTIONS
        ),
        _count("total_reactions_activity", "reactionClicked"),
        Metric(
            "answered_polls",
            agg("count_distinct", col("poll_id"), where=is_event("pollAnswered")),
            ("pollAnswered",),
            zero=True,
        ),
        Metric(
            # threads the person opened: their question is the thread's first message
            "qna_threads",
            agg("count_distinct", col("thread_id"), where=QNA_THREAD),
            ("questionAnswerMessageSent",),
            zero=True,
        ),
        Metric(
            "attachment_title",
            _latest("attachment_title", "downloadAttachmentClicked"),
            ("downloadAttachmentClicked",),
        ),
    )
}


# Attributes: expressions over the joined entities (see the module docstring for the aliases).
def _seconds(alias: str, column: str) -> Expr:
    """Unix seconds of a stored time with its fraction dropped, as the admin API and Kaltura's
    unix-second timestamps print times (never rounded up)."""
    return fn("unix_seconds", Col(column, alias))


ATTRIBUTES: dict[str, Expr] = {
    "entry_name": Col("name", "e"),
    "parent_entry_id": Col("parent_entry_id", "e"),
    "parent_entry_name": Col("name", "p"),
    "entry_duration_minutes": Col("duration", "e") / 60.0,
    "media_type": Col("media_type", "e"),
    "session_start_time": _seconds("s", "start_time"),
    "session_end_time": _seconds("s", "end_time"),
    # a day: the CSV prints a time column as its date (2025-09-15)
    "session_date": fn("trunc_time", "day", Col("start_time", "s")),
    # the difference of the printed times, so a row always adds up
    "session_duration": _seconds("s", "end_time") - _seconds("s", "start_time"),
    "session_host_user_id": Col("host_user_id", "s"),
    "session_initiator": fn("coalesce", full_name("h"), Col("host_user_id", "s")),
    "user_name": full_name("u"),
    "first_name": Col("first_name", "u"),
    "last_name": Col("last_name", "u"),
    "email": Col("email", "u"),
    "email_or_user_id": fn("coalesce", Col("email", "u"), Col("user_id", "k")),
    "company": Col("company", "u"),
    "title": Col("title", "u"),
    "industry": Col("industry", "u"),
    "country": Col("country", "u"),
    "user_role": Col("role", "u"),
}
