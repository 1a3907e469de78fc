"""The room and category pages, their panels, and the JSON twin of each (the same URL with
``.json``): the page frame (name, range, session, time zone) and the panels' fragments, which
htmx loads in parallel."""

from __future__ import annotations

import datetime as dt
import logging
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from vantage import php
from vantage.analytics import room_panels as rp
from vantage.analytics.filters import FilterError
from vantage.analytics.period import between
from vantage.analytics.query import QueryError
from vantage.analytics.session_panels import PanelQuery
from vantage.entities import repository
from vantage.entities.model import KINDS
from vantage.ingest.store import Store
from vantage.web import dates, errors, render, reports
from vantage.web.cookies import SESSION_COOKIE, ZONE_COOKIE
from vantage.web.errors import WebError
from vantage.web.export import Exports
from vantage.web.panels import PANELS, Asking, Panel
from vantage.web.signin import COOKIE_PATH, Gate, sign_in_url
from vantage.web.viewer import Viewer

log = logging.getLogger(__name__)
DEFAULT_ZONE = "UTC"
ZONE_DAYS = 365  # how long the chosen time zone is remembered


@dataclass(frozen=True)
class Subject:
    """What a page is about: one room, or the rooms of one category."""

    kind: str  # "rooms" or "categories"
    id: str
    name: str
    ask_entries: tuple[str, ...] = ()
    category_id: int | None = None
    virtual_event_id: int | None = None  # a room's

    @property
    def url(self) -> str:
        return f"/analytics/{self.kind}/{self.id}"


@dataclass(frozen=True)
class Asked:
    """A page's question: the subject, the range (or session) and the time zone."""

    viewer: Viewer
    subject: Subject
    zone_name: str
    tz: zoneinfo.ZoneInfo
    range: dates.Range
    session: rp.Session | None
    sessions: list[rp.Session]
    set_zone: bool  # the zone came with the request: remember it

    @property
    def start(self) -> int:
        return self.session.start if self.session else self.range.start

    @property
    def end(self) -> int:
        if self.session is None:
            return self.range.end
        return self.session.end if self.session.end is not None else int(time.time())

    def ask(self) -> rp.Ask:
        # a range's end is its last second; a session's is the moment it ended, not in it
        last = self.end - 1 if self.session is not None else self.end
        return rp.Ask(
            self.viewer.partner_id,
            self.start,
            last,
            self.subject.ask_entries,
            self.subject.category_id,
        )

    def asking(self) -> Asking:
        """The panels' question: the reports' ``Ask`` and the session panels' query, of the
        viewer's partner, the room (or the category), the same range and the session."""
        ask = self.ask()
        session = None if self.session is None else self.session.id
        period = between(ask.start, ask.last)
        partners = frozenset({ask.partner_id})
        rooms = (
            PanelQuery(partners, period, self.subject.id, session)
            if self.subject.kind == "rooms"
            else PanelQuery(partners, period, category_id=self.subject.category_id)
        )
        return Asking(ask, rooms)

    def params(self) -> dict[str, str]:
        """The query string that asks the same question (for the panels' URLs)."""
        out = {**self.range.as_params(), "tz": self.zone_name}
        if self.session is not None:
            out["session"] = self.session.id
        return out

    def frame(self) -> dict[str, Any]:
        return {
            "kind": self.subject.kind,
            "id": self.subject.id,
            "name": self.subject.name,
            "time_zone": self.zone_name,
            "preset": self.range.preset,
            "from": self.range.first.isoformat(),
            "to": self.range.last.isoformat(),
            "start": self.start,
            "end": self.end,
            "session": None if self.session is None else self.session.id,
            "sessions": [_session(s, self.tz) for s in self.sessions],
        }


def _session(s: rp.Session, tz: zoneinfo.ZoneInfo) -> dict[str, Any]:
    return {
        "id": s.id,
        "start": s.start,
        "end": s.end,
        "duration_seconds": None if s.end is None else s.end - s.start,
        "date": render.local(s.start, tz, "%Y-%m-%d"),
        "start_local": render.local(s.start, tz, "%H:%M"),
        "end_local": render.local(s.end, tz, "%H:%M"),
    }


Work = Callable[[Request, Viewer, bool], Response]


