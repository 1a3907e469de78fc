"""The custom report menu of a room or channel page (seeds 003 and 004): the Reports
Microservice's named reports of the room (or of every room of the channel's category) for the
page's range, downloaded as the same CSV its jobs write.

Who may download: a partner-wide session, and a session limited to virtual events
(``virtualeventid``), as the Reports Microservice lets only such a KS read chat & collaboration
reports. A session limited to rooms or a category (an LMS link for one person) gets no menu:
transcripts and moderation are not a participant's to read. The chat & collaboration reports
are read per virtual event (a room's, or those of a channel's rooms), so a room of none offers
only the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from starlette.responses import StreamingResponse

from vantage.analytics import catalog
from vantage.entities import repository
from vantage.entities.model import KINDS
from vantage.ingest.store import Store
from vantage.jobs.csv_file import csv_chunks
from vantage.web.errors import WebError
from vantage.web.viewer import Viewer

MENU: tuple[str, ...] = (
    "groupChatTranscripts",
    "chatModeration",
    "chatUserActivity",
    "moderatorTranscripts",
    "pollsActivity",
    "roomData",
    "attendeesData",
    "breakoutRoomSessions",
    "rsvp",
)
"""The seeds' menu, in its order (names of vantage.analytics.catalog)."""
_ROOM_KEY = {"breakoutRoomSessions": "parentEntryIds"}  # its rows are a main room's breakouts


def may_download(viewer: Viewer) -> bool:
    return viewer.entry_ids is None and viewer.category_id is None


def offered(viewer: Viewer, virtual_events: frozenset[str]) -> list[tuple[str, str]]:
    """(name, title) of the reports the viewer may download for rooms of these virtual
    events."""
    if not may_download(viewer):
        return []
    return [
        (name, catalog.NAMES[name].title)
        for name in MENU
        if virtual_events or not catalog.NAMES[name].privileged
    ]


def category_events(store: Store, partner_id: int, category_id: int) -> frozenset[str]:
    """The virtual events of the category's rooms (its breakouts share their main room's)."""
    found: set[str] = set()
    kind, wanted = KINDS["entries"], {"kind": "room", "category_ids": category_id}
    offset, total = 0, 1
    while offset < total:
        rooms, total = repository.list_items(
            store.engine, kind, partner_ids=[partner_id], filters=wanted, offset=offset
        )
        found |= {str(r["virtualEventId"]) for r in rooms if r.get("virtualEventId") is not None}
        offset += len(rooms) or total
    return frozenset(found)


def download(
    store: Store,
    viewer: Viewer,
    name: str,
    subject: tuple[str, str],
    virtual_events: frozenset[str],
    start: int,
    last: int,
) -> StreamingResponse:
    """The report's CSV for ``subject`` — (``rooms``, entry id) or (``categories``, category
    id) — of these virtual events, from ``start`` to ``last`` (unix seconds, both
    included)."""
    kind, key = subject
    if name not in dict(offered(viewer, virtual_events)):
        if may_download(viewer) and name in MENU:
            raise WebError(404, _NO_EVENT[kind])
        raise WebError(404 if may_download(viewer) else 403, "There is no such report here.")
    rooms = "categories_ids" if kind == "categories" else _ROOM_KEY.get(name, "entries_ids")
    parameters = {rooms: [key], "fromDate": start, "toDate": last}
    # the virtual events are granted when the viewer may see the room or category (checked by
    # the page before) and, for a session limited to virtual events, when the room is of one
    try:
        prepared = catalog.prepare(name, parameters, frozenset({viewer.partner_id}), virtual_events)
        found = catalog.rows(store.engine, prepared)
    except catalog.CatalogError as exc:
        raise WebError(400, str(exc)) from None
    chunks: Iterator[bytes] = (chunk for chunk, _ in csv_chunks(found.headers, found.batches))
    label = key if kind == "rooms" else f"category-{key}"
    filename = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{name}-{label}.csv")
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


_NO_EVENT = {
    "rooms": "This room belongs to no virtual event: no chat reports.",
    "categories": "No room of this channel belongs to a virtual event: no chat reports.",
}
