"""One planned unit → its events: the session, if any, and the registrations or calendar
clicks that came before it, each from its own random stream."""

from __future__ import annotations

import numpy as np

from vantage.demo.frame import Frame
from vantage.demo.registrations import calendar_clicks, registrations
from vantage.demo.school import School, SessionRecord, Unit
from vantage.demo.session import session_events
from vantage.demo.streams import CALENDAR, REGISTRATION, stream


def unit_events(unit: Unit, school: School, frame: Frame, seed: int) -> list[SessionRecord]:
    """Add the events of ``unit`` to ``frame``; return the sessions it held."""
    records: list[SessionRecord] = []
    if unit.session is not None:
        records = session_events(unit.session, school, frame, seed)
    if unit.registration is not None:
        attendees = unit.session.roster if unit.session else np.empty(0, np.int64)
        rng = stream(seed, REGISTRATION, unit.key)
        registrations(unit.registration, attendees, school, frame, rng)
    if unit.calendar is not None:
        calendar_clicks(unit.calendar, frame, stream(seed, CALENDAR, unit.key))
    return records
