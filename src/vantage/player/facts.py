"""What Vantage derives from player beacons, declared once: the per-beacon derived columns of
``player_events`` (their rules' constants here, worked out by vantage.player.derive) and the
hourly facts (``player_facts``) the reports read, as expressions (vantage.sql).

Derived when a beacon is stored, from it, the play's previous view and the entry's duration
(docs/player-analytics.md explains each rule):

* ``play_time`` — a view's seconds of playback since the play's previous view; a quartile
  beacon's quarter of the entry's duration (the "quartile" view time of ``sum_time_viewed``).
* ``coverage`` — the percentiles (0–100) of a VOD entry the play has watched up to this view,
  as bits of a HUGEINT (a view covers the ``play_time × playbackSpeed`` seconds of the entry
  before its position); ``new_percentiles`` — how many of them this view added.

A *play* is the views of one player session and entry; a view more than an hour after the
play's previous one starts a new play. A view without a session (the player sent an empty
``sessionId``) is a play of its own: nothing tells whose views it continues. The facts group
beacons by hour and by every key a report can select or filter on; each measure re-aggregates
exactly (sums, bit unions, and distinct users and entries, which stay keys), so any set of
whole hours of the facts equals the same aggregation over the raw beacons.
"""

from __future__ import annotations

from dataclasses import dataclass

from vantage.sql.duckdb import DuckDB
from vantage.sql.expr import Agg, Col, Expr, Type, agg, case, count, fn
from vantage.sql.plan import Relation, Select, Table
from vantage.store import compaction

VIEW = 99
QUARTILES = (11, 12, 13, 14)
PLAY_GAP_SECONDS = 3600
"""A view more than this after the play's previous view starts a new play."""
RESET_LIMIT_SECONDS = 60
"""A view whose play time differs from the previous one's by more than this (or less than 0)
counts its own playTimeSum, at most one 10-second period."""


@dataclass(frozen=True)
class Derived:
    name: str
    sql_type: str


DERIVED: tuple[Derived, ...] = (
    Derived("play_time", "DOUBLE"),
    Derived("coverage", "HUGEINT"),
    Derived("new_percentiles", "SMALLINT"),
)


B = "b"
"""The alias of the beacon rows that keys and measures read."""


def _b(column: str) -> Col:
    return Col(column, B)


ENGAGEMENT = case(
    (_b("sound_mode").eq(2) & _b("tab_mode").eq(2) & _b("screen_mode").eq(2), "high"),
    (_b("sound_mode").eq(2) & _b("tab_mode").eq(2), "good"),
    (_b("sound_mode").eq(2), "fair"),
    (_b("tab_mode").eq(2), "low"),
    otherwise="none",
)
"""Kaltura's engagement class of a view, from its sound, tab and screen modes."""

USER_ENGAGEMENT = fn(
    "concat",
    case((_b("sound_mode").eq(2), "SoundOn"), otherwise="SoundOff"),
    case((_b("tab_mode").eq(2), "TabFocused"), otherwise="TabNotFocused"),
    case(
        (_b("screen_mode").eq(2), "FullScreen"),
        (_b("screen_mode").eq(1), "FullScreenOff"),
        otherwise="",
    ),
)
"""Kaltura's ``userEngagement`` value of a view."""


@dataclass(frozen=True)
class Key:
    name: str
    expr: Expr  # over a derived beacon row ``b``
    sql_type: str  # as stored in DuckDB's player_facts

    @property
    def type(self) -> Type:
        return _TYPES[self.sql_type]


@dataclass(frozen=True)
class Measure:
    name: str
    expr: Agg  # over derived beacon rows ``b``
    sql_type: str
    merge: str = "sum"  # the aggregate that merges the measure of several fact rows

    @property
    def type(self) -> Type:
        return _TYPES[self.sql_type]


_TYPES = {
    "BIGINT": Type.INT,
    "INTEGER": Type.INT,
    "SMALLINT": Type.INT,
    "DOUBLE": Type.FLOAT,
    "VARCHAR": Type.TEXT,
    "TIMESTAMP": Type.TIME,
    "HUGEINT": Type.BITS,
}

BUCKET_KEY = Key("bucket", fn("trunc_time", "hour", _b("received_at")), "TIMESTAMP")

_SPEED, _ERROR, _REPORT = 41, 98, 25


def _plain(name: str, sql_type: str = "VARCHAR") -> Key:
    return Key(name, _b(name), sql_type)


KEYS: tuple[Key, ...] = (
    _plain("partner_id", "BIGINT"),
    BUCKET_KEY,
    _plain("entry_id"),
    _plain("user_id"),
    _plain("playback_type"),
    # Kaltura's eventVar1: what a speed, error or report beacon says.
    Key(
        "event_var1",
        case(
            # speeds as the player writes them: 2, 1.5 (not 2.0)
            (_b("event_type_id").eq(_SPEED), fn("number_text", _b("playback_speed"))),
            (_b("event_type_id").eq(_ERROR), fn("int_text", _b("error_code"))),
            (_b("event_type_id").eq(_REPORT), _b("report_type")),
        ),
        "VARCHAR",
    ),
    *(
        _plain(name)
        for name in (
            "device",
            "os_family",
            "os",
            "browser_family",
            "browser",
            "country_code",
            "country",
            "region",
            "city",
            "domain",
        )
    ),
    Key("canonical_url", fn("strip_query", _b("referrer")), "VARCHAR"),
    *(
        _plain(name)
        for name in (
            "custom_var1",
            "custom_var2",
            "custom_var3",
            "playback_context",
            "playlist_id",
            "application",
            "application_ver",
            "client_ver",
        )
    ),
    _plain("ui_conf_id", "BIGINT"),
    _plain("virtual_event_id", "BIGINT"),
)

