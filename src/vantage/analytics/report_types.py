"""The KAVA report types of Kaltura's report service, each declared once: what a row stands
for, its metrics for getTable, getTotal and getGraphs in Kaltura's order, its graph shape, its
default order and implicit filters (kaltura-report-service §4–§6). docs/kava-reports.md lists
them; a test checks every declaration against Kaltura's headers.

Metric names are those of vantage.analytics.metrics; a column may show a metric under another
header (Kaltura's column maps: ``unique_known_users`` of the map reports is really
``unique_viewers``), written ``"header=metric"``.

A *usage* report (Kaltura's join graphs, §3.4: 17's graphs, 60, 201 and their twins) is a
series of every day of the range, with running totals from the beginning of the store, rolled
up per month or year and for the total by each metric's rollup (vantage.analytics.metrics).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from vantage.analytics import dimensions as d
from vantage.analytics.dimensions import Dimension


class Source(Enum):
    PLAYER = "player"  # player beacons (vantage.player.facts)
    ROOMS = "rooms"  # room events: Kaltura's meeting and cnc sources (analytics.room_facts)
    LIFECYCLE = "lifecycle"  # entries added and deleted (analytics.lifecycle_facts)


PLAYER_ONLY = (Source.PLAYER,)
WITH_ROOMS = (Source.PLAYER, Source.ROOMS)
LIBRARY = (Source.LIFECYCLE,)


class GraphShape(Enum):
    BY_DATE = "by_date_id"  # one graph per metric, points by date label
    BY_NAME = "by_name"  # one graph named after the report, points by metric
    MULTI_BY_NAME = "multi_by_name"  # one graph per metric, points by the first dimension
    MULTI_BY_DATE = "multi_by_date_id"  # points by date, values "dimension:value" lists


@dataclass(frozen=True)
class ReportType:
    id: int
    name: str
    dimension: Dimension | None  # None: a date series (one row per date label)
    table: tuple[str, ...]
    total: tuple[str, ...] | None = None  # None: the table's metrics
    graphs: tuple[str, ...] | None = None  # None: getGraphs is INTERNAL_SERVERL_ERROR
    graph_shape: GraphShape = GraphShape.BY_DATE
    graph_name: str = ""  # BY_NAME: the single graph's id
    order: str | None = None  # default order metric; None: count_plays if present, else first
    drilldown: Dimension | None = None  # the dimension when objectIds are given
    object_key: str | None = None  # the key objectIds filter; None: the dimension's first key
    playback_types: tuple[str, ...] | None = None
    """None: vod unless playbackTypeIn is sent; (): every playback type."""
    friendly: Dimension | None = None  # the dimension with useFriendlyHeadersNames
    multi_account: bool = False
    events: tuple[str, ...] = ()  # rows limited to these event types (report_filter)
    sources: tuple[Source, ...] = PLAYER_ONLY
    join_roots: tuple[str, ...] = ()
    """A join of sources: the metrics whose rows make its rows (the one ordered by, or the
    first), as Kaltura runs the sub-report holding the order metric first."""
    entry_media_types: tuple[int, ...] = ()  # only entries of these media types count
    has_total: bool = True  # False: getTotal is INTERNAL_SERVERL_ERROR
    minute_timeline: bool = False  # rows are the range's minutes, zero-filled, in order
    zero_fill: bool = False  # date series list every date, even with skipEmptyDates
    usage: bool = False  # date series of days with running totals and rollups (see above)
    caller_by_default: bool = False
    """Cross-partner reports (§12.1): objectIds are partner ids of the caller and its
    children; without them, only the caller's own data."""
    base_total: tuple[str, ...] = ()  # getBaseTotal's items (cumulative metrics); (): none
    recordings: bool = False
    """``entryIdIn`` also selects the recordings of those entries: the entries whose
    ``rootEntryId`` is one of them or one of their breakout rooms (the event platform's VOD
    side)."""

    @property
    def totals(self) -> tuple[str, ...]:
        return self.total if self.total is not None else self.table

    def default_order(self) -> str:
        if self.order:
            return self.order
        names = [metric_of(c) for c in self.table]
        return "count_plays" if "count_plays" in names else names[0]


