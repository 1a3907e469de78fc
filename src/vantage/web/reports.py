"""The custom report menu of a room page (seeds 003 and 004): the Reports Microservice's named
reports of the room for the page's range, downloaded as the same CSV its jobs write.

Who may download: a partner-wide session, and a session limited to virtual events
(``virtualeventid``), as the Reports Microservice lets only such a KS read chat & collaboration
reports. A session limited to rooms or a category (an LMS link for one person) gets no menu:
transcripts and moderation are not a participant's to read. The chat & collaboration reports
are read per virtual event, so a room of none offers only the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from starlette.responses import StreamingResponse

from vantage.analytics import catalog
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


def offered(viewer: Viewer, virtual_event_id: int | None) -> list[tuple[str, str]]:
    """(name, title) of the reports the viewer may download for a room of this virtual event."""
    if not may_download(viewer):
        return []
    return [
        (name, catalog.NAMES[name].title)
        for name in MENU
        if virtual_event_id is not None or not catalog.NAMES[name].privileged
    ]


def download(
    store: Store,
    viewer: Viewer,
    name: str,
    entry_id: str,
    virtual_event_id: int | None,
    start: int,
    last: int,
) -> StreamingResponse:
    """The report's CSV for the room from ``start`` to ``last`` (unix seconds, both included)."""
    if name not in dict(offered(viewer, virtual_event_id)):
        if may_download(viewer) and name in MENU:
            raise WebError(404, "This room belongs to no virtual event: no chat reports.")
        raise WebError(404 if may_download(viewer) else 403, "There is no such report here.")
    parameters = {_ROOM_KEY.get(name, "entries_ids"): [entry_id], "fromDate": start, "toDate": last}
    # the room's virtual event is granted when the viewer may see the room (checked by the
    # page before) and, for a session limited to virtual events, when it is one of them
    granted = frozenset() if virtual_event_id is None else frozenset({str(virtual_event_id)})
    try:
        prepared = catalog.prepare(name, parameters, frozenset({viewer.partner_id}), granted)
        found = catalog.rows(store.engine, prepared)
    except catalog.CatalogError as exc:
        raise WebError(400, str(exc)) from None
    chunks: Iterator[bytes] = (chunk for chunk, _ in csv_chunks(found.headers, found.batches))
    filename = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{name}-{entry_id}.csv")
    return StreamingResponse(
        chunks,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