COUNTED_EVENTS: dict[int, str] = {
    1: "playerImpression",
    2: "playRequested",
    3: "play",
    4: "resume",
    11: "playThrough25",
    12: "playThrough50",
    13: "playThrough75",
    14: "playThrough100",
    21: "shareClicked",
    22: "shared",
    23: "downloadClicked",
    24: "reportClicked",
    25: "reportSubmitted",
    31: "enterFullscreen",
    32: "exitFullscreen",
    33: "pauseClicked",
    34: "replay",
    35: "seek",
    36: "relatedClicked",
    37: "relatedSelected",
    38: "captions",
    39: "sourceSelected",
    40: "info",
    41: "speed",
    43: "flavorSwitch",
    45: "bufferStart",
    98: "error",
    99: "view",
    100: "playManifest",
    10002: "buttonClicked",
    10003: "pageLoad",
}
"""Event ids whose beacons the facts count, by Kaltura's eventType name."""


def count_column(event_type: str) -> str:
    return f"n_{event_type}"


_TYPE_ID = _b("event_type_id")


def _views(condition: Expr | None = None) -> Expr:
    is_view = _TYPE_ID.eq(VIEW)
    return is_view if condition is None else is_view & condition


def _count(name: str, condition: Expr) -> Measure:
    return Measure(name, count(condition), "INTEGER")


def _sum(name: str, value: Expr, condition: Expr, sql_type: str = "DOUBLE") -> Measure:
    return Measure(name, agg("sum", value, where=condition), sql_type)


_LEVELS = ("high", "good", "fair", "low", "none")
_BITRATE = _b("average_bitrate")
_JOINED = _TYPE_ID.eq(3) & _b("join_time").not_null()

MEASURES: tuple[Measure, ...] = (
    *(
        _count(count_column(name), _TYPE_ID.eq(event_id))
        for event_id, name in COUNTED_EVENTS.items()
    ),
    _sum("view_play_time", _b("play_time"), _views()),
    _sum("quartile_play_time", _b("play_time"), _TYPE_ID.isin(QUARTILES)),
    _sum("new_percentiles", _b("new_percentiles"), _views(), "INTEGER"),
    Measure("coverage", agg("bit_or", _b("coverage"), where=_views()), "HUGEINT", "bit_or"),
    *(
        _sum(f"{level}_play_time", _b("play_time"), _views(ENGAGEMENT.eq(level)))
        for level in _LEVELS
    ),
    _count("n_view_engaged", _views(ENGAGEMENT.isin(("high", "good")))),
    _sum("buffer_time", _b("buffer_time"), _views()),
    _sum("bitrate_sum", _BITRATE, _views(_BITRATE.gt(0))),
    _count("bitrate_count", _views(_BITRATE.gt(0))),
    # The bytes a view delivered, estimated: its average bitrate (kbit/s, × 125 = bytes/s)
    # over its play time (Vantage serves no media, so the player's word is all there is).
    _sum("delivered_bytes", _BITRATE * 125 * _b("play_time"), _views(_BITRATE.gt(0))),
    _sum("join_time_sum", _b("join_time"), _JOINED),
    _count("join_time_count", _JOINED),
)


def aggregate(source: Relation, bucket: Expr | None = None, where: Expr | None = None) -> Select:
    """The facts of the derived beacon rows of ``source`` (read as ``b``): one row per distinct
    keys. ``bucket`` replaces the hourly time key (reports read minutes or ten seconds from the
    beacons themselves); ``where`` limits the beacons read."""
    keys = [bucket if k is BUCKET_KEY and bucket is not None else k.expr for k in KEYS]
    columns = [(k.name, x) for k, x in zip(KEYS, keys, strict=True)]
    columns += [(m.name, m.expr) for m in MEASURES]
    return Select(tuple(columns), source, B, where=where, group_by=tuple(keys))


def combined(source: Relation, where: Expr | None = None) -> Select:
    """Fact rows of ``source`` (read as ``f``) merged into one row per distinct keys, exactly."""
    keys = tuple(Col(k.name, "f") for k in KEYS)
    columns: list[tuple[str, Expr]] = [(k.name, Col(k.name, "f")) for k in KEYS]
    columns += [(m.name, agg(m.merge, Col(m.name, "f"))) for m in MEASURES]
    return Select(tuple(columns), source, "f", where=where, group_by=keys)


def insert_facts_sql(source: str) -> str:
    """The DuckDB statement adding the facts of the beacons in the table ``source``."""
    return f"INSERT INTO player_facts BY NAME {DuckDB().sql(aggregate(Table(source)))}"


DIRTY_TABLE = "player_facts_dirty"
"""Hours whose facts gained rows since they were last compacted."""


def mark_dirty_sql(source: str) -> str:
    """Record the hours of the beacons in ``source`` as having new fact rows."""
    return (
        f"INSERT INTO {DIRTY_TABLE} SELECT DISTINCT date_trunc('hour', received_at) "
        f"FROM {source} ON CONFLICT DO NOTHING"
    )


FACTS = compaction.Facts("player_facts", DIRTY_TABLE, combined)
"""How DuckDB merges the fact rows of the hours that gained rows (vantage.store.compaction)."""