def header_of(column: str) -> str:
    return column.split("=", 1)[0]


def metric_of(column: str) -> str:
    return column.split("=", 1)[-1]


TOP_CONTENT_METRICS = (
    "count_plays",
    "sum_time_viewed",
    "avg_time_viewed",
    "count_loads",
    "load_play_ratio",
    "avg_view_drop_off",
    "unique_known_users",
    "sum_view_period",
    "avg_view_period_time",
    "avg_completion_rate",
)
DROPOFF_GRAPH = (
    "count_plays",
    "count_plays_25",
    "count_plays_50",
    "count_plays_75",
    "count_plays_100",
    "play_through_ratio",
)
PLATFORM_METRICS = (
    "count_plays",
    "sum_time_viewed",
    "avg_time_viewed",
    "count_loads",
    "load_play_ratio",
    "avg_view_drop_off",
    "unique_known_users",
    "unique_viewers",
    "sum_view_period",
    "avg_view_period_time",
    "avg_completion_rate",
)
PLATFORM_GRAPHS = (
    "count_plays",
    "sum_time_viewed",
    "avg_time_viewed",
    "count_loads",
    "unique_known_users",
    "unique_viewers",
    "sum_view_period",
    "avg_view_period_time",
)
MAP_METRICS = (
    *DROPOFF_GRAPH,
    "unique_known_users=unique_viewers",
    "avg_view_drop_off",
    "count_loads",
    "avg_completion_rate",
)


def _platform(
    id: int, name: str, dim: Dimension, shape: GraphShape, drilldown: Dimension | None = None
) -> ReportType:
    return ReportType(
        id,
        name,
        dim,
        PLATFORM_METRICS,
        graphs=PLATFORM_GRAPHS,
        graph_shape=shape,
        drilldown=drilldown,
    )


def _map(id: int, name: str, dim: Dimension) -> ReportType:
    return ReportType(id, name, dim, MAP_METRICS)


_USER_TOP_CONTENT = (
    "unique_videos",
    "count_plays",
    "sum_time_viewed",
    "avg_time_viewed",
    "avg_view_drop_off",
    "count_loads",
    "load_play_ratio",
    "avg_completion_rate",
    "count_viral",
    "total_completion_rate",
    "sum_view_period",
    "avg_view_period_time",
)
_TIMELINE = (
    "count_plays",
    "sum_time_viewed",
    "unique_known_users=unique_viewers",
    "avg_view_drop_off",
    "avg_completion_rate",
    "count_loads",
    "sum_view_period",
)
_CATEGORY = (
    "count_loads",
    "count_plays",
    "unique_videos",
    "unique_viewers",
    "sum_time_viewed",
    "unique_owners",
    "unique_played_videos",
    "sum_view_period",
)
_INTERACTIONS = (
    "count_plays",
    "count_edit",
    "count_viral",
    "count_download",
    "count_report_submitted",
    "count_captions",
    "count_info",
    "count_related_selected",
)

_CONTRIBUTIONS = ("count_plays", "added_entries", "added_msecs", "unique_contributors")

