"""The room dashboard's panels, declared once over the report types Kaltura's own page reads.

A panel is a question about some rooms (one room, or every room of a category) in a range; each
answer is plain typed values computed by ``run`` from the numbered report types, so the page, its
JSON twin and the Kaltura API read the same numbers:

* the overview's averages and counts are the totals of 60001 ``EP_WEBCAST_HIGHLIGHTS`` and
  60010 ``EP_WEBCAST_LIVE_USER_ENGAGEMENT``; its unique viewers are the total of 60002
  ``EP_WEBCAST_UNIQUE_USERS``, as Kaltura's page reads them; its recording plays are the
  total of 60005 ``EP_WEBCAST_TOP_RECORDING`` (``vantage.analytics.recording_panels``);
* a participation tile's share counts the rows of 60010 whose metric is above 0, divided by the
  tile's population: unique viewers for reactions and downloads, logged-in users (the rows of
  60010: everyone with a user id who was in the room or did something there) for chat, Q&A
  and polls, as Kaltura divides them;
* the viewer engagement table is 60010's table and total, its search the users whose first or
  last name begins with the text (at most :data:`SEARCH_LIMIT`), as Kaltura's page looks them
  up;
* a room's session list is its sessions that have started, latest first.

The dashboard's per-minute panels (the timeline, each person's heatmap, the interactions) are
``vantage.analytics.session_panels``, run by ``run.timeline``, ``run.heatmap`` and
``run.interactions``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vantage.analytics import query, recording_panels, run
from vantage.analytics.report_types import REPORTS, ReportType
from vantage.sql.expr import Col, Lit, Order, all_of, fn
from vantage.sql.plan import Select, Table, read
from vantage.store.engine import Engine
from vantage.store.engine import rows as _rows

HIGHLIGHTS = REPORTS[60001]
ENGAGEMENT = REPORTS[60010]
UNIQUE_USERS = REPORTS[60002]
"""Unique viewers: of recordings (VOD), live (rooms included), either."""

VIEWERS = "unique viewers"
LOGGED_IN = "logged-in users"


@dataclass(frozen=True)
class Participation:
    """A participation tile: who did it, counted in 60010's rows, over which population."""

    name: str
    label: str
    metric: str  # a 60010 column
    population: str  # VIEWERS or LOGGED_IN
    counted: str | None  # what the count under the share counts; None: no count shown


PARTICIPATION: tuple[Participation, ...] = (
    Participation("reactions", "Reactions", "count_reaction_clicked", VIEWERS, "reactions sent"),
    Participation(
        "group_chat", "Group chat", "count_group_chat_messages_sent", LOGGED_IN, "messages"
    ),
    Participation("polls", "Polls", "count_poll_answered", LOGGED_IN, None),
    Participation("qna", "Q&A", "count_q_and_a_threads", LOGGED_IN, "threads"),
    Participation(
        "downloads",
        "Attachment downloads",
        "count_download_attachment_clicked",
        VIEWERS,
        "downloads",
    ),
)


@dataclass(frozen=True)
class Ask:
    """Which rooms, whose, and when: ``start`` to ``last`` inclusive, unix seconds."""

    partner_id: int
    start: int
    last: int
    entry_ids: tuple[str, ...] = ()
    category_id: int | None = None

    def values(self) -> dict[str, Any]:
        """The report input filter of these rooms and range, by Kaltura's names."""
        values: dict[str, Any] = {"fromDate": self.start, "toDate": self.last}
        if self.entry_ids:
            values["entryIdIn"] = ",".join(self.entry_ids)
        if self.category_id is not None:
            values["categoriesIdsIn"] = str(self.category_id)
        return values

    def query(self, report: ReportType, user_ids: Sequence[str] = ()) -> query.ReportQuery:
        objects = ",".join(user_ids) if user_ids else None
        return query.build(report, frozenset({self.partner_id}), self.values(), objects, {})


@dataclass(frozen=True)
class Tile:
    name: str
    label: str
    share: float | None  # of the population; None when the population is empty
    count: float | None
    population: str
    population_size: int
    counted: str | None


@dataclass(frozen=True)
class Overview:
    unique_viewers: int
    live_viewers: int
    recording_viewers: int
    avg_minutes_viewed: float
    avg_live_minutes_viewed: float
    avg_live_engagement_rate: float | None
    logged_in_users: int
    participation: tuple[Tile, ...]
    recording_plays: int


def overview(engine: Engine, ask: Ask) -> Overview:
    engagement = ask.query(ENGAGEMENT)
    (unique, highlights_total, total), people = run.totals_and_above_zero(
        engine,
        [ask.query(UNIQUE_USERS), ask.query(HIGHLIGHTS), engagement],
        engagement,
        [p.metric for p in PARTICIPATION],
    )
    audience = unique.named
    viewers = int(audience.get("unique_vod_live_viewers") or 0)
    highlights = highlights_total.values or (0, 0, 0)
    sums = total.named
    sizes = {VIEWERS: viewers, LOGGED_IN: people.rows}
    tiles = []
    for p in PARTICIPATION:
        did = people.counts[p.metric]
        size = sizes[p.population]
        tiles.append(
            Tile(
                p.name,
                p.label,
                did / size if size else None,
                sums.get(p.metric, 0) if p.counted else None,
                p.population,
                size,
                p.counted,
            )
        )
    ratio = sums.get("combined_live_engaged_users_play_time_ratio")
    return Overview(
        unique_viewers=viewers,
        live_viewers=int(audience.get("unique_combined_live_viewers") or 0),
        recording_viewers=int(audience.get("unique_vod_viewers") or 0),
        avg_minutes_viewed=float(highlights[2] or 0),
        avg_live_minutes_viewed=float(highlights[1] or 0),
        avg_live_engagement_rate=None if ratio is None else float(ratio),
        logged_in_users=people.rows,
        participation=tuple(tiles),
        recording_plays=recording_panels.plays(engine, ask),
    )


