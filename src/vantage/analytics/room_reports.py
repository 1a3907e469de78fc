"""The string-parameter (custom) reports, each declared once: what a row is, its columns in
Kaltura's order, the filters it takes and its order. docs/reports.md explains each one.

A column is the name of a grain key, a metric (vantage.analytics.room_metrics.METRICS) or an
attribute (ATTRIBUTES); a tuple of names means the first of them that is not empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from vantage.sql.expr import Col, Expr


class Grain(Enum):
    """What one row stands for, as the keys that identify it."""

    SESSION = ("session_id",)  # every session overlapping the dates, with or without events
    SESSION_USER = ("entry_id", "session_id", "user_id")
    USER = ("user_id",)
    ENTRY_USER = ("entry_id", "user_id")
    ENTRY_USER_ATTACHMENT = ("entry_id", "user_id", "attachment_id")

    @property
    def keys(self) -> tuple[str, ...]:
        return self.value


class Filter(Enum):
    """The filters reports understand. Id lists are comma-separated in the params string."""

    ENTRY_IDS = "entry_ids"  # the entry itself or its main room
    PARENT_ENTRY_IDS = "parent_entry_ids"  # breakout rooms of these main rooms
    USER_IDS = "user_ids"
    SESSION_IDS = "session_ids"
    VIRTUAL_EVENT_IDS = "virtual_event_ids"
    CATEGORY_IDS = "cat_ids"  # entries in these categories (breakouts: their main room's)
    APP_GUIDS = "app_guids"  # registrations through these registration apps (activity reports)


Ref = str | tuple[str, ...]


@dataclass(frozen=True)
class Column:
    header: str
    ref: Ref


@dataclass(frozen=True)
class RoomReport:
    id: int
    name: str  # for `vantage export` and the docs
    title: str
    grain: Grain
    columns: tuple[Column, ...]
    filters: frozenset[Filter]
    order: tuple[str, ...]  # headers, ascending
    required_params: tuple[str, ...] = ()  # beyond the date range
    implicit: tuple[Expr, ...] = ()  # conditions every row meets (see the compiler's aliases)
    needs_virtual_event_privilege: bool = False
    player_views: bool = False  # rows add the entry's player views (every metric has a share)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def _cols(*pairs: tuple[str, Ref]) -> tuple[Column, ...]:
    return tuple(Column(header, ref) for header, ref in pairs)


_ROOM = frozenset({Filter.ENTRY_IDS, Filter.VIRTUAL_EVENT_IDS})

REPORTS: dict[int, RoomReport] = {
    r.id: r
    for r in (
        RoomReport(
            6000,
            "room-data",
            "Room data",
            Grain.SESSION,
            _cols(
                ("entry_id", "entry_id"),
                ("entry_name", "entry_name"),
                ("parent_entry_id", "parent_entry_id"),
                ("cue_point_id", "session_id"),
                ("session_start_time", "session_start_time"),
                ("session_end_time", "session_end_time"),
                ("session_host_user_id", "session_host_user_id"),
                ("meeting_view_period_unique_users", "meeting_view_period_unique_users"),
                ("meeting_engaged_play_time_ratio", "meeting_engaged_play_time_ratio"),
            ),
            _ROOM,
            ("session_start_time", "entry_id", "cue_point_id"),
        ),
        RoomReport(
            6001,
            "attendees",
            "Attendees data",
            Grain.SESSION_USER,
            _cols(
                ("entry_id", "entry_id"),
                ("cue_point_id", "session_id"),
                ("user_id", "user_id"),
                ("user_name", "user_name"),
                ("user_email", "email"),
                ("user_type", ("session_role", "user_role")),
                ("meeting_view_time", "meeting_view_time"),
                ("meeting_engaged_play_time_ratio", "meeting_engaged_play_time_ratio"),
            ),
            _ROOM | {Filter.USER_IDS, Filter.SESSION_IDS},
            ("entry_id", "cue_point_id", "user_id"),
        ),
        RoomReport(
            6002,
            "breakout-sessions",
            "Breakout room sessions",
            Grain.SESSION,
            _cols(
                ("parent_entry_id", "parent_entry_id"),
                ("parent_entry_name", "parent_entry_name"),
                ("breakout_entry_id", "entry_id"),
                ("breakout_entry_name", "entry_name"),
                ("cue_point_id", "session_id"),
                ("session_initiator", "session_initiator"),
                ("session_start_time", "session_start_time"),
                ("session_end_time", "session_end_time"),
                ("duration", "session_duration"),
                ("participant_count", "meeting_view_period_unique_users"),
                ("engagement_rate", "meeting_engaged_play_time_ratio"),
            ),
            frozenset({Filter.PARENT_ENTRY_IDS, Filter.VIRTUAL_EVENT_IDS}),
            ("session_start_time", "parent_entry_id", "breakout_entry_id", "cue_point_id"),
            implicit=(Col("parent_entry_id", "e").not_null(),),
        ),
        RoomReport(
            4021,
            "user-reactions",
            "User reactions",
            Grain.USER,
            _cols(
                ("email", "email_or_user_id"),
                ("combined_live_engaged_users_play_time_ratio", "meeting_engaged_play_time_ratio"),
                ("download_attachment", "download_attachment"),
                ("add_to_calendar", "add_to_calendar"),
                ("raise_hand", "raise_hand"),
                ("mic_on", "mic_on"),
                ("cam_on", "cam_on"),
                ("clap_clicked_count", "clap_clicked_count"),
                ("heart_clicked_count", "heart_clicked_count"),
                ("think_clicked_count", "think_clicked_count"),
                ("wow_clicked_count", "wow_clicked_count"),
                ("smile_clicked_count", "smile_clicked_count"),
                ("total_reactions_activity", "total_reactions_activity"),
                ("answered_polls", "answered_polls"),
                ("messages_sent_group", "messages_sent_group"),
                ("qna_threads", "qna_threads"),
            ),
            _ROOM | {Filter.USER_IDS},
            ("email",),
            needs_virtual_event_privilege=True,
        ),
        RoomReport(
            3006,
            "added-to-calendar",
            "Added to calendar",
            Grain.ENTRY_USER,
            _cols(
                ("entry_id", "entry_id"),
                ("user_id", "user_id"),
                ("email", "email"),
                ("count_add_to_calendar_clicked", "add_to_calendar"),
                ("first_name", "first_name"),
                ("last_name", "last_name"),
                ("company", "company"),
            ),
            _ROOM | {Filter.USER_IDS},
            ("entry_id", "user_id"),
        ),
        RoomReport(
            3007,
            "session-viewership",
            "Session viewership",
            Grain.ENTRY_USER,
            _cols(
                ("user_id", "user_id"),
                ("email", "email"),
                ("entry_id", "entry_id"),
                ("entry_name", "entry_name"),
                ("media_type", "media_type"),
                ("view_time", "meeting_view_time"),
                ("play", "count_join_session"),
                ("first_name", "first_name"),
                ("last_name", "last_name"),
                ("company", "company"),
            ),
            _ROOM | {Filter.USER_IDS, Filter.CATEGORY_IDS},
            ("entry_id", "user_id"),
            player_views=True,
        ),
        RoomReport(
            3008,
            "attachment-clicked",
            "Attachment clicked",
            Grain.ENTRY_USER_ATTACHMENT,
            _cols(
                ("user_id", "user_id"),
                ("email", "email"),
                ("entry_id", "entry_id"),
                ("attachment_id", "attachment_id"),
                ("attachment_title", "attachment_title"),
                ("download_attachment_clicked", "download_attachment"),
                ("first_name", "first_name"),
                ("last_name", "last_name"),
                ("company", "company"),
            ),
            _ROOM | {Filter.USER_IDS},
            ("entry_id", "user_id", "attachment_id"),
        ),
        RoomReport(
            3009,
            "session-attendance",
            "Session attendance",
            Grain.SESSION_USER,
            _cols(
                ("user", "user_id"),
                ("email", "email"),
                ("entry_id", "entry_id"),
                ("session_id", "session_id"),
                ("entry_name", "entry_name"),
                ("view_time", "meeting_view_time"),
            ),
            _ROOM | {Filter.USER_IDS, Filter.SESSION_IDS},
            ("entry_id", "session_id", "user"),
        ),
        RoomReport(
            3010,
            "certificate-of-completion",
            "Certificate of completion",
            Grain.SESSION_USER,
            _cols(
                ("Date", "session_date"),
                ("Entry Id", "entry_id"),
                ("Session Id", "session_id"),
                ("Entry Name", "entry_name"),
                ("VOD Duration (min)", "entry_duration_minutes"),
                ("View Time (min)", "meeting_view_time"),
            ),
            _ROOM | {Filter.USER_IDS, Filter.SESSION_IDS},
            ("Date", "Entry Id", "Session Id"),
            required_params=("user_id",),
        ),
    )
}

BY_NAME: dict[str, RoomReport] = {r.name: r for r in REPORTS.values()}