_CORE: tuple[ReportType, ...] = (
    ReportType(
        1,
        "TOP_CONTENT",
        d.ENTRY,
        TOP_CONTENT_METRICS,
        graphs=(
            "count_plays",
            "sum_time_viewed",
            "avg_time_viewed",
            "count_loads",
            "sum_view_period",
            "avg_view_period_time",
        ),
    ),
    ReportType(
        2,
        "CONTENT_DROPOFF",
        d.ENTRY,
        (*DROPOFF_GRAPH, "count_loads"),
        graphs=DROPOFF_GRAPH,
        graph_shape=GraphShape.BY_NAME,
        graph_name="content_dropoff",
    ),
    ReportType(
        6,
        "TOP_SYNDICATION",
        d.DOMAIN,
        (
            "count_plays",
            "sum_time_viewed",
            "avg_time_viewed",
            "count_loads",
            "load_play_ratio",
            "avg_view_drop_off",
            "avg_completion_rate",
            "unique_played_videos",
            "sum_view_period",
            "avg_view_period_time",
        ),
        graphs=(
            "count_plays",
            "sum_time_viewed",
            "avg_time_viewed",
            "count_loads",
            "avg_view_drop_off",
            "load_play_ratio",
            "avg_completion_rate",
            "sum_view_period",
            "avg_view_period_time",
        ),
        drilldown=d.REFERRER,
    ),
    ReportType(
        13,
        "USER_TOP_CONTENT",
        d.USER,
        _USER_TOP_CONTENT,
        total=(
            "unique_known_users",
            *_USER_TOP_CONTENT[:9],
            "unique_viewers",
            "sum_view_period",
            "avg_view_period_time",
        ),
        graphs=(
            "count_plays",
            "sum_time_viewed",
            "avg_time_viewed",
            "count_loads",
            "unique_known_users",
            "avg_view_drop_off",
            "avg_completion_rate",
            "count_viral",
            "unique_viewers",
            "sum_view_period",
            "avg_view_period_time",
        ),
        friendly=d.USER_FRIENDLY,
    ),
    _platform(21, "PLATFORMS", d.DEVICE, GraphShape.MULTI_BY_DATE, drilldown=d.OS),
    _platform(22, "OPERATING_SYSTEM", d.OS, GraphShape.MULTI_BY_NAME, drilldown=d.BROWSER),
    _platform(23, "BROWSERS", d.BROWSER, GraphShape.MULTI_BY_NAME),
    _map(30, "MAP_OVERLAY_CITY", d.CITY),
    _platform(32, "OPERATING_SYSTEM_FAMILIES", d.OS_FAMILY, GraphShape.MULTI_BY_NAME),
    _platform(33, "BROWSERS_FAMILIES", d.BROWSER_FAMILY, GraphShape.MULTI_BY_NAME),
    ReportType(34, "USER_ENGAGEMENT_TIMELINE", None, _TIMELINE, graphs=_TIMELINE),
    ReportType(
        35,
        "UNIQUE_USERS_PLAY",
        None,
        ("unique_known_users",),
        graphs=("unique_known_users",),
        events=("play",),
    ),
    _map(36, "MAP_OVERLAY_COUNTRY", d.COUNTRY),
    _map(37, "MAP_OVERLAY_REGION", d.REGION),
    ReportType(
        38,
        "TOP_CONTENT_CREATOR",
        d.ENTRY_CREATOR,
        (
            "count_plays",
            "sum_time_viewed",
            "avg_time_viewed",
            "count_loads",
            "load_play_ratio",
            "avg_view_drop_off",
            "unique_known_users",
            "engagement_ranking",
            "avg_completion_rate",
            "unique_viewers",
            "sum_view_period",
            "avg_view_period_time",
            "total_completion_rate",
        ),
        total=(
            "count_plays",
            "sum_time_viewed",
            "avg_time_viewed",
            "count_loads",
            "load_play_ratio",
            "avg_view_drop_off",
            "unique_known_users",
            "unique_viewers",
            "sum_view_period",
            "avg_view_period_time",
            "avg_completion_rate",
            "total_completion_rate",
        ),
        graphs=(
            "count_plays",
            "sum_time_viewed",
            "avg_time_viewed",
            "count_loads",
            "sum_view_period",
            "avg_view_period_time",
            "total_completion_rate",
        ),
    ),
    ReportType(
        39,
        "TOP_CONTENT_CONTRIBUTORS",
        d.OWNER,
        ("count_plays", "added_entries", "added_msecs", "contributor_ranking"),
        total=_CONTRIBUTIONS,
        graphs=_CONTRIBUTIONS,
        friendly=d.OWNER_FRIENDLY,
        sources=(Source.PLAYER, Source.LIFECYCLE),
        join_roots=("count_plays", "added_entries"),
        entry_media_types=(1, 5, 201, 202, 203, 204),  # video, audio and live streams
        zero_fill=True,
    ),
    ReportType(
        41,
        "TOP_SOURCES",
        d.ENTRY_SOURCE,
        ("added_entries", "added_msecs", "unique_contributors"),
        sources=(Source.LIFECYCLE,),
        playback_types=(),
    ),
    ReportType(
        45,
        "PLAYER_RELATED_INTERACTIONS",
        d.ENTRY_STATUS,
        _INTERACTIONS,
        graphs=_INTERACTIONS,
    ),
    ReportType(
        25,
        "TOP_PLAYBACK_CONTEXT",
        d.PLAYBACK_CONTEXT,
        (
            "count_plays",
            "sum_time_viewed",
            "avg_time_viewed",
            "avg_view_drop_off",
            "count_loads",
            "load_play_ratio",
            "unique_viewers",
            "avg_completion_rate",
            "sum_view_period",
            "avg_view_period_time",
        ),
        graphs=(
            "count_plays",
            "sum_time_viewed",
            "avg_time_viewed",
            "count_loads",
            "avg_view_drop_off",
            "unique_viewers",
            "avg_completion_rate",
            "sum_view_period",
            "avg_view_period_time",
        ),
    ),
    ReportType(44, "CONTENT_REPORT_REASONS", d.REASON, ("count_report_submitted",)),
    ReportType(46, "PLAYBACK_RATE", d.PLAYBACK_RATE, ("count_speed",)),
    ReportType(52, "CATEGORY_HIGHLIGHTS", None, _CATEGORY, graphs=_CATEGORY),
)

