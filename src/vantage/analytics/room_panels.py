"""The room dashboard's panels, declared once over the report types Kaltura's own page reads.

A panel is a question about some rooms (one room, or every room of a category) in a range; each
answer is plain typed values computed by ``run`` from the numbered report types, so the page, its
JSON twin and the Kaltura API read the same numbers:

* the overview's averages and counts are the totals of 60001 ``EP_WEBCAST_HIGHLIGHTS`` and
  60010 ``EP_WEBCAST_LIVE_USER_ENGAGEMENT``; its unique viewers are the total of
  :data:`AUDIENCE`, a report type of the dashboard's own (Kaltura's page reads its "EP webcast
  unique users", which Vantage's numbered reports do not carry);
* a participation tile's share counts the rows of 60010 whose metric is above 0, divided by the
  tile's population: unique viewers for reactions and downloads, logged-in users (the rows of
  60010: everyone with a user id who was in the room or did something there) for chat, Q&A
  and polls, as Kaltura divides them;
* the viewer engagement table is 60010's table and total, its search the users whose first or
  last name begins with the text (at most :data:`SEARCH_LIMIT`), as Kaltura's page looks them
  up;
* a person's heatmap is one state a minute of a session: engaged when any of their presence
  periods in that minute was engaged (the core's rule, ``room_presence.MEETING_ENGAGED``; a
  minute of several periods keeps the most engaged), not engaged when they were present but
  never engaged, offline otherwise;
* the timeline is the same minutes for the room: the people present and the share of them
  engaged;
* the interactions are the rows of the ``pollsActivity`` report (every answer, with its poll's
  launch) of one room and its breakouts: per poll, the people who answered it, and per answer
  the people who gave it and their share of the poll's (Kaltura's rate). A poll nobody
  answered has no row there, so it is not listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vantage.analytics import query, run
from vantage.analytics.activity_reports import REPORTS as ACTIVITY_REPORTS
from vantage.analytics.period import between, time_at
from vantage.analytics.report_types import REPORTS, WITH_ROOMS, ReportType
from vantage.analytics.room_reports import Filter
from vantage.sql.expr import Col, Expr, Lit, Order, agg, all_of, count, fn
from vantage.sql.plan import Select, Table, read
from vantage.store.engine import Engine
from vantage.store.engine import rows as _rows
from vantage.store.room_presence import MEETING_ENGAGED, PRESENT

HIGHLIGHTS = REPORTS[60001]
ENGAGEMENT = REPORTS[60010]
AUDIENCE = ReportType(
    -60001,  # not a Kaltura report type: the API never answers it
    "DASHBOARD_AUDIENCE",
    None,
    ("unique_vod_live_viewers", "unique_combined_live_viewers", "unique_vod_viewers"),
    playback_types=(),
    sources=WITH_ROOMS,
    zero_fill=True,
)
"""Unique viewers, live or recording; live (rooms included); recording only."""

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

    def query(self, report: ReportType, user_ids: Sequence[str] = ()) -> query.ReportQuery:
        values: dict[str, Any] = {"fromDate": self.start, "toDate": self.last}
        if self.entry_ids:
            values["entryIdIn"] = ",".join(self.entry_ids)
        if self.category_id is not None:
            values["categoriesIdsIn"] = str(self.category_id)
        objects = ",".join(user_ids) if user_ids else None
        return query.build(report, frozenset({self.partner_id}), values, objects, {})


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


def overview(engine: Engine, ask: Ask) -> Overview:
    audience = run.get_total(engine, ask.query(AUDIENCE)).values or (0, 0, 0)
    highlights = run.get_total(engine, ask.query(HIGHLIGHTS)).values or (0, 0, 0)
    total = run.get_total(engine, ask.query(ENGAGEMENT))
    sums = dict(zip(total.headers, total.values or (), strict=False))
    people = _all_rows(engine, ask.query(ENGAGEMENT))
    sizes = {VIEWERS: int(audience[0] or 0), LOGGED_IN: len(people)}
    tiles = []
    for p in PARTICIPATION:
        did = sum(1 for row in people if (row.get(p.metric) or 0) > 0)
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
        unique_viewers=int(audience[0] or 0),
        live_viewers=int(audience[1] or 0),
        recording_viewers=int(audience[2] or 0),
        avg_minutes_viewed=float(highlights[2] or 0),
        avg_live_minutes_viewed=float(highlights[1] or 0),
        avg_live_engagement_rate=None if ratio is None else float(ratio),
        logged_in_users=len(people),
        participation=tuple(tiles),
    )


def _all_rows(engine: Engine, q: query.ReportQuery) -> list[dict[str, Any]]:
    """Every row of a report type's table, as header → value."""
    found: list[dict[str, Any]] = []
    index = 1
    while True:
        table = run.get_table(engine, q, None, PAGE_ROWS, index)
        found += [dict(zip(table.headers, row, strict=True)) for row in table.rows]
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
        [dict(zip(table.headers, row, strict=True)) for row in table.rows],
        dict(zip(total.headers, total.values or (), strict=False)),
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


ENGAGED, NOT_ENGAGED, OFFLINE = "engaged", "not_engaged", "offline"
HEATMAP_MINUTES = 720
"""The longest heatmap: twelve hours of minutes (a longer span shows its first twelve)."""