def _all_rows(engine: Engine, q: query.ReportQuery) -> list[dict[str, Any]]:
    """Every row of a report type's table, as header → value."""
    found: list[dict[str, Any]] = []
    index = 1
    while True:
        table = run.get_table(engine, q, None, PAGE_ROWS, index)
        found += table.records
        if len(found) >= table.total_count or not table.rows:
            return found
        index += 1


PAGE_ROWS = 10_000
SEARCH_LIMIT = 500
SEARCH_MIN = 3
ENGAGEMENT_COLUMNS = (
    "live_view_time",
    "count_reaction_clicked",
    "count_group_chat_messages_sent",
    "count_poll_answered",
    "count_raise_hand_clicked",
    "combined_live_engaged_users_play_time_ratio",
)
"""What the viewer engagement table shows and may be ordered by, in the seeds' order."""


@dataclass(frozen=True)
class Engagement:
    rows: list[dict[str, Any]]
    total: dict[str, Any]  # the Total row: 60010's total over the same people
    total_count: int
    page: int
    size: int
    order: str


def engagement(
    engine: Engine, ask: Ask, order: str, page: int, size: int, search: str = ""
) -> Engagement:
    """One page of 60010 ordered by ``order`` (a column of ENGAGEMENT_COLUMNS, ``+`` first for
    ascending, else descending, as Kaltura's ``order``); with a search of at least SEARCH_MIN
    letters, only the people it finds."""
    user_ids: list[str] = []
    if len(search.strip()) >= SEARCH_MIN:
        user_ids = find_users(engine, ask.partner_id, search)
        if not user_ids:
            return Engagement([], {}, 0, page, size, order)
    q = ask.query(ENGAGEMENT, user_ids)
    table = run.get_table(engine, q, order, size, page)
    total = run.get_total(engine, q)
    return Engagement(
        table.records,
        total.named,
        table.total_count,
        page,
        size,
        order,
    )


def find_users(engine: Engine, partner_id: int, text: str) -> list[str]:
    """Ids of the partner's users whose first or last name begins with ``text`` (any case)."""
    wanted = Lit(text.strip().lower())
    begins = fn(
        "starts_with", fn("lower", fn("coalesce", Col("first_name", "t"), "")), wanted
    ) | fn("starts_with", fn("lower", fn("coalesce", Col("last_name", "t"), "")), wanted)
    condition = all_of([Col("partner_id", "t").eq(partner_id), begins])
    plan = read("users", ["id"], condition, ("id",), SEARCH_LIMIT, 0)
    return [str(row[0]) for row in _rows(engine, plan)]


@dataclass(frozen=True)
class Session:
    id: str
    entry_id: str
    start: int  # unix seconds
    end: int | None  # None: not ended


def sessions(engine: Engine, partner_id: int, entry_id: str, limit: int = 500) -> list[Session]:
    """The room's sessions that have started, latest first (at most ``limit``)."""
    condition = all_of(
        [
            Col("partner_id", "t").eq(partner_id),
            Col("entry_id", "t").eq(entry_id),
            Col("start_time", "t").not_null(),
        ]
    )
    plan = Select(
        (
            ("id", Col("id", "t")),
            ("entry_id", Col("entry_id", "t")),
            ("start", fn("unix_seconds", Col("start_time", "t"))),
            ("end", fn("unix_seconds", Col("end_time", "t"))),
        ),
        Table("room_sessions"),
        "t",
        where=condition,
        order_by=(Order(Col("start_time", "t"), descending=True),),
        limit=limit,
    )
    return [
        Session(str(r[0]), str(r[1]), int(r[2]), None if r[3] is None else int(r[3]))
        for r in _rows(engine, plan)
    ]


# --- Countries and top devices: 60007 and 60006 ----------------------------------------------

COUNTRIES = REPORTS[60007]
DEVICES = REPORTS[60006]
SHOWN = 10
"""Rows a countries or devices table shows; the rest are counted ("and N more")."""
_LIVE, _RECORDING = "unique_combined_live_viewers", "unique_vod_viewers"


@dataclass(frozen=True)
class ViewersBy:
    """A table of 60007 or 60006: its rows (by header) with the most live and recording
    viewers, and how many rows it has in all."""

    column: str  # the header naming a row: ``country`` or ``device``
    rows: list[dict[str, Any]]
    more: int  # rows beyond those shown
    total_count: int


def viewers_by(
    engine: Engine, ask: Ask, report: ReportType, column: str, shown: int = SHOWN
) -> ViewersBy:
    """Every row of the report's table, the ``shown`` first by live plus recording viewers
    (more first; a tie by name, the row of no name last). A person counts once a row but may
    count in several (one device live, another for a recording)."""
    rows = _all_rows(engine, ask.query(report))
    rows.sort(key=lambda r: (-(r[_LIVE] + r[_RECORDING]), r[column] is None, r[column] or ""))
    return ViewersBy(column, rows[:shown], max(0, len(rows) - shown), len(rows))