CORE: dict[int, ReportType] = {r.id: r for r in _CORE}

# Usage (kaltura-report-service §4 60 and 201, Appendix A 17): what the partner's library holds
# and what its players delivered, day by day. Kaltura's transcoding, REACH and API-usage
# columns are empty: Vantage has none of their data.
_USER_USAGE = (
    "added_entries",
    "deleted_entries",
    "total_entries",
    "added_storage_mb=added_storage",
    "deleted_storage_mb=deleted_storage",
    "total_storage_mb",
    "added_msecs",
    "deleted_msecs",
    "total_msecs",
)
_SELF_SERVE = (
    "unique_known_users=unique_api_users",
    "total_entries=latest_entries",
    "video_streams=count_play_manifest",
    "transcoding_consumption",
    "bandwidth_consumption",
    "peak_storage",
    "total_interactive_video_entries=latest_interactive_videos",
    "live_view_time=union_live_meeting_view_time",
    "total_credits",
    "total_jobs_completed",
    "average_storage",
    "transcoding_duration",
    "added_meeting_recording_hours",
    "meeting_view_time",
)
_PARTNER_USAGE = (
    "bandwidth_consumption",
    "average_storage",
    "peak_storage",
    "added_storage",
    "deleted_storage",
    "combined_bandwidth_storage",
    "transcoding_consumption",
)

USAGE: dict[int, ReportType] = {
    r.id: r
    for r in (
        ReportType(
            17,
            "USER_USAGE",
            d.USER_USAGE,
            _USER_USAGE,
            graphs=(
                "added_storage_mb=added_storage",
                "deleted_storage_mb=deleted_storage",
                "added_entries",
                "deleted_entries",
                "added_msecs",
                "deleted_msecs",
                "total_entries=latest_entries",
                "total_storage_mb=latest_storage",
                "total_msecs=latest_msecs",
            ),
            sources=LIBRARY,
            playback_types=(),
            usage=True,
            base_total=("total_storage_mb", "total_entries", "total_msecs"),
        ),
        ReportType(
            60,
            "SELF_SERVE_USAGE",
            None,
            _SELF_SERVE,
            graphs=_SELF_SERVE,
            object_key="partner_id",
            playback_types=(),
            sources=(Source.PLAYER, Source.ROOMS, Source.LIFECYCLE),
            usage=True,
        ),
        ReportType(
            201,
            "PARTNER_USAGE",
            None,
            _PARTNER_USAGE,
            total=(
                *_PARTNER_USAGE,
                "aggregated_monthly_avg_storage",
                "combined_bandwidth_aggregated_storage",
            ),
            graphs=_PARTNER_USAGE,
            object_key="partner_id",
            playback_types=(),
            sources=(Source.PLAYER, Source.LIFECYCLE),
            usage=True,
            multi_account=True,
            caller_by_default=True,
        ),
    )
}