def heatmaps(
    engine: Engine, ask: Ask, entry_id: str, user_ids: Sequence[str]
) -> dict[str, list[str]]:
    """Each person's state for every minute from ``ask.start`` (rounded down to a minute) to
    ``ask.last``, in the room ``entry_id``."""
    first = ask.start // 60 * 60
    minutes = range(first, min(ask.last + 1, first + HEATMAP_MINUTES * 60), 60)
    if not user_ids or not minutes:
        return {u: [] for u in user_ids}
    minute = _minute()
    plan = Select(
        (
            ("user_id", Col("user_id", "t")),
            ("minute", minute),
            ("engaged", count(MEETING_ENGAGED)),
        ),
        Table("room_events"),
        "t",
        where=_present(ask, entry_id, minutes, Col("user_id", "t").isin(sorted(set(user_ids)))),
        group_by=(Col("user_id", "t"), minute),
    )
    seen = {(str(r[0]), int(r[1])): int(r[2]) for r in _rows(engine, plan)}
    out = {}
    for user in user_ids:
        states = []
        for m in minutes:
            engaged = seen.get((user, m))
            states.append(OFFLINE if engaged is None else ENGAGED if engaged else NOT_ENGAGED)
        out[user] = states
    return out


@dataclass(frozen=True)
class Minute:
    at: int  # unix seconds of the minute's start
    viewers: int  # people present in the room that minute
    engaged: int  # of them, those engaged (as in their heatmaps)

    @property
    def engaged_rate(self) -> float | None:
        return self.engaged / self.viewers if self.viewers else None


def timeline(engine: Engine, ask: Ask, entry_id: str) -> list[Minute]:
    """Every minute from ``ask.start`` (rounded down) to ``ask.last`` (at most
    HEATMAP_MINUTES), 0 where nobody was present."""
    first = ask.start // 60 * 60
    minutes = range(first, min(ask.last + 1, first + HEATMAP_MINUTES * 60), 60)
    minute, who = _minute(), Col("user_id", "t")
    plan = Select(
        (
            ("minute", minute),
            ("viewers", agg("count_distinct", who)),
            ("engaged", agg("count_distinct", who, where=MEETING_ENGAGED)),
        ),
        Table("room_events"),
        "t",
        where=_present(ask, entry_id, minutes),
        group_by=(minute,),
    )
    found = {int(r[0]): (int(r[1]), int(r[2])) for r in _rows(engine, plan)} if minutes else {}
    return [Minute(m, *found.get(m, (0, 0))) for m in minutes]


def _minute() -> Expr:
    return fn("unix_seconds", fn("trunc_time", "minute", Col("time", "t")))


def _present(ask: Ask, entry_id: str, minutes: range, *more: Expr) -> Expr:
    """Presence periods in the room ``entry_id`` during ``minutes``."""
    return all_of(
        [
            Col("partner_id", "t").eq(ask.partner_id),
            Col("entry_id", "t").eq(entry_id),
            Col("time", "t").ge(time_at(minutes.start)),
            Col("time", "t").lt(time_at(minutes.stop)),
            PRESENT,
            *more,
        ]
    )


POLLS = ACTIVITY_REPORTS["pollsActivity"]


@dataclass(frozen=True)
class Answer:
    answer: str
    participants: int  # people who gave it
    rate: float  # participants ÷ the poll's participants
    correct: bool | None  # quizzes: whether it is the right answer; None for other polls


@dataclass(frozen=True)
class Poll:
    id: str
    question: str | None
    type: str | None  # poll, quiz, ratingScale, open, crowdVote
    launched_at: int | None  # unix seconds
    participants: int  # people who answered it
    answers: tuple[Answer, ...]  # most given first


def polls(engine: Engine, partner_id: int, entry_id: str, start: int, last: int) -> list[Poll]:
    """The room's polls answered from ``start`` to ``last`` (inclusive), in launch order."""
    q = query.ReportQuery(
        POLLS,
        frozenset({partner_id}),
        between(start, last),
        filters={Filter.ENTRY_IDS: (entry_id,)},
    )
    found = run.activity_rows(engine, q)
    at = {h: i for i, h in enumerate(found.headers)}
    people: dict[str, set[str]] = {}
    givers: dict[tuple[str, str], set[str]] = {}
    right: dict[tuple[str, str], bool | None] = {}
    launch: dict[str, tuple[Any, Any, Any]] = {}
    for batch in found.batches:
        for row in zip(*(c.to_pylist() for c in batch.columns), strict=True):
            poll, user, vote = row[at["pollId"]], row[at["userId"]], row[at["vote"]]
            people.setdefault(poll, set()).add(user)
            givers.setdefault((poll, vote), set()).add(user)
            if row[at["isCorrect"]] is not None:
                right[(poll, vote)] = bool(row[at["isCorrect"]]) or right.get((poll, vote), False)
            launch[poll] = (row[at["question"]], row[at["type"]], row[at["schedulingTime"]])
    out = []
    for poll, who in people.items():
        question, kind, launched = launch[poll]
        answers = sorted(
            (
                Answer(vote, len(g), len(g) / len(who), right.get((p, vote)))
                for (p, vote), g in givers.items()
                if p == poll
            ),
            key=lambda a: (-a.participants, a.answer),
        )
        when = None if launched is None else int(launched.replace(tzinfo=dt.UTC).timestamp())
        out.append(Poll(poll, question, kind, when, len(who), tuple(answers)))
    return sorted(out, key=lambda p: (p.launched_at is None, p.launched_at or 0, p.id))
