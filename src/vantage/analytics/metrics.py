"""Every KAVA report metric, defined once as SQL over the player facts (relation ``f``, see
vantage.player.facts), with Kaltura's header name, formula and units (kaltura-report-service §7).

A metric names the Kaltura event types it reads. As in Kaltura, a query reads only the fact
rows holding one of the event types its metrics name, so a metric without event types of its
own (``unique_known_users``, ``unique_videos``) counts over whatever the others pull in.
Ratios are 0 when their divisor is 0 (as Druid answers); times are minutes unless the name
says otherwise; completion rates are percents capped at 100.

A *ranking* metric is worked out from the other metrics of the finished rows (``post``): its
SQL refers to them by name and may use window functions over all rows.

The usage reports (§3.4 join graphs: 17's graphs, 60, 201 and their twins) add three notions:

* a *cumulative* metric counts from the beginning of the store up to the end of the range, not
  over the range (Kaltura's ``base_to_end`` interval: ``total_entries``, ``total_storage_mb``);
* a *running* metric is a value per day: the cumulative metric ``running[0]`` at the end of the
  day, plus the day's own ``running[1]`` (what was deleted on a day still counts that day, as
  Kaltura's accumulate functions count it: ``peak_storage``, ``latest_entries``);
* a *rollup* says how a usage report combines a metric's days into a month, a year or the
  whole range: summed (flows), their mean, their largest, the last day's, or the sum over the
  months of each month's mean (Kaltura's ``aggregateUsageData``).

An *empty* metric is one Vantage has no data for (transcoding, REACH, API usage): its cells are
always empty, never a made-up 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from vantage.player.facts import count_column
from vantage.sql.expr import Agg, Col, Expr, Lit, Null, Over, Type, agg, col, fn


class Rollup(Enum):
    """How a usage report combines a metric's daily values into a longer period."""

    SUM = "sum"
    MEAN = "mean"
    MAX = "max"
    LAST = "last"
    MONTHLY_MEANS = "monthly_means"  # Σ over the period's months of each month's mean


@dataclass(frozen=True)
class Metric:
    name: str
    expr: Expr
    events: tuple[str, ...] = ()
    post: bool = False
    needs: tuple[str, ...] = ()  # metrics a post metric is computed from
    cumulative: bool = False  # from the beginning of the store to the end of the range
    running: tuple[str, str] | None = None  # (cumulative metric, the day's removals): per day
    rollup: Rollup = Rollup.SUM  # how a usage report combines days
    empty: bool = False  # no data in Vantage: always an empty cell
    entry: bool = False  # reads the fact row's entry (``en``)


def f(column: str) -> Col:
    """A column of the fact rows."""
    return Col(column, "f")


LIVE = f("playback_type").isin(("live", "dvr"))
VOD = f("playback_type").eq("vod")
QUARTERS = ("playThrough25", "playThrough50", "playThrough75", "playThrough100")


def total(measure: str, condition: Expr | None = None) -> Expr:
    """The sum of a fact measure, optionally of some rows only; 0 when nothing matched."""
    return fn("coalesce", agg("sum", f(measure), where=condition), 0)


def n(event: str, condition: Expr | None = None) -> Expr:
    """The count of an event type's beacons, optionally of some rows only."""
    return total(count_column(event), condition)


def ratio(a: Expr, b: Expr) -> Expr:
    return fn("coalesce", a / fn("nullif", b, 0), 0.0)


def percent(a: Expr, b: Expr) -> Expr:
    return fn("least", ratio(a, b), 100.0)


def distinct(column: str, condition: Expr | None = None) -> Agg:
    return agg("count_distinct", f(column), where=condition)


PLAYS = n("play")
VIEW_SECONDS = total("view_play_time")
QUARTILE_SECONDS = total("quartile_play_time")
LIVE_VIEW_SECONDS = total("view_play_time", LIVE)
MEETING_SECONDS = total("meeting_view_time")
_VIEWED = f(count_column("view")).gt(0)
_MET = f(count_column("meeting_view")).gt(0)
VOD_VIEWERS = distinct("user_id", _VIEWED & VOD)
LIVE_VIEWERS = distinct("user_id", (_VIEWED & LIVE) | _MET)
ALL_VIEWERS = distinct("user_id", _VIEWED | _MET)


