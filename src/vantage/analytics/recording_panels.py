"""The room dashboard's recordings: what was watched of the recordings of the page's rooms, per
recording (60005 ``EP_WEBCAST_TOP_RECORDING``) and per viewer (60012
``EP_WEBCAST_VOD_USER_TOP_CONTENT``), and how often they were played (the overview's recording
plays: 60005's total).

These report types read ``entryIdIn`` as the rooms and their recordings, the entries whose
``root_entry_id`` is one of the rooms or one of their breakout rooms (``ReportType.recordings``),
and count those entries' VOD player plays. A room's page asks for its room; a channel's page
for the rooms of its category, whose own videos and podcasts are not recordings.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from vantage.analytics import run
from vantage.analytics.query import ReportQuery
from vantage.analytics.report_types import REPORTS
from vantage.sql.expr import Col, Type, all_of, array, fn
from vantage.sql.plan import read
from vantage.store.engine import Engine
from vantage.store.engine import rows as _rows

if TYPE_CHECKING:  # room_panels' overview reads the recording plays from here
    from vantage.analytics.room_panels import Ask

TOP_RECORDING = REPORTS[60005]
VOD_USER_TOP_CONTENT = REPORTS[60012]
ROWS = 50
"""Rows a page of each table shows, most played first."""
MAX_ROOMS = 10_000
"""Rooms of a channel whose recordings are looked for (a category holds far fewer)."""


@dataclass(frozen=True)
class Listing:
    """A page of ``ROWS`` rows of a report type's table, most plays first, and its total."""

    rows: list[dict[str, Any]]
    total: dict[str, Any]  # empty when nothing was played
    total_count: int
    page: int


@dataclass(frozen=True)
class Recordings:
    recordings: Listing  # 60005: per recording
    viewers: Listing  # 60012: per viewer


def rooms_ask(engine: Engine, ask: Ask) -> Ask | None:
    """The question about the recordings: a room's own ask; a channel's, of every room of its
    category (None: it has none, so no recordings)."""
    if ask.category_id is None:
        return ask
    condition = all_of(
        [
            Col("partner_id", "t").eq(ask.partner_id),
            Col("kind", "t").eq("room"),
            fn("list_has_any", Col("category_ids", "t"), array([ask.category_id], Type.INT)),
        ]
    )
    plan = read("entries", ["id"], condition, ("id",), MAX_ROOMS, 0)
    rooms = tuple(str(r[0]) for r in _rows(engine, plan))
    return replace(ask, entry_ids=rooms, category_id=None) if rooms else None


def recordings(engine: Engine, ask: Ask, page: int = 1, viewers_page: int = 1) -> Recordings:
    """Page ``page`` of the recordings and page ``viewers_page`` of their viewers."""
    asked = rooms_ask(engine, ask)
    if asked is None:
        return Recordings(Listing([], {}, 0, page), Listing([], {}, 0, viewers_page))
    return Recordings(
        _listing(engine, asked.query(TOP_RECORDING), page),
        _listing(engine, asked.query(VOD_USER_TOP_CONTENT), viewers_page),
    )


def plays(engine: Engine, ask: Ask) -> int:
    """How often the rooms' recordings were played: 60005's total ``count_plays``."""
    asked = rooms_ask(engine, ask)
    if asked is None:
        return 0
    total = run.get_total(engine, asked.query(TOP_RECORDING))
    return int(total.named.get("count_plays", 0))


def _listing(engine: Engine, q: ReportQuery, page: int) -> Listing:
    table = run.get_table(engine, q, None, ROWS, page)
    total = run.get_total(engine, q)
    return Listing(
        table.records,
        total.named,
        table.total_count,
        page,
    )