# Webcasts (kaltura-report-service §6.2): VOD and live alike unless a report says otherwise.
_WEBCAST = ("vod", "live", "dvr")
_WEBCAST_PLACES = (
    "count_plays",
    "unique_viewers",
    "sum_view_period",
    "avg_live_buffer_time",
    "avg_vod_completion_rate",
    "live_engaged_users_play_time_ratio",
)
_WEBCAST_HIGHLIGHTS = ("count_plays", "unique_viewers", "sum_view_period", "sum_live_view_period")
_WEBCAST_USERS = (
    "registered",
    "count_loads",
    "count_plays",
    "sum_view_period",
    "sum_live_view_period",
    "avg_live_buffer_time",
    "total_completion_rate",
    "live_engaged_users_play_time_ratio",
)
_EP_HIGHLIGHTS = ("vod_avg_play_time", "combined_live_avg_play_time", "vod_live_avg_view_time")
_EP_UNIQUE_USERS = ("unique_vod_viewers", "unique_combined_live_viewers", "unique_vod_live_viewers")
_EP_TOP_RECORDING = (
    "count_plays",
    "count_loads",
    "sum_vod_view_period",
    "unique_viewers",
    "avg_completion_rate",
)
_EP_VOD_USER_TOP_CONTENT = (
    "count_plays",
    "sum_vod_view_period",
    "vod_avg_play_time",
    "count_loads",
    "avg_completion_rate",
)
_EP_ENGAGEMENT = (
    "live_view_time=union_live_meeting_view_time",
    "count_reaction_clicked",
    "count_raise_hand_clicked",
    "combined_live_engaged_users_play_time_ratio",
    "count_group_chat_messages_sent",
    "count_poll_answered",
    "count_q_and_a_threads",
    "count_download_attachment_clicked",
)

EVENTS: dict[int, ReportType] = {
    r.id: r
    for r in (
        ReportType(
            40001,
            "HIGHLIGHTS_WEBCAST",
            None,
            _WEBCAST_HIGHLIGHTS,
            graphs=_WEBCAST_HIGHLIGHTS,
            object_key="partner_id",
            playback_types=_WEBCAST,
        ),
        ReportType(
            40004,
            "MAP_OVERLAY_COUNTRY_WEBCAST",
            d.COUNTRY,
            _WEBCAST_PLACES,
            playback_types=_WEBCAST,
        ),
        ReportType(
            40007,
            "PLATFORMS_WEBCAST",
            d.DEVICE,
            (
                "vod_plays_count",
                "live_plays_count",
                "sum_view_period",
                "sum_live_view_period",
                "avg_vod_completion_rate",
                "live_engaged_users_play_time_ratio",
            ),
            playback_types=_WEBCAST,
        ),
        ReportType(
            40008,
            "TOP_DOMAINS_WEBCAST",
            d.DOMAIN,
            _WEBCAST_PLACES,
            drilldown=d.REFERRER,
            playback_types=_WEBCAST,
        ),
        ReportType(
            40009,
            "TOP_USERS_WEBCAST",
            d.WEBCAST_USER,
            _WEBCAST_USERS,
            total=tuple(m for m in _WEBCAST_USERS if m != "total_completion_rate"),
            playback_types=_WEBCAST,
            sources=WITH_ROOMS,
        ),
        ReportType(
            40011,
            "ENGAGMENT_TIMELINE_WEBCAST",
            d.POSITION,
            ("live_engaged_users_ratio",),
            playback_types=("live", "dvr"),
            has_total=False,
            minute_timeline=True,
            object_key="entry_id",
        ),
        ReportType(
            60001,
            "EP_WEBCAST_HIGHLIGHTS",
            None,
            _EP_HIGHLIGHTS,
            graphs=_EP_HIGHLIGHTS,
            playback_types=(),
            zero_fill=True,
            sources=WITH_ROOMS,
            recordings=True,
        ),
        ReportType(
            60002,
            "EP_WEBCAST_UNIQUE_USERS",
            None,
            _EP_UNIQUE_USERS,
            graphs=_EP_UNIQUE_USERS,
            playback_types=(),
            zero_fill=True,
            sources=WITH_ROOMS,
            recordings=True,
        ),
        ReportType(
            60005,
            "EP_WEBCAST_TOP_RECORDING",
            d.RECORDING,
            _EP_TOP_RECORDING,
            graphs=(),
            recordings=True,
        ),
        ReportType(
            60010,
            "EP_WEBCAST_LIVE_USER_ENGAGEMENT",
            d.EVENT_ATTENDEE,
            _EP_ENGAGEMENT,
            graphs=(),
            playback_types=(),
            sources=WITH_ROOMS,
        ),
        ReportType(
            60012,
            "EP_WEBCAST_VOD_USER_TOP_CONTENT",
            d.USER,
            _EP_VOD_USER_TOP_CONTENT,
            graphs=(),
            recordings=True,
        ),
    )
}

