"""The panels: each one the core's answer for a page's question, as the JSON twin's object and
the fragment's template. No arithmetic here beyond rounding in the templates."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from vantage.analytics import recording_panels, run
from vantage.analytics import room_panels as rp
from vantage.analytics.report_types import ReportType
from vantage.analytics.session_panels import MINUTE, PanelQuery, Point
from vantage.store.engine import Engine
from vantage.web.dates import BadInput

ORDER_DEFAULT = "-live_view_time"
PAGE_SIZES = (10, 25, 50)
MAX_PAGE = 100_000
MAX_SEARCH = 64
PRINT_ROWS = 500  # a printed report's engagement table: the first so many people, not a page


@dataclass(frozen=True)
class Asking:
    """A panel's question, as the core takes it: the page's rooms and range for the reports'
    panels, and the session panels' query (the room and the session picked, if any, or the
    channel's category; the range)."""

    ask: rp.Ask
    room: PanelQuery


@dataclass(frozen=True)
class Panel:
    name: str
    title: str
    template: str
    answer: Callable[[Engine, Asking, Mapping[str, str]], dict[str, Any]]
    rooms_only: bool = False  # not on a channel (category) page
    # the answer a printed report shows, where it differs from the page's (a report is not
    # paged); None: the page's
    printed: Callable[[Engine, Asking, Mapping[str, str]], dict[str, Any]] | None = None


def _overview(engine: Engine, asking: Asking, params: Mapping[str, str]) -> dict[str, Any]:
    found = rp.overview(engine, asking.ask)
    out = dataclasses.asdict(found)
    out["participation"] = [dataclasses.asdict(t) for t in found.participation]
    return out


def _engagement(engine: Engine, asking: Asking, params: Mapping[str, str]) -> dict[str, Any]:
    page = _whole(params.get("page") or "1", "page", MAX_PAGE)
    size = _whole(params.get("size") or str(PAGE_SIZES[0]), "size", PAGE_SIZES[-1])
    if size not in PAGE_SIZES:
        raise BadInput(f"'size' is one of {', '.join(map(str, PAGE_SIZES))}")
    return _table(engine, asking, params, page, size)


def _engagement_printed(
    engine: Engine, asking: Asking, params: Mapping[str, str]
) -> dict[str, Any]:
    """The table of the page's order and search, its first PRINT_ROWS people in one."""
    return _table(engine, asking, params, 1, PRINT_ROWS)


def _table(
    engine: Engine, asking: Asking, params: Mapping[str, str], page: int, size: int
) -> dict[str, Any]:
    ask = asking.ask
    order = params.get("order") or ORDER_DEFAULT
    if order.lstrip("+-") not in rp.ENGAGEMENT_COLUMNS:
        raise BadInput(f"the table is ordered by one of: {', '.join(rp.ENGAGEMENT_COLUMNS)}")
    search = (params.get("search") or "").strip()
    if len(search) > MAX_SEARCH:
        raise BadInput(f"a search has at most {MAX_SEARCH} letters")
    found = rp.engagement(engine, ask, order, page, size, search)
    out = dataclasses.asdict(found)
    # a heatmap is a session's, minute by minute: only when the page picked one of a room's
    heatmaps: dict[str, list[str]] | None = None
    step: int | None = None
    if asking.room.session_id is not None:
        people = [str(r["user_id"]) for r in found.rows]
        heatmap = run.heatmap(engine, asking.room, people)
        if heatmap is None:  # a session with no span yet (nobody came, no end)
            heatmaps = {u: [] for u in people}
        else:
            heatmaps = {u: [s.value for s in states] for u, states in heatmap.states.items()}
            step = heatmap.span.step
    out["heatmaps"] = heatmaps
    out["heatmap_step"] = step
    out["search"] = search if len(search) >= rp.SEARCH_MIN else ""
    out["pages"] = max(1, -(-found.total_count // size))
    return out


def _timeline(engine: Engine, asking: Asking, params: Mapping[str, str]) -> dict[str, Any]:
    """A session's points (none without a session: minutes over days say nothing)."""
    room = asking.room
    if room.session_id is None:
        return {"step": None, "points": None}
    found = run.timeline(engine, room)
    return {"step": _step(found), "points": [_point(p) for p in found]}


def _step(points: list[Point]) -> int | None:
    """The span's step in seconds, read off its points (one a step, in order); a span of one
    point is a minute's (a coarser step comes only with more than MAX_POINTS minutes)."""
    if not points:
        return None
    return points[1].start - points[0].start if len(points) > 1 else MINUTE


def _point(p: Point) -> dict[str, Any]:
    return {**dataclasses.asdict(p), "rate": p.rate}


def _stage(engine: Engine, asking: Asking, params: Mapping[str, str]) -> dict[str, Any]:
    found = run.on_stage(engine, asking.room)
    return {"people": [{**dataclasses.asdict(p), "share": p.share} for p in found]}


def _interactions(engine: Engine, asking: Asking, params: Mapping[str, str]) -> dict[str, Any]:
    found = run.interactions(engine, asking.room)
    return {"interactions": [dataclasses.asdict(i) for i in found]}


def _recordings(engine: Engine, asking: Asking, params: Mapping[str, str]) -> dict[str, Any]:
    page = _whole(params.get("page") or "1", "page", MAX_PAGE)
    viewers_page = _whole(params.get("viewers_page") or "1", "viewers_page", MAX_PAGE)
    found = recording_panels.recordings(engine, asking.ask, page, viewers_page)
    out = dataclasses.asdict(found)
    for listing in (out["recordings"], out["viewers"]):
        listing["pages"] = max(1, -(-listing["total_count"] // recording_panels.ROWS))
    return out


def _viewers_by(
    report: ReportType, column: str
) -> Callable[[Engine, Asking, Mapping[str, str]], dict[str, Any]]:
    """The countries or devices panel: ``report``'s rows named by ``column``."""

    def answer(engine: Engine, asking: Asking, params: Mapping[str, str]) -> dict[str, Any]:
        return dataclasses.asdict(rp.viewers_by(engine, asking.ask, report, column))

    return answer


def _whole(text: str, name: str, most: int) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text[:7]) <= most):
        raise BadInput(f"'{name}' is a whole number from 1 to {most}")
    return int(text)


PANELS: dict[str, Panel] = {
    p.name: p
    for p in (
        Panel("overview", "Overview", "panels/overview.html", _overview),
        Panel(
            "engagement",
            "Viewer engagement",
            "panels/engagement.html",
            _engagement,
            printed=_engagement_printed,
        ),
        Panel("stage", "Stage participation", "panels/stage.html", _stage),
        Panel(
            "timeline",
            "Live viewers and engagement over the session",
            "panels/timeline.html",
            _timeline,
            rooms_only=True,
        ),
        Panel(
            "interactions",
            "Interactions: polls, quizzes and their answers",
            "panels/interactions.html",
            _interactions,
        ),
        Panel("recordings", "Recordings", "panels/recordings.html", _recordings),
        Panel(
            "countries",
            "Countries",
            "panels/viewers_by.html",
            _viewers_by(rp.COUNTRIES, "country"),
        ),
        Panel(
            "devices", "Top devices", "panels/viewers_by.html", _viewers_by(rp.DEVICES, "device")
        ),
    )
}
