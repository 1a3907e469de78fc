"""Kaltura's headers for each report type, transcribed from kaltura-report-service.md §3–§6
(the golden values the KAVA report tests compare against).

Conventions (from §3.2–§3.4 and §19):
* ``table``: the getTable header in order. Reports without a dimension start with ``date_id``
  (default daily interval). ``None`` when getTable fails with INTERNAL_SERVERL_ERROR.
* ``total``: the getTotal header. ``None`` when getTotal fails ("—" in §6.2).
* ``graphs``: the getGraphs graph ids in order. ``None`` when getGraphs fails with
  INTERNAL_SERVERL_ERROR (no graph metrics); ``()`` when it returns an empty array (60010).
* ``table_drilldown``: the getTable header when objectIds are given and the report switches to its
  drilldown dimension (6, 21, 22, 20002, 20005, 20006, 40008).
* ``friendly_table``: the getTable header with ``useFriendlyHeadersNames=true`` where it differs.

Multi-account variants (§5) take their dimension headers from the §5 table and their metrics,
totals and graphs from the base report (§4, or Appendix A when the base is not in §4).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Golden:
    table: tuple[str, ...] | None
    total: tuple[str, ...] | None
    graphs: tuple[str, ...] | None
    table_drilldown: tuple[str, ...] | None = None
    friendly_table: tuple[str, ...] | None = None


# --- §4 metric lists shared by several reports -----------------------------------------------

# 1 TOP_CONTENT: T metrics and Σ ("same 10 metrics").
_TOP_CONTENT_METRICS: tuple[str, ...] = (
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
_TOP_CONTENT_GRAPHS: tuple[str, ...] = (
    "count_plays",
    "sum_time_viewed",
    "avg_time_viewed",
    "count_loads",
    "sum_view_period",
    "avg_view_period_time",
)

# 2 CONTENT_DROPOFF: T metrics; Σ = "the 7 metrics" (same list, same order).
_DROPOFF_METRICS: tuple[str, ...] = (
    "count_plays",
    "count_plays_25",
    "count_plays_50",
    "count_plays_75",
    "count_plays_100",
    "play_through_ratio",
    "count_loads",
)

# 6 TOP_SYNDICATION: T metrics; Σ = "the 10 metrics".
_SYNDICATION_METRICS: tuple[str, ...] = (
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
)
_SYNDICATION_GRAPHS: tuple[str, ...] = (
    "count_plays",
    "sum_time_viewed",
    "avg_time_viewed",
    "count_loads",
    "avg_view_drop_off",
    "load_play_ratio",
    "avg_completion_rate",
    "sum_view_period",
    "avg_view_period_time",
)

# 13 USER_TOP_CONTENT
_USER_TOP_CONTENT_METRICS: tuple[str, ...] = (
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
_USER_TOP_CONTENT_TOTAL: tuple[str, ...] = (
    "unique_known_users",
    "unique_videos",
    "count_plays",
    "sum_time_viewed",
    "avg_time_viewed",
    "avg_view_drop_off",
    "count_loads",
    "load_play_ratio",
    "avg_completion_rate",
    "count_viral",
    "unique_viewers",
    "sum_view_period",
    "avg_view_period_time",
)
_USER_TOP_CONTENT_GRAPHS: tuple[str, ...] = (
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
)

# 21 / 22 / 23 / 32 / 33: common metrics (T after the dimension column, and Σ) and common G.
_PLATFORM_METRICS: tuple[str, ...] = (
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
_PLATFORM_GRAPHS: tuple[str, ...] = (
    "count_plays",
    "sum_time_viewed",
    "avg_time_viewed",
    "count_loads",
    "unique_known_users",
    "unique_viewers",
    "sum_view_period",
    "avg_view_period_time",
)

# 30 / 36 / 37: column-map metrics (T after the dimension columns, and Σ); no graphs.
_MAP_OVERLAY_METRICS: tuple[str, ...] = (
    "count_plays",
    "count_plays_25",
    "count_plays_50",
    "count_plays_75",
    "count_plays_100",
    "play_through_ratio",
    "unique_known_users",
    "avg_view_drop_off",
    "count_loads",
    "avg_completion_rate",
)
_MAP_COUNTRY_DIMS: tuple[str, ...] = ("object_id", "country", "coordinates")
_MAP_REGION_DIMS: tuple[str, ...] = ("country", "region", "coordinates")
_MAP_CITY_DIMS: tuple[str, ...] = ("country", "region", "city", "coordinates", "country_code")

# 34 USER_ENGAGEMENT_TIMELINE: column map (T after date_id, Σ and G).
_ENGAGEMENT_TIMELINE_METRICS: tuple[str, ...] = (
    "count_plays",
    "sum_time_viewed",
    "unique_known_users",
    "avg_view_drop_off",
    "avg_completion_rate",
    "count_loads",
    "sum_view_period",
)

# 38 TOP_CONTENT_CREATOR
_CONTENT_CREATOR_DIMS: tuple[str, ...] = (
    "object_id",
    "entry_name",
    "creator_name",
    "created_at",
    "status",
    "media_type",
    "duration_msecs",
    "entry_source",
)
_CONTENT_CREATOR_METRICS: tuple[str, ...] = (
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
)
_CONTENT_CREATOR_TOTAL: tuple[str, ...] = (
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
)
_CONTENT_CREATOR_GRAPHS: tuple[str, ...] = (
    "count_plays",
    "sum_time_viewed",
    "avg_time_viewed",
    "count_loads",
    "sum_view_period",
    "avg_view_period_time",
    "total_completion_rate",
)

# 39 TOP_CONTENT_CONTRIBUTORS
_CONTRIBUTORS_METRICS: tuple[str, ...] = (
    "count_plays",
    "added_entries",
    "added_msecs",
    "contributor_ranking",
)
_CONTRIBUTORS_TOTAL: tuple[str, ...] = (
    "count_plays",
    "added_entries",
    "added_msecs",
    "unique_contributors",
)

# 41 TOP_SOURCES: T metrics; Σ = "the 3 metrics".
_SOURCES_METRICS: tuple[str, ...] = ("added_entries", "added_msecs", "unique_contributors")

# 45 PLAYER_RELATED_INTERACTIONS: T metrics; Σ and G = "the 8 metrics".
_INTERACTIONS_METRICS: tuple[str, ...] = (
    "count_plays",
    "count_edit",
    "count_viral",
    "count_download",
    "count_report_submitted",
    "count_captions",
    "count_info",
    "count_related_selected",
)

# 52 CATEGORY_HIGHLIGHTS: T after date_id, Σ and G.
_CATEGORY_HIGHLIGHTS_METRICS: tuple[str, ...] = (
    "count_loads",
    "count_plays",
    "unique_videos",
    "unique_viewers",
    "sum_time_viewed",
    "unique_owners",
    "unique_played_videos",
    "sum_view_period",
)

# 60 SELF_SERVE_USAGE: column-map keys (T after date_id, Σ and G). The parenthesised remarks of
# §4 ("total_entries (=latest_entries)" etc.) describe the metric behind a header, not the header.
_SELF_SERVE_METRICS: tuple[str, ...] = (
    "unique_known_users",
    "total_entries",
    "video_streams",
    "transcoding_consumption",
    "bandwidth_consumption",
    "peak_storage",
    "total_interactive_video_entries",
    "live_view_time",
    "total_credits",
    "total_jobs_completed",
    "average_storage",
    "transcoding_duration",
    "added_meeting_recording_hours",
    "meeting_view_time",
)

# 201 PARTNER_USAGE: T after the date column and G; Σ adds two aggregated headers.
_PARTNER_USAGE_METRICS: tuple[str, ...] = (
    "bandwidth_consumption",
    "average_storage",
    "peak_storage",
    "added_storage",
    "deleted_storage",
    "combined_bandwidth_storage",
    "transcoding_consumption",
)
_PARTNER_USAGE_TOTAL: tuple[str, ...] = (
    *_PARTNER_USAGE_METRICS,
    "aggregated_monthly_avg_storage",
    "combined_bandwidth_aggregated_storage",
)

# --- Appendix A bases of multi-account variants not in §4 ------------------------------------

# 17 USER_USAGE (base of 20004): cols[…] (table map keys).
_USER_USAGE_METRICS: tuple[str, ...] = (
    "added_entries",
    "deleted_entries",
    "total_entries",
    "added_storage_mb",
    "deleted_storage_mb",
    "total_storage_mb",
    "added_msecs",
    "deleted_msecs",
    "total_msecs",
)
# NOT in the document: Appendix A gives no graph[…] for 17, but says getGraphs works for it (a join
# report whose sub-reports carry graph metrics). These ids are the REPORT_GRAPH_MAP keys of
# USER_USAGE in an older public kaltura/server kKavaReports.php (commit 011bb7bd); unverified
# against commit c447fdb3, which the document describes.
_USER_USAGE_GRAPHS: tuple[str, ...] = (
    "added_storage_mb",
    "deleted_storage_mb",
    "added_entries",
    "deleted_entries",
    "added_msecs",
    "deleted_msecs",
    "total_entries",
    "total_storage_mb",
    "total_msecs",
)

# 25 TOP_PLAYBACK_CONTEXT (base of 20022)
_PLAYBACK_CONTEXT_METRICS: tuple[str, ...] = (
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
)
_PLAYBACK_CONTEXT_GRAPHS: tuple[str, ...] = (
    "count_plays",
    "sum_time_viewed",
    "avg_time_viewed",
    "count_loads",
    "avg_view_drop_off",
    "unique_viewers",
    "avg_completion_rate",
    "sum_view_period",
    "avg_view_period_time",
)

# --- §6.2 webcast metric lists -----------------------------------------------------------------

_WEBCAST_HIGHLIGHTS_METRICS: tuple[str, ...] = (
    "count_plays",
    "unique_viewers",
    "sum_view_period",
    "sum_live_view_period",
)
# 40004–40006 and 40008: the "6 metrics" of T, spelled out in table order.
_WEBCAST_GEO_METRICS: tuple[str, ...] = (
    "count_plays",
    "unique_viewers",
    "sum_view_period",
    "avg_live_buffer_time",
    "avg_vod_completion_rate",
    "live_engaged_users_play_time_ratio",
)
# 40007: the "6" metrics of T, spelled out in table order.
_WEBCAST_PLATFORMS_METRICS: tuple[str, ...] = (
    "vod_plays_count",
    "live_plays_count",
    "sum_view_period",
    "sum_live_view_period",
    "avg_vod_completion_rate",
    "live_engaged_users_play_time_ratio",
)

# --- §6.3 event platform ---------------------------------------------------------------------

_EP_HIGHLIGHTS_METRICS: tuple[str, ...] = (
    "vod_avg_play_time",
    "combined_live_avg_play_time",
    "vod_live_avg_view_time",
)
_EP_UNIQUE_USERS_METRICS: tuple[str, ...] = (
    "unique_vod_viewers",
    "unique_combined_live_viewers",
    "unique_vod_live_viewers",
)
_EP_TOP_RECORDING_METRICS: tuple[str, ...] = (
    "count_plays",
    "count_loads",
    "sum_vod_view_period",
    "unique_viewers",
    "avg_completion_rate",
)
_EP_VOD_USER_TOP_CONTENT_METRICS: tuple[str, ...] = (
    "count_plays",
    "sum_vod_view_period",
    "vod_avg_play_time",
    "count_loads",
    "avg_completion_rate",
)
_EP_LIVE_USER_ENGAGEMENT_METRICS: tuple[str, ...] = (
    "live_view_time",
    "count_reaction_clicked",
    "count_raise_hand_clicked",
    "combined_live_engaged_users_play_time_ratio",
    "count_group_chat_messages_sent",
    "count_poll_answered",
    "count_q_and_a_threads",
    "count_download_attachment_clicked",
)

_EP_VIEWERS_METRICS: tuple[str, ...] = ("unique_vod_viewers", "unique_combined_live_viewers")


GOLDEN: dict[int, Golden] = {
    # ---------------------------------------------------------------- §4 core reports
    1: Golden(
        table=("object_id", "entry_name", *_TOP_CONTENT_METRICS),
        total=_TOP_CONTENT_METRICS,
        graphs=_TOP_CONTENT_GRAPHS,
    ),
    2: Golden(
        table=("object_id", "entry_name", *_DROPOFF_METRICS),
        total=_DROPOFF_METRICS,
        # by_name: one graph whose points are count_plays … play_through_ratio (§3.4, §19.5).
        graphs=("content_dropoff",),
    ),
    6: Golden(
        table=("object_id", "domain_name", *_SYNDICATION_METRICS),
        total=_SYNDICATION_METRICS,
        graphs=_SYNDICATION_GRAPHS,
        # "the dimension headers become just `referrer`"; the metrics are unchanged.
        table_drilldown=("referrer", *_SYNDICATION_METRICS),
    ),
    13: Golden(
        table=("name", "full_name", *_USER_TOP_CONTENT_METRICS),
        total=_USER_TOP_CONTENT_TOTAL,
        graphs=_USER_TOP_CONTENT_GRAPHS,
        friendly_table=("name", "full_name", "email", *_USER_TOP_CONTENT_METRICS),
    ),
    21: Golden(
        table=("device", *_PLATFORM_METRICS),
        total=_PLATFORM_METRICS,
        # multi_by_date_id: one graph per metric (point values pack device:value pairs).
        graphs=_PLATFORM_GRAPHS,
        table_drilldown=("os", *_PLATFORM_METRICS),
    ),
    22: Golden(
        table=("os", *_PLATFORM_METRICS),
        total=_PLATFORM_METRICS,
        graphs=_PLATFORM_GRAPHS,
        table_drilldown=("browser", *_PLATFORM_METRICS),
    ),
    23: Golden(
        table=("browser", *_PLATFORM_METRICS),
        total=_PLATFORM_METRICS,
        graphs=_PLATFORM_GRAPHS,
    ),
    30: Golden(
        table=(*_MAP_CITY_DIMS, *_MAP_OVERLAY_METRICS),
        total=_MAP_OVERLAY_METRICS,
        graphs=None,
    ),
    32: Golden(
        table=("os_family", *_PLATFORM_METRICS),
        total=_PLATFORM_METRICS,
        graphs=_PLATFORM_GRAPHS,
    ),
    33: Golden(
        table=("browser_family", *_PLATFORM_METRICS),
        total=_PLATFORM_METRICS,
        graphs=_PLATFORM_GRAPHS,
    ),
    34: Golden(
        table=("date_id", *_ENGAGEMENT_TIMELINE_METRICS),
        total=_ENGAGEMENT_TIMELINE_METRICS,
        graphs=_ENGAGEMENT_TIMELINE_METRICS,
    ),
    35: Golden(
        table=("date_id", "unique_known_users"),
        total=("unique_known_users",),
        graphs=("unique_known_users",),
    ),
    36: Golden(
        table=(*_MAP_COUNTRY_DIMS, *_MAP_OVERLAY_METRICS),
        total=_MAP_OVERLAY_METRICS,
        graphs=None,
    ),
    37: Golden(
        table=(*_MAP_REGION_DIMS, *_MAP_OVERLAY_METRICS),
        total=_MAP_OVERLAY_METRICS,
        graphs=None,
    ),
    38: Golden(
        table=(*_CONTENT_CREATOR_DIMS, *_CONTENT_CREATOR_METRICS),
        total=_CONTENT_CREATOR_TOTAL,
        graphs=_CONTENT_CREATOR_GRAPHS,
    ),
    39: Golden(
        table=("user_id", "creator_name", "created_at", *_CONTRIBUTORS_METRICS),
        total=_CONTRIBUTORS_TOTAL,
        graphs=_CONTRIBUTORS_TOTAL,
        friendly_table=("user_id", "creator_name", "created_at", "email", *_CONTRIBUTORS_METRICS),
    ),
    41: Golden(
        table=("source", *_SOURCES_METRICS),
        total=_SOURCES_METRICS,
        graphs=None,
    ),
    45: Golden(
        table=("object_id", "entry_name", "status", "entry_source", *_INTERACTIONS_METRICS),
        total=_INTERACTIONS_METRICS,
        graphs=_INTERACTIONS_METRICS,
    ),
    46: Golden(
        table=("playback_rate", "count_speed"),
        total=("count_speed",),
        graphs=None,
    ),
    52: Golden(
        table=("date_id", *_CATEGORY_HIGHLIGHTS_METRICS),
        total=_CATEGORY_HIGHLIGHTS_METRICS,
        graphs=_CATEGORY_HIGHLIGHTS_METRICS,
    ),
    60: Golden(
        table=("date_id", *_SELF_SERVE_METRICS),
        total=_SELF_SERVE_METRICS,
        graphs=_SELF_SERVE_METRICS,
    ),
    201: Golden(
        table=("date_id", *_PARTNER_USAGE_METRICS),
        total=_PARTNER_USAGE_TOTAL,
        graphs=_PARTNER_USAGE_METRICS,
    ),
    # ---------------------------------------------------------------- §5 multi-account variants
    20001: Golden(
        table=("object_id", "entry_name", "partner_id", *_DROPOFF_METRICS),
        total=_DROPOFF_METRICS,
        graphs=("content_dropoff",),
    ),
    20002: Golden(
        table=("object_id", "domain_name", *_SYNDICATION_METRICS),
        total=_SYNDICATION_METRICS,
        graphs=_SYNDICATION_GRAPHS,
        table_drilldown=("referrer", *_SYNDICATION_METRICS),
    ),
    # Friendly headers: the variant's own dimension map replaces the (friendly-merged) base map
    # with a shallow array_merge (§5 step 1), so `email` is NOT added: friendly_table stays None.
    20003: Golden(
        table=("name", "full_name", "partner_id", *_USER_TOP_CONTENT_METRICS),
        total=_USER_TOP_CONTENT_TOTAL,
        graphs=_USER_TOP_CONTENT_GRAPHS,
    ),
    # Base 17 USER_USAGE (Appendix A). Σ: 17 is a join report with a table/total map (§3.3 path 3
    # then the map), so the total header is read as the cols[…] keys in the same order. Graphs:
    # see _USER_USAGE_GRAPHS (not given by the document).
    20004: Golden(
        table=("kuser_id", "name", "full_name", "partner_id", *_USER_USAGE_METRICS),
        total=_USER_USAGE_METRICS,
        graphs=_USER_USAGE_GRAPHS,
    ),
    20005: Golden(
        table=("device", *_PLATFORM_METRICS),
        total=_PLATFORM_METRICS,
        graphs=_PLATFORM_GRAPHS,
        table_drilldown=("os", *_PLATFORM_METRICS),
    ),
    20006: Golden(
        table=("os", *_PLATFORM_METRICS),
        total=_PLATFORM_METRICS,
        graphs=_PLATFORM_GRAPHS,
        table_drilldown=("browser", *_PLATFORM_METRICS),
    ),
    20007: Golden(
        table=("browser", *_PLATFORM_METRICS),
        total=_PLATFORM_METRICS,
        graphs=_PLATFORM_GRAPHS,
    ),
    20008: Golden(
        table=("os_family", *_PLATFORM_METRICS),
        total=_PLATFORM_METRICS,
        graphs=_PLATFORM_GRAPHS,
    ),
    20009: Golden(
        table=("browser_family", *_PLATFORM_METRICS),
        total=_PLATFORM_METRICS,
        graphs=_PLATFORM_GRAPHS,
    ),
    20010: Golden(
        table=("date_id", *_ENGAGEMENT_TIMELINE_METRICS),
        total=_ENGAGEMENT_TIMELINE_METRICS,
        graphs=_ENGAGEMENT_TIMELINE_METRICS,
    ),
    20011: Golden(
        table=("date_id", "unique_known_users"),
        total=("unique_known_users",),
        graphs=("unique_known_users",),
    ),
    20012: Golden(
        table=(*_MAP_COUNTRY_DIMS, *_MAP_OVERLAY_METRICS),
        total=_MAP_OVERLAY_METRICS,
        graphs=None,
    ),
    20013: Golden(
        table=(*_MAP_REGION_DIMS, *_MAP_OVERLAY_METRICS),
        total=_MAP_OVERLAY_METRICS,
        graphs=None,
    ),
    20014: Golden(
        table=(*_MAP_CITY_DIMS, *_MAP_OVERLAY_METRICS),
        total=_MAP_OVERLAY_METRICS,
        graphs=None,
    ),
    20015: Golden(
        table=(*_CONTENT_CREATOR_DIMS, "partner_id", *_CONTENT_CREATOR_METRICS),
        total=_CONTENT_CREATOR_TOTAL,
        graphs=_CONTENT_CREATOR_GRAPHS,
    ),
    # As for 20003: the variant's dimension map overrides the friendly-merged one, so no `email`.
    20016: Golden(
        table=("user_id", "creator_name", "created_at", "partner_id", *_CONTRIBUTORS_METRICS),
        total=_CONTRIBUTORS_TOTAL,
        graphs=_CONTRIBUTORS_TOTAL,
    ),
    20017: Golden(
        table=("source", *_SOURCES_METRICS),
        total=_SOURCES_METRICS,
        graphs=None,
    ),
    # Base 44 CONTENT_REPORT_REASONS (Appendix A): no total[…] and no map, so Σ = report_metrics
    # (§3.3 path 4); no graph[…] and not a join, so getGraphs fails.
    20018: Golden(
        table=("reason", "count_report_submitted"),
        total=("count_report_submitted",),
        graphs=None,
    ),
    20019: Golden(
        table=(
            "object_id",
            "entry_name",
            "status",
            "entry_source",
            "partner_id",
            *_INTERACTIONS_METRICS,
        ),
        total=_INTERACTIONS_METRICS,
        graphs=_INTERACTIONS_METRICS,
    ),
    20020: Golden(
        table=("playback_rate", "count_speed"),
        total=("count_speed",),
        graphs=None,
    ),
    20021: Golden(
        table=("date_id", *_PARTNER_USAGE_METRICS),
        total=_PARTNER_USAGE_TOTAL,
        graphs=_PARTNER_USAGE_METRICS,
    ),
    # Base 25 TOP_PLAYBACK_CONTEXT (Appendix A): no total[…] and no map, so Σ = report_metrics
    # in metrics[…] order (§3.3 path 4).
    20022: Golden(
        table=("object_id", "name", *_PLAYBACK_CONTEXT_METRICS),
        total=_PLAYBACK_CONTEXT_METRICS,
        graphs=_PLAYBACK_CONTEXT_GRAPHS,
    ),
    20023: Golden(
        table=("date_id", *_SELF_SERVE_METRICS),
        total=_SELF_SERVE_METRICS,
        graphs=_SELF_SERVE_METRICS,
    ),
    # ---------------------------------------------------------------- §6.2 webcast
    40001: Golden(
        table=("date_id", *_WEBCAST_HIGHLIGHTS_METRICS),
        total=_WEBCAST_HIGHLIGHTS_METRICS,
        graphs=_WEBCAST_HIGHLIGHTS_METRICS,
    ),
    40004: Golden(
        table=("object_id", "country", "coordinates", *_WEBCAST_GEO_METRICS),
        total=_WEBCAST_GEO_METRICS,
        graphs=None,
    ),
    40007: Golden(
        table=("device", *_WEBCAST_PLATFORMS_METRICS),
        total=_WEBCAST_PLATFORMS_METRICS,
        graphs=None,
    ),
    40008: Golden(
        table=("object_id", "domain_name", *_WEBCAST_GEO_METRICS),
        total=_WEBCAST_GEO_METRICS,
        graphs=None,
        # "(drill: referrer)": read like 6, i.e. the two dimension headers become `referrer`.
        table_drilldown=("referrer", *_WEBCAST_GEO_METRICS),
    ),
    # Σ is listed explicitly in §6.2 and (unlike T) has no total_completion_rate.
    40009: Golden(
        table=(
            "user_id",
            "user_name",
            "registered",
            "count_loads",
            "count_plays",
            "sum_view_period",
            "sum_live_view_period",
            "avg_live_buffer_time",
            "total_completion_rate",
            "live_engaged_users_play_time_ratio",
        ),
        total=(
            "registered",
            "count_loads",
            "count_plays",
            "sum_view_period",
            "sum_live_view_period",
            "avg_live_buffer_time",
            "live_engaged_users_play_time_ratio",
        ),
        graphs=None,
    ),
    # Σ and G are "—" in §6.2 ("no usable definition for that action"), read as failing: None.
    40011: Golden(
        table=("position", "live_engaged_users_ratio"),
        total=None,
        graphs=None,
    ),
    # ---------------------------------------------------------------- §6.3 event platform
    60001: Golden(
        table=("date_id", *_EP_HIGHLIGHTS_METRICS),
        total=_EP_HIGHLIGHTS_METRICS,
        graphs=_EP_HIGHLIGHTS_METRICS,
    ),
    # §6.3 gives only the table's columns of the other EP ids: the totals are read as the
    # metrics (as 60001 and 60010), the graphs as 60001's (a date series) and 60010's (a
    # dimension: an empty array).
    60002: Golden(
        table=("date_id", *_EP_UNIQUE_USERS_METRICS),
        total=_EP_UNIQUE_USERS_METRICS,
        graphs=_EP_UNIQUE_USERS_METRICS,
    ),
    60005: Golden(
        table=("entry_id", "entry_name", *_EP_TOP_RECORDING_METRICS),
        total=_EP_TOP_RECORDING_METRICS,
        graphs=(),
    ),
    60012: Golden(
        table=("name", "full_name", *_EP_VOD_USER_TOP_CONTENT_METRICS),
        total=_EP_VOD_USER_TOP_CONTENT_METRICS,
        graphs=(),
    ),
    60010: Golden(
        table=(
            "user_id",
            "user_name",
            "email",
            "title",
            "company",
            "country",
            "role",
            "industry",
            *_EP_LIVE_USER_ENGAGEMENT_METRICS,
        ),
        total=_EP_LIVE_USER_ENGAGEMENT_METRICS,
        graphs=(),  # getGraphs returns an empty array (no sub-report has graph metrics)
    ),
    # 60006's columns are §6.3's; 60007's are not published: Vantage's reading is 40004's
    # dimension with 60006's metrics. Totals are the metrics and graphs an empty array, as
    # 60010's (a dimension, no graph metrics).
    60006: Golden(
        table=("device", *_EP_VIEWERS_METRICS),
        total=_EP_VIEWERS_METRICS,
        graphs=(),
    ),
    60007: Golden(
        table=("object_id", "country", "coordinates", *_EP_VIEWERS_METRICS),
        total=_EP_VIEWERS_METRICS,
        graphs=(),
    ),
}

REPORT_IDS: tuple[int, ...] = (
    1,
    2,
    6,
    13,
    21,
    22,
    23,
    30,
    32,
    33,
    34,
    35,
    36,
    37,
    38,
    39,
    41,
    45,
    46,
    52,
    60,
    201,
    *range(20001, 20024),
    40001,
    40004,
    40007,
    40008,
    40009,
    40011,
    60001,
    60002,
    60005,
    60006,
    60007,
    60010,
    60012,
)

assert tuple(sorted(GOLDEN)) == REPORT_IDS