class Pages:
    def __init__(self, store: Store, gate: Gate, exports: Exports) -> None:
        self._store = store
        self._gate = gate
        self._exports = exports

    # What every dashboard request goes through

    def guarded(self, as_json: bool, work: Work) -> Callable[[Request], Response]:
        """``work`` for the request's viewer, with every refusal answered as a page (or JSON)
        with its status; a ``?ks=`` link on a page signs in and comes back without the KS."""

        def endpoint(request: Request) -> Response:
            try:
                if "ks" in request.query_params:
                    viewer = self._gate.from_link(request)
                    if not as_json:  # the KS must not stay in the address bar or history
                        rest = [(k, v) for k, v in request.query_params.multi_items() if k != "ks"]
                        target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
                        return self._gate.open_session(
                            RedirectResponse(target, 303), request, viewer
                        )
                else:
                    found = self._gate.viewer(request)
                    if found is None:
                        if as_json:
                            raise WebError(401, "sign in, or send ?ks= with a KS")
                        return RedirectResponse(sign_in_url(request), 303)
                    viewer = found
                return work(request, viewer, as_json)
            except WebError as exc:
                return errors.answer(exc, as_json, "/panels/" in request.url.path)
            except (dates.BadInput, QueryError, FilterError) as exc:
                bad = WebError(400, str(exc))
                return errors.answer(bad, as_json, "/panels/" in request.url.path)

        return endpoint

    # The subjects

    def _room(self, viewer: Viewer, entry_id: str) -> Subject:
        entry = repository.get(self._store.engine, KINDS["entries"], (viewer.partner_id, entry_id))
        if entry is not None and entry.get("kind") != "room":
            entry = None
        if entry is None or not viewer.may_see_entry(entry):
            # a limited viewer learns nothing of what lies outside its limit
            if viewer.partner_wide:
                raise WebError(404, f"There is no room {entry_id[:80]!r}.")
            raise WebError(403, "Your sign-in does not cover this room.")
        event = entry.get("virtualEventId")
        return Subject(
            "rooms",
            entry_id,
            str(entry["name"]),
            ask_entries=(entry_id,),
            virtual_event_id=None if event is None else int(event),
        )

    def _category(self, viewer: Viewer, category: str) -> Subject:
        number = php.index(category)  # digits only, at most 18 of them: a stored id
        if number is not None and not viewer.may_see_category(number):
            raise WebError(403, "Your sign-in does not cover this category.")
        found = None
        if number is not None:
            found = repository.get(
                self._store.engine, KINDS["categories"], (viewer.partner_id, number)
            )
        if found is None or number is None:
            if viewer.partner_wide:
                raise WebError(404, f"There is no category {category[:80]!r}.")
            raise WebError(403, "Your sign-in does not cover this category.")
        return Subject("categories", category, str(found["name"]), category_id=number)

    def _subject(self, request: Request, viewer: Viewer) -> Subject:
        key = request.path_params["id"]
        if request.url.path.startswith("/analytics/rooms/"):
            return self._room(viewer, key)
        return self._category(viewer, key)

    def _asked(self, request: Request, viewer: Viewer) -> Asked:
        subject = self._subject(request, viewer)
        params = request.query_params
        zone_name = params.get("tz") or request.cookies.get(ZONE_COOKIE) or DEFAULT_ZONE
        try:
            tz = dates.zone(zone_name)
        except dates.BadInput:
            if "tz" in params:
                raise
            zone_name, tz = DEFAULT_ZONE, dates.zone(DEFAULT_ZONE)  # a stale cookie
        now = dt.datetime.now(dt.UTC)
        picked = dates.pick(params, tz, now)
        sessions: list[rp.Session] = []
        if subject.kind == "rooms":
            sessions = rp.sessions(self._store.engine, viewer.partner_id, subject.id)
        session = None
        if params.get("session"):
            session = next((s for s in sessions if s.id == params["session"]), None)
            if session is None:
                raise WebError(404, "This room has no such session.")
        return Asked(viewer, subject, zone_name, tz, picked, session, sessions, "tz" in params)

    # The endpoints' work

    def page(self, request: Request, viewer: Viewer, as_json: bool) -> Response:
        asked = self._asked(request, viewer)
        query = urlencode(asked.params())
        panels = {
            name: f"{asked.subject.url}/panels/{name}?{query}"
            for name, panel in PANELS.items()
            if asked.subject.kind == "rooms" or not panel.rooms_only
        }
        if as_json:
            body = {
                **asked.frame(),
                "panels": {n: u.replace("?", ".json?", 1) for n, u in panels.items()},
            }
            return self._zone(render.json(body), asked)
        response = render.page(
            "page.html",
            asked=asked,
            query=query,
            frame=asked.frame(),
            panels=[(PANELS[n], u) for n, u in panels.items()],
            reports=reports.offered(viewer, self._events(asked.subject, viewer)),
            export=self._exports.offered(viewer),
            presets=dates.PRESETS,
            zones=dates.zones(),
            csrf=self._gate.csrf_token(request.cookies.get(SESSION_COOKIE, "")),
        )
        return self._zone(response, asked)

    def panel(self, request: Request, viewer: Viewer, as_json: bool) -> Response:
        panel = PANELS.get(request.path_params["panel"])
        asked = self._asked(request, viewer)
        if panel is None or (panel.rooms_only and asked.subject.kind != "rooms"):
            raise WebError(404, "There is no such panel.")
        answer = panel.answer(self._store.engine, asked.asking(), request.query_params)
        if as_json:
            return render.json({**answer, "frame": _range_of(asked)})
        return render.page(panel.template, **fragment(panel, answer, asked))

    def asked(self, request: Request, viewer: Viewer) -> Asked:
        """The request's question, checked (for the web layer's other answers: the PDFs)."""
        return self._asked(request, viewer)

    def report(self, request: Request, viewer: Viewer, as_json: bool) -> Response:
        """A custom report's CSV for the room (or the channel's rooms) and the page's range
        (or session)."""
        asked = self._asked(request, viewer)
        ask, subject = asked.ask(), asked.subject
        events = self._events(subject, viewer)
        name = request.path_params["name"]
        where = (subject.kind, subject.id)
        return reports.download(self._store, viewer, name, where, events, ask.start, ask.last)

    def export(self, request: Request, viewer: Viewer, as_json: bool) -> Response:
        """Queues the page's e-mail export (vantage.web.export) from the form posted."""
        return self._exports.send(request, viewer, self._asked(request, viewer))

    def _events(self, subject: Subject, viewer: Viewer) -> frozenset[str]:
        """The virtual events whose chat reports the page's menu reads: the room's, or those
        of the channel's rooms (none when the viewer may have no menu)."""
        if not reports.may_download(viewer):
            return frozenset()
        if subject.category_id is not None:
            return reports.category_events(self._store, viewer.partner_id, subject.category_id)
        event = subject.virtual_event_id
        return frozenset() if event is None else frozenset({str(event)})

    def home(self, request: Request, viewer: Viewer, as_json: bool) -> Response:
        """The rooms and categories the viewer may open (the first 500 of each)."""
        engine, partner = self._store.engine, [viewer.partner_id]
        rooms, _ = repository.list_items(
            engine, KINDS["entries"], partner_ids=partner, filters={"kind": "room"}
        )
        rooms = [r for r in rooms if viewer.may_see_entry(r)]
        categories: list[dict[str, Any]] = []
        if viewer.entry_ids is None and viewer.virtual_event_id is None:
            found, _ = repository.list_items(engine, KINDS["categories"], partner_ids=partner)
            categories = [c for c in found if viewer.may_see_category(int(c["id"]))]
        body = {
            "rooms": [{"id": r["id"], "name": r["name"]} for r in rooms],
            "categories": [{"id": c["id"], "name": c["name"]} for c in categories],
        }
        if as_json:
            return render.json(body)
        csrf = self._gate.csrf_token(request.cookies.get(SESSION_COOKIE, ""))
        return render.page(
            "home.html",
            viewer=viewer,
            csrf=csrf,
            rooms=body["rooms"],
            categories=body["categories"],
        )

    def _zone(self, response: Response, asked: Asked) -> Response:
        if asked.set_zone:
            response.set_cookie(
                ZONE_COOKIE,
                asked.zone_name,
                max_age=ZONE_DAYS * 86_400,
                path=COOKIE_PATH,
                httponly=True,
                samesite="lax",
            )
        return response


def fragment(panel: Panel, answer: dict[str, Any], asked: Asked) -> dict[str, Any]:
    """What a panel's template is given: the same on the page and in a printed report."""
    return {
        "panel": panel,
        "data": answer,
        "asked": asked,
        "here": f"{asked.subject.url}/panels/{panel.name}",
        "query": asked.params(),
        "urlencode": urlencode,
    }


def _range_of(asked: Asked) -> dict[str, Any]:
    return {
        "kind": asked.subject.kind,
        "id": asked.subject.id,
        "time_zone": asked.zone_name,
        "start": asked.start,
        "end": asked.end,
        "session": None if asked.session is None else asked.session.id,
    }