# Event platform: where the live and recording viewers of rooms came from (the room dashboard's
# countries and top devices). A room's live viewers are its presence and the live players of it;
# each person's presence counts under the device and country of their latest join of the room
# up to the range's end that names them (vantage.analytics.room_facts.CLIENT). 60007's columns
# are not in Kaltura's published definitions: Vantage's reading is 40004's dimension with
# 60006's metrics.
_EP_VIEWERS = ("unique_vod_viewers", "unique_combined_live_viewers")


def _ep_viewers(id: int, name: str, dim: Dimension) -> ReportType:
    return ReportType(
        id,
        name,
        dim,
        _EP_VIEWERS,
        graphs=(),
        playback_types=(),
        sources=WITH_ROOMS,
        recordings=True,
    )


EVENTS.update(
    {
        r.id: r
        for r in (
            _ep_viewers(60006, "EP_WEBCAST_TOP_PLATFORMS", d.DEVICE),
            _ep_viewers(60007, "EP_WEBCAST_MAP_OVERLAY_COUNTRY", d.COUNTRY_NAME),
        )
    }
)

# Multi-account twins (kaltura-report-service §5): the base report over the partner and its
# children, some with the row's partner as a column.
_VPAAS: tuple[tuple[int, int, str | None], ...] = (
    (20001, 2, "entry_name"),
    (20002, 6, None),
    (20003, 13, "full_name"),
    (20004, 17, "full_name"),
    (20005, 21, None),
    (20006, 22, None),
    (20007, 23, None),
    (20008, 32, None),
    (20009, 33, None),
    (20010, 34, None),
    (20011, 35, None),
    (20012, 36, None),
    (20013, 37, None),
    (20014, 30, None),
    (20015, 38, "entry_source"),
    (20016, 39, "created_at"),
    (20017, 41, None),
    (20018, 44, None),
    (20019, 45, "entry_source"),
    (20020, 46, None),
    (20021, 201, None),
    (20022, 25, None),
    (20023, 60, None),
)


def _vpaas(id: int, base: ReportType, partner_after: str | None) -> ReportType:
    dimension = base.dimension
    if dimension is not None and partner_after:
        dimension = d.with_partner(dimension, partner_after)
    name = f"{base.name}_VPAAS"
    return replace(
        base,
        id=id,
        name=name,
        dimension=dimension,
        friendly=None,
        multi_account=True,
        caller_by_default=False,  # the caller and its children unless objectIds pick some
        base_total=(),  # Kaltura's getBaseTotal knows 17 and 18 only
    )


_BASES = CORE | USAGE
REPORTS: dict[int, ReportType] = (
    CORE | USAGE | EVENTS | {id: _vpaas(id, _BASES[base], after) for id, base, after in _VPAAS}
)


def column_metrics(columns: tuple[str, ...]) -> list[str]:
    return [metric_of(c) for c in columns]
