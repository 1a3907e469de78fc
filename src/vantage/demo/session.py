"""One planned session → its events, column-wise with numpy.

Who comes is drawn from the roster; each person's presence is a list of intervals (late
arrival, early leave, dropped connections, time in a breakout room). Every interval gives a
``joinSession`` (with the person's device and country), a ``viewPeriod`` every 10 seconds and
a ``leaveSession``. Then come raised hands and the heartbeats' engagement flags, chat,
reactions, polls, Q&A and downloads, each in its own module, all drawing from the session's
one random stream in this order.

Python loops run per person or per message at most; heartbeats are made in bulk.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from vantage.demo.attachments import downloads
from vantage.demo.attendance import attendees, intervals
from vantage.demo.breakouts import breakouts
from vantage.demo.chat import group_messages, private_messages
from vantage.demo.engagement import raised_hands, view_periods
from vantage.demo.frame import Frame
from vantage.demo.live import LiveSession
from vantage.demo.people import ROLE_NAMES
from vantage.demo.polls import polls
from vantage.demo.presence import Move, Presence
from vantage.demo.questions import questions
from vantage.demo.reactions import reactions
from vantage.demo.school import School, SessionPlan, SessionRecord
from vantage.demo.streams import JOIN_DEVICES, SESSION, stream
from vantage.devices import Device

_ROLE_NAMES = pa.array(ROLE_NAMES, pa.string())
# What people join a class with: mostly a computer, some a phone or a tablet.
_DEVICES = pa.array([Device.COMPUTER, Device.MOBILE, Device.TABLET], pa.string())
_DEVICE_WEIGHTS = np.array([0.74, 0.19, 0.07])


def session_events(
    plan: SessionPlan, school: School, frame: Frame, seed: int
) -> list[SessionRecord]:
    """Add the events of the session ``plan`` to ``frame``; return the sessions it held (its
    own and its breakout sessions)."""
    rng = stream(seed, SESSION, plan.key)
    users, roles = attendees(plan, school.habits, rng)
    spans = intervals(plan, school.habits, rng, users, roles)
    ve = plan.virtual_event_id
    records = [SessionRecord(plan.id, plan.entry_id, plan.start_us, plan.end_us, plan.host)]
    ctxs = [frame.context(plan.entry_id, plan.id, ve)]
    moves: list[Move] = []
    if plan.breakout is not None:
        moves, extra = breakouts(plan, rng, roles, spans)
        ctxs += [frame.context(rec.entry_id, rec.id, ve) for rec in extra]
        records += extra
    presence = Presence(rng, users, roles, spans, moves, len(ctxs))
    s = LiveSession(plan, school, frame, rng, ctxs, records, presence)

    for rec, ctx in zip(records, ctxs, strict=True):
        host = np.array([rec.host])
        frame.add("sessionStarted", ctx=ctx, user=host, time=np.array([rec.start_us]))
        frame.add("sessionEnded", ctx=ctx, user=host, time=np.array([rec.end_us]))
    iv_ctx = np.array(ctxs, np.int32)[presence.iv_room]
    iv_user = users[presence.iv_person]
    role = _ROLE_NAMES.take(pa.array(presence.iv_role))
    # one device per person and session (a reconnect comes from the same one); the country
    # is the person's own
    device = stream(seed, JOIN_DEVICES, plan.key).choice(
        len(_DEVICES), size=len(users), p=_DEVICE_WEIGHTS
    )
    frame.add(
        "joinSession",
        ctx=iv_ctx,
        user=iv_user,
        time=presence.iv_start,
        role=role,
        device=_DEVICES.take(pa.array(device[presence.iv_person])),
        country=school.profiles["country"].take(pa.array(iv_user)),
    )
    frame.add("leaveSession", ctx=iv_ctx, user=iv_user, time=presence.iv_end)

    view_periods(s, raised_hands(s))
    group_messages(s)
    private_messages(s)
    reactions(s)
    if plan.kind != "office":
        polls(s)
    questions(s)
    downloads(s)
    return records