def _count(name: str, event: str) -> Metric:
    return Metric(name, n(event), (event,))


MB = 1_048_576.0  # Kaltura's megabyte
ADD, DELETE = "physicalAdd", "physicalDelete"
INTERACTIVE = f("entry_source").eq("Interactive Video")
MEETING_RECORDING = f("entry_source").eq("Kaltura Meeting")


def _running(name: str, cumulative: str, removed: str, rollup: Rollup) -> Metric:
    return Metric(name, Null(Type.FLOAT), running=(cumulative, removed), rollup=rollup)


def _empty(name: str) -> Metric:
    return Metric(name, Null(Type.FLOAT), empty=True)


def sum_of(terms: list[Expr]) -> Expr:
    out = terms[0]
    for term in terms[1:]:
        out = out + term
    return out


def _of_best(metric: str) -> Expr:
    """A post metric's value against the best row's (0 when no row has any)."""
    value = col(metric)
    return fn("coalesce", value / fn("nullif", Over(Agg("max", (value,))), 0), 0)


_PLAY_TIME = ("play", *QUARTERS)
_ENGAGED_LIVE = total("high_play_time", LIVE) + total("good_play_time", LIVE)

METRICS: dict[str, Metric] = {
    m.name: m
    for m in (
        _count("count_plays", "play"),
        _count("count_loads", "playerImpression"),
        _count("count_plays_25", "playThrough25"),
        _count("count_plays_50", "playThrough50"),
        _count("count_plays_75", "playThrough75"),
        _count("count_plays_100", "playThrough100"),
        _count("count_viral", "shareClicked"),
        _count("count_download", "downloadClicked"),
        _count("count_report", "reportClicked"),
        _count("count_report_submitted", "reportSubmitted"),
        _count("count_captions", "captions"),
        _count("count_info", "info"),
        _count("count_related_selected", "relatedSelected"),
        _count("count_speed", "speed"),
        _count("count_buffer_start", "bufferStart"),
        _count("count_flavor_switch", "flavorSwitch"),
        _count("count_play_requested", "playRequested"),
        _count("count_pause_clicked", "pauseClicked"),
        _count("count_resume_clicked", "resume"),
        _count("count_viewers", "view"),
        _count("error", "error"),
        # Players send no edit beacon (KAVA has no event id for it), so Kaltura's column
        # is 0 for every KAVA player; so is Vantage's.
        Metric("count_edit", Lit(0)),
        Metric("sum_time_viewed", QUARTILE_SECONDS / 60.0, QUARTERS),
        Metric("avg_time_viewed", ratio(QUARTILE_SECONDS / 60.0, PLAYS), _PLAY_TIME),
        Metric("sum_view_period", VIEW_SECONDS / 60.0, ("view",)),
        Metric("sum_live_view_period", LIVE_VIEW_SECONDS / 60.0, ("view",)),
        Metric("sum_vod_view_period", total("view_play_time", VOD) / 60.0, ("view",)),
        Metric("avg_view_period_time", ratio(VIEW_SECONDS / 60.0, PLAYS), ("view", "play")),
        Metric(
            "load_play_ratio", ratio(PLAYS, n("playerImpression")), ("play", "playerImpression")
        ),
        Metric("play_through_ratio", ratio(n("playThrough100"), PLAYS), ("play", "playThrough100")),
        Metric(
            "avg_view_drop_off",
            ratio(sum_of([n(q) for q in QUARTERS]) / 4.0, PLAYS),
            ("play", *QUARTERS),
        ),
        Metric("avg_completion_rate", percent(total("new_percentiles"), PLAYS), ("view", "play")),
        Metric(
            "avg_vod_completion_rate",
            percent(total("new_percentiles", VOD), n("play", VOD)),
            ("view", "play"),
        ),
        Metric(
            "total_completion_rate",
            fn(
                "least",
                fn("coalesce", fn("bit_count", agg("bit_or", f("coverage"), where=VOD)), 0),
                100,
            ),
            ("view",),
        ),
        Metric("unique_known_users", distinct("user_id")),
        Metric(
            "unique_viewers",
            distinct("user_id", f(count_column("play")).gt(0)),
            ("play",),
        ),
        Metric("unique_videos", distinct("entry_id")),
        Metric(
            "unique_played_videos",
            distinct("entry_id", f(count_column("play")).gt(0)),
            ("play",),
        ),
        Metric("unique_owners", agg("count_distinct", col("en.creator_user_id")), entry=True),
        Metric("vod_plays_count", n("play", VOD), ("play",)),
        Metric("live_plays_count", n("play", LIVE), ("play",)),
        Metric(
            "avg_live_buffer_time",
            ratio(total("buffer_time", LIVE), LIVE_VIEW_SECONDS),
            ("view",),
        ),
        Metric("avg_bitrate", ratio(total("bitrate_sum"), total("bitrate_count")), ("view",)),
        Metric(
            "live_engaged_users_play_time_ratio",
            ratio(_ENGAGED_LIVE, LIVE_VIEW_SECONDS),
            ("view",),
        ),
        Metric(
            "live_engaged_users_ratio",
            ratio(total("n_view_engaged", LIVE), n("view", LIVE)),
            ("view",),
        ),
        *(
            Metric(
                f"live_{short}_eng_view_period_play_time_rate",
                ratio(total(f"{level}_play_time", LIVE), LIVE_VIEW_SECONDS),
                ("view",),
            )
            for short, level in (
                ("no", "none"),
                ("low", "low"),
                ("fair", "fair"),
                ("good", "good"),
                ("high", "high"),
            )
        ),
        # Webcasts and event platforms: rooms (Kaltura's meeting source) beside live players.
        _count("registered", "registered"),
        _count("count_reaction_clicked", "reactionClicked"),
        _count("count_raise_hand_clicked", "raiseHand"),
        _count("count_group_chat_messages_sent", "groupMessageSent"),
        _count("count_poll_answered", "pollAnswered"),
        _count("count_q_and_a_threads", "qna_thread"),
        _count("count_download_attachment_clicked", "downloadAttachmentClicked"),
        Metric("meeting_view_time", MEETING_SECONDS / 60.0, ("meeting_view",)),
        Metric(
            "union_live_meeting_view_time",
            (LIVE_VIEW_SECONDS + MEETING_SECONDS) / 60.0,
            ("view", "meeting_view"),
        ),
        Metric(
            "combined_live_engaged_users_play_time_ratio",
            ratio(
                _ENGAGED_LIVE + total("meeting_engaged_time"), LIVE_VIEW_SECONDS + MEETING_SECONDS
            ),
            ("view", "meeting_view"),
        ),
        Metric("unique_vod_viewers", VOD_VIEWERS, ("view",)),
        Metric("unique_combined_live_viewers", LIVE_VIEWERS, ("view", "meeting_view")),
        Metric("unique_vod_live_viewers", ALL_VIEWERS, ("view", "meeting_view")),
        Metric(
            "vod_avg_play_time",
            ratio(total("view_play_time", VOD) / 60.0, VOD_VIEWERS),
            ("view",),
        ),
        Metric(
            "combined_live_avg_play_time",
            ratio((LIVE_VIEW_SECONDS + MEETING_SECONDS) / 60.0, LIVE_VIEWERS),
            ("view", "meeting_view"),
        ),
        Metric(
            "vod_live_avg_view_time",
            ratio((VIEW_SECONDS + MEETING_SECONDS) / 60.0, ALL_VIEWERS),
            ("view", "meeting_view"),
        ),
        # Contributors: entries added (the entry lifecycle), by their creators.
        Metric("added_entries", total("n_physicalAdd"), ("physicalAdd",)),
        Metric("added_msecs", total("added_duration") * 1000, ("physicalAdd",)),
        Metric(
            "unique_contributors",
            distinct("owner_id", f(count_column("physicalAdd")).gt(0)),
            ("physicalAdd",),
        ),
        Metric("deleted_entries", total("n_physicalDelete"), (DELETE,)),
        Metric("deleted_msecs", total("deleted_duration") * 1000, (DELETE,)),
        # The library: entries, their length and their size (Kaltura's storage-usage) from
        # the beginning, and per day (running totals) for the usage reports.
        Metric("total_entries", total("net_entries"), (ADD, DELETE), cumulative=True),
        Metric(
            "total_msecs",
            total("net_duration") * 1000,
            (ADD, DELETE, "durationChange"),
            cumulative=True,
        ),
        Metric("added_storage", total("added_size") / MB, (ADD, "sizeChange")),
        Metric("deleted_storage", total("deleted_size") / MB, (DELETE, "sizeChange")),
        Metric(
            "total_storage_mb",
            total("net_size") / MB,
            (ADD, DELETE, "sizeChange"),
            cumulative=True,
        ),
        Metric("deleted_interactive_videos", total("n_physicalDelete", INTERACTIVE), (DELETE,)),
        Metric(
            "total_interactive_videos",
            total("net_entries", INTERACTIVE),
            (ADD, DELETE),
            cumulative=True,
        ),
        Metric(
            "added_meeting_recording_hours",
            total("added_duration", MEETING_RECORDING) / 3600.0,
            (ADD,),
        ),
        _running("latest_entries", "total_entries", "deleted_entries", Rollup.LAST),
        _running("latest_msecs", "total_msecs", "deleted_msecs", Rollup.LAST),
        _running(
            "latest_interactive_videos",
            "total_interactive_videos",
            "deleted_interactive_videos",
            Rollup.LAST,
        ),
        _running("average_storage", "total_storage_mb", "deleted_storage", Rollup.MEAN),
        _running("peak_storage", "total_storage_mb", "deleted_storage", Rollup.MAX),
        _running("latest_storage", "total_storage_mb", "deleted_storage", Rollup.LAST),
        _running(
            "aggregated_monthly_avg_storage",
            "total_storage_mb",
            "deleted_storage",
            Rollup.MONTHLY_MEANS,
        ),
        # Delivery: the bytes the views' bitrates say the players received, and the streams
        # they asked for (playManifest beacons).
        Metric("bandwidth_consumption", total("delivered_bytes") / MB, ("view",)),
        _count("count_play_manifest", "playManifest"),
        Metric(
            "combined_bandwidth_storage",
            col("bandwidth_consumption") + col("average_storage"),
            post=True,
            needs=("bandwidth_consumption", "average_storage"),
        ),
        Metric(
            "combined_bandwidth_aggregated_storage",
            col("bandwidth_consumption") + col("aggregated_monthly_avg_storage"),
            post=True,
            needs=("bandwidth_consumption", "aggregated_monthly_avg_storage"),
        ),
        # Kaltura's transcoding, REACH and API-usage sources have nothing in Vantage.
        _empty("unique_api_users"),
        _empty("transcoding_consumption"),
        _empty("transcoding_duration"),
        _empty("total_credits"),
        _empty("total_jobs_completed"),
        Metric(
            # Kaltura's: plays, entries and their length against the best row's
            "contributor_ranking",
            sum_of(
                [
                    5 * _of_best("count_plays"),
                    2.5 * _of_best("added_entries"),
                    2.5 * _of_best("added_msecs"),
                ]
            ),
            post=True,
            needs=("count_plays", "added_entries", "added_msecs"),
        ),
        Metric(
            # Kaltura's: plays and users against the best row's, plus completion (max 2.5)
            "engagement_ranking",
            5 * _of_best("count_plays")
            + 2.5 * _of_best("unique_known_users")
            + fn("least", 2.5, 0.025 * col("avg_completion_rate")),
            post=True,
            needs=("count_plays", "unique_known_users", "avg_completion_rate"),
        ),
    )
}


def events_of(names: list[str]) -> tuple[str, ...]:
    """The event types a query of these metrics reads, in a stable order."""
    found: dict[str, None] = {}
    for name in names:
        metric = METRICS[name]
        for needed in metric.needs:
            found.update(dict.fromkeys(METRICS[needed].events))
        found.update(dict.fromkeys(metric.events))
    return tuple(found)
