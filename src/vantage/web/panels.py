"""The panels: each one the core's answer for a page's question, as the JSON twin's object and
the fragment's template. No arithmetic here beyond rounding in the templates."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from vantage.analytics import room_panels as rp
from vantage.store.engine import Engine
from vantage.web.dates import BadInput

ORDER_DEFAULT = "-live_view_time"
PAGE_SIZES = (10, 25, 50)
MAX_PAGE = 100_000
MAX_SEARCH = 64


@dataclass(frozen=True)
class Panel:
    name: str
    title: str
    template: str
    answer: Callable[[Engine, rp.Ask, Mapping[str, str]], dict[str, Any]]
    rooms_only: bool = False  # not on a channel (category) page


def _overview(engine: Engine, ask: rp.Ask, params: Mapping[str, str]) -> dict[str, Any]:
    found = rp.overview(engine, ask)
    out = dataclasses.asdict(found)
    out["participation"] = [dataclasses.asdict(t) for t in found.participation]
    return out


def _engagement(engine: Engine, ask: rp.Ask, params: Mapping[str, str]) -> dict[str, Any]:
    order = params.get("order") or ORDER_DEFAULT
    if order.lstrip("+-") not in rp.ENGAGEMENT_COLUMNS:
        raise BadInput(f"the table is ordered by one of: {', '.join(rp.ENGAGEMENT_COLUMNS)}")
    page = _whole(params.get("page") or "1", "page", MAX_PAGE)
    size = _whole(params.get("size") or str(PAGE_SIZES[0]), "size", PAGE_SIZES[-1])
    if size not in PAGE_SIZES:
        raise BadInput(f"'size' is one of {', '.join(map(str, PAGE_SIZES))}")
    search = (params.get("search") or "").strip()
    if len(search) > MAX_SEARCH:
        raise BadInput(f"a search has at most {MAX_SEARCH} letters")
    found = rp.engagement(engine, ask, order, page, size, search)
    out = dataclasses.asdict(found)
    # a heatmap is a session's, minute by minute: only when the page picked one of a room's
    heatmaps = None
    if params.get("session") and len(ask.entry_ids) == 1:
        people = [str(r["user_id"]) for r in found.rows]
        heatmaps = rp.heatmaps(engine, ask, ask.entry_ids[0], people)
    out["heatmaps"] = heatmaps
    out["search"] = search if len(search) >= rp.SEARCH_MIN else ""
    out["pages"] = max(1, -(-found.total_count // size))
    return out


def _timeline(engine: Engine, ask: rp.Ask, params: Mapping[str, str]) -> dict[str, Any]:
    """A session's minutes (none without a session: minutes over days say nothing)."""
    if not params.get("session"):
        return {"minutes": None}
    (entry,) = ask.entry_ids
    found = rp.timeline(engine, ask, entry)
    return {"minutes": [{**dataclasses.asdict(m), "engaged_rate": m.engaged_rate} for m in found]}


def _interactions(engine: Engine, ask: rp.Ask, params: Mapping[str, str]) -> dict[str, Any]:
    (entry,) = ask.entry_ids  # a room's panel only
    found = rp.polls(engine, ask.partner_id, entry, ask.start, ask.last)
    return {"polls": [dataclasses.asdict(p) for p in found]}


def _whole(text: str, name: str, most: int) -> int:
    if not (text.isascii() and text.isdigit() and 1 <= int(text[:7]) <= most):
        raise BadInput(f"'{name}' is a whole number from 1 to {most}")
    return int(text)


PANELS: dict[str, Panel] = {
    p.name: p
    for p in (
        Panel("overview", "Overview", "panels/overview.html", _overview),
        Panel("engagement", "Viewer engagement", "panels/engagement.html", _engagement),
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
            rooms_only=True,
        ),
    )
}

COMING = (
    ("interactions-pdf", "Interactions as a PDF"),
    ("recordings", "Recordings"),
    ("countries", "Countries"),
    ("devices", "Top devices"),
)
"""Panels of issue 11 not built yet: the page names them, with no numbers."""
