"""What people do before a room opens: register (some then add it to their calendar, some who
will not come unregister), or add a course's first lecture to their calendar."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from vantage.demo.clock import DAY, HOUR, MS, US
from vantage.demo.frame import Frame
from vantage.demo.ids import app_guid
from vantage.demo.school import Registration, School


def registrations(
    reg: Registration, attendees: np.ndarray, school: School, frame: Frame, rng: np.random.Generator
) -> None:
    """``attendees``: who will come (user indices); only others unregister."""
    people = reg.registrants
    n = len(people)
    if not n:
        return
    ctx = frame.context(reg.entry_id, None, reg.virtual_event_id)
    span = reg.last_us - reg.first_us
    # registrations pile up towards the start
    times = reg.first_us + (rng.beta(1.6, 1.0, n) * span).astype(np.int64)
    times = (times // MS) * MS
    idx = pa.array(people)
    # the registration app of a virtual event's site; rooms outside one register in place
    app = None if reg.virtual_event_id is None else app_guid(reg.virtual_event_id)
    frame.add(
        "registered",
        ctx=ctx,
        user=people,
        time=times,
        app_guid=app,
        **{name: col.take(idx) for name, col in school.profiles.items()},
    )
    cal = rng.random(n) < reg.calendar_share
    cal_t = np.minimum(times[cal] + rng.integers(10 * US, 2 * DAY, int(cal.sum())), reg.last_us)
    frame.add("addToCalendarClicked", ctx=ctx, user=people[cal], time=cal_t)
    absent = ~np.isin(people, attendees)
    gone = absent & (rng.random(n) < reg.unregister_share)
    gone_t = times[gone] + rng.integers(HOUR, 10 * DAY, int(gone.sum()))
    gone_t = np.minimum(gone_t, reg.last_us)
    frame.add("unregistered", ctx=ctx, user=people[gone], time=gone_t, app_guid=app)


def calendar_clicks(cal: Registration, frame: Frame, rng: np.random.Generator) -> None:
    """Some of ``cal``'s registrants add the room to their calendar (nobody registers)."""
    who = cal.registrants[rng.random(len(cal.registrants)) < cal.calendar_share]
    if not len(who) or cal.last_us <= cal.first_us:
        return
    times = rng.integers(cal.first_us, cal.last_us, len(who))
    frame.add(
        "addToCalendarClicked", ctx=frame.context(cal.entry_id, None, None), user=who, time=times
    )
