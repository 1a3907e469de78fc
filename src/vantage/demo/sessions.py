"""One planned unit of the school → its events, column-wise with numpy.

A session goes like this. Who comes is drawn from the roster; each person's presence is a list
of intervals (late arrival, early leave, dropped connections, time in a breakout room). Every
interval gives a ``joinSession``, a ``viewPeriod`` every 10 seconds and a ``leaveSession``.
Engagement flags are drawn per person-minute from the person's habits and fade as the session
goes on. Everything people do besides being there (chat, Q&A, polls, reactions, raised hands,
downloads …) is placed on heartbeats: picking a heartbeat picks someone who was present then,
so no one acts while away.

Python loops run per person or per message at most; heartbeats are made in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vantage.demo import words
from vantage.demo.frame import Frame
from vantage.demo.school import (
    DAY,
    HOST,
    HOUR,
    MINUTE,
    MODERATOR,
    PARTICIPANT,
    ROLE_NAMES,
    SPEAKER,
    US,
    Registration,
    School,
    SessionPlan,
    Unit,
)

TEN = 10 * US  # one viewPeriod
MS = 1000
_SYNTH = 100  # random stream purpose


@dataclass(frozen=True)
class Rates:
    """How much happens per person-hour of presence (polls: per session)."""

    chat: float
    private: float
    questions: float
    bursts_per_hour: float
    reactions: float
    raise_hand: float
    downloads: float  # per attendee
    polls: float  # mean polls per session


RATES = {
    "lecture": Rates(0.5, 0.08, 0.06, 4.0, 0.3, 0.06, 0.3, 1.8),
    "office": Rates(1.2, 0.15, 0.10, 1.0, 0.2, 0.8, 0.1, 0.0),
    "keynote": Rates(0.5, 0.05, 0.15, 10.0, 0.5, 0.005, 0.2, 2.5),
    "workshop": Rates(0.9, 0.10, 0.12, 4.0, 0.3, 0.2, 0.3, 1.5),
}
BREAKOUT_CHAT = 2.0  # messages per person-hour in breakout rooms


@dataclass(frozen=True)
class SessionRecord:
    """A session as the RoomSession entity will store it."""

    id: str
    entry_id: str
    start_us: int
    end_us: int
    host: int


class _Text:
    """Small per-session text pools, picked from by index."""

    def __init__(self, lines: tuple[str, ...], topic: str) -> None:
        self.pool = pa.array([line.format(topic=topic) for line in lines], pa.string())

    def pick(self, rng: np.random.Generator, n: int) -> pa.Array:
        return self.pool.take(pa.array(rng.integers(0, len(self.pool), n)))


def unit_events(unit: Unit, school: School, frame: Frame, seed: int) -> list[SessionRecord]:
    """Add the events of ``unit`` to ``frame``; return the sessions it held."""
    records: list[SessionRecord] = []
    if unit.session is not None:
        records = _Session(unit.session, school, frame, seed).run()
    key = unit.key
    if unit.registration is not None:
        rng = np.random.default_rng([seed, _SYNTH + 1, key])
        attendees = unit.session.roster if unit.session else np.empty(0, np.int64)
        _registrations(unit.registration, attendees, school, frame, rng)
    if unit.calendar is not None:
        rng = np.random.default_rng([seed, _SYNTH + 2, key])
        _calendar(unit.calendar, frame, rng)
    return records


def delays(rng: np.random.Generator, n: int) -> np.ndarray:
    """How long after it happened the server got each event (µs): mostly well under a second,
    a few clients send late."""
    d = rng.lognormal(np.log(0.3), 0.8, n) * US
    late = rng.random(n) < 0.01
    d[late] += rng.uniform(1, 60, int(late.sum())) * US
    return np.clip(d, 20 * MS, 90 * US).astype(np.int64)


# --- registration and calendar -----------------------------------------------------------------


def _registrations(
    reg: Registration, attendees: np.ndarray, school: School, frame: Frame, rng: np.random.Generator
) -> None:
    people = reg.registrants
    n = len(people)
    if not n:
        return
    ctx = frame.context(reg.entry_id, None, reg.virtual_event_id)
    span = reg.last_us - reg.first_us
    # registrations pile up towards the start
    times = reg.first_us + (rng.beta(1.6, 1.0, n) * span).astype(np.int64)
    times = (times // MS) * MS
    fields = school.profiles
    idx = pa.array(people)
    frame.add(
        "registered",
        ctx=ctx,
        user=people,
        time=times,
        **{name: col.take(idx) for name, col in fields.items()},
    )
    cal = rng.random(n) < reg.calendar_share
    cal_t = np.minimum(times[cal] + rng.integers(10 * US, 2 * DAY, int(cal.sum())), reg.last_us)
    frame.add("addToCalendarClicked", ctx=ctx, user=people[cal], time=cal_t)
    absent = ~np.isin(people, attendees)
    gone = absent & (rng.random(n) < reg.unregister_share)
    gone_t = times[gone] + rng.integers(HOUR, 10 * DAY, int(gone.sum()))
    gone_t = np.minimum(gone_t, reg.last_us)
    frame.add("unregistered", ctx=ctx, user=people[gone], time=gone_t)


def _calendar(cal: Registration, frame: Frame, rng: np.random.Generator) -> None:
    who = cal.registrants[rng.random(len(cal.registrants)) < cal.calendar_share]
    if not len(who) or cal.last_us <= cal.first_us:
        return
    times = rng.integers(cal.first_us, cal.last_us, len(who))
    frame.add(
        "addToCalendarClicked", ctx=frame.context(cal.entry_id, None, None), user=who, time=times
    )


# --- one session -------------------------------------------------------------------------------


class _Session:
    def __init__(self, plan: SessionPlan, school: School, frame: Frame, seed: int) -> None:
        self.plan = plan
        self.school = school
        self.frame = frame
        self.h = school.habits
        self.rng = np.random.default_rng([seed, _SYNTH, plan.key])
        self.rates = RATES[plan.kind]
        self.topic = plan.topic

    # -- who is there, when --

    def _people(self) -> tuple[np.ndarray, np.ndarray]:
        plan, rng = self.plan, self.rng
        staff = [(plan.host, HOST)] + [(m, MODERATOR) for m in plan.moderators]
        staff += [(s, SPEAKER) for s in plan.speakers]
        roster = plan.roster
        if plan.all_attend:
            come = roster
        else:
            fade = 1.0 - 0.25 * min(plan.week, 17) / 17  # attendance drops over the term
            p = self.h.attend[roster] * fade * rng.uniform(0.9, 1.08)
            chosen = rng.random(len(roster)) < p
            short = min(10, len(roster)) - int(chosen.sum())
            if short > 0:  # a session has at least 10 people when the roster has them
                chosen[rng.choice(np.flatnonzero(~chosen), short, replace=False)] = True
            come = roster[chosen]
        staff_ids = [s for s, _ in staff]
        come = come[~np.isin(come, staff_ids)]
        users = np.concatenate([np.array(staff_ids, np.int64), come.astype(np.int64)])
        roles = np.concatenate(
            [np.array([r for _, r in staff], np.int8), np.full(len(come), PARTICIPANT, np.int8)]
        )
        return users, roles

    def _intervals(self, users: np.ndarray, roles: np.ndarray) -> list[list[list[int]]]:
        """Per person, their [start, end] presence intervals in the main room (µs)."""
        plan, rng, h = self.plan, self.rng, self.h
        S, E = plan.start_us, plan.end_us
        dur = E - S
        n = len(users)
        late = rng.random(n) < h.late[users]
        arrive = np.where(late, rng.uniform(2, 15, n) * MINUTE, rng.uniform(0, 2.5, n) * MINUTE)
        arrive = np.minimum(arrive, 0.6 * dur)
        early = rng.random(n) < h.early[users]
        leave = np.where(early, rng.uniform(3 * MINUTE, 0.4 * dur, n), 0.0)
        a = S + arrive.astype(np.int64)
        b = E - leave.astype(np.int64)
        # staff: the host opens the room, moderators come right after, speakers have a slot
        a[roles == HOST] = S + rng.integers(0, 5 * US)
        b[roles != PARTICIPANT] = E
        mods = roles == MODERATOR
        a[mods] = S + rng.integers(0, 3 * MINUTE, int(mods.sum()))
        speakers = np.flatnonzero(roles == SPEAKER)
        for i in speakers:
            if plan.kind == "lecture":
                a[i] = S + int(rng.uniform(0.2, 0.4) * dur)
                b[i] = min(E, a[i] + int(rng.uniform(20, 35) * MINUTE))
            else:
                a[i] = S + int(rng.integers(0, 2 * MINUTE))
        b = np.maximum(b, np.minimum(E, a + 2 * MINUTE))
        a, b = (a // MS) * MS, (b // MS) * MS
        drops = rng.poisson(h.drops[users] * (b - a) / HOUR)
        drops[roles == HOST] = 0
        out: list[list[list[int]]] = [[[int(a[i]), int(b[i])]] for i in range(n)]
        for i in np.flatnonzero(drops):
            lo, hi = int(a[i]) + 30 * US, int(b[i]) - 30 * US
            if hi - lo < MINUTE:
                continue
            cuts = np.sort(rng.integers(lo, hi, int(drops[i])))
            gaps = rng.integers(10 * US, 3 * MINUTE, len(cuts))
            segs: list[list[int]] = []
            start = int(a[i])
            for cut, gap in zip(cuts.tolist(), gaps.tolist(), strict=True):
                cut = cut // MS * MS
                if cut - start >= US:
                    segs.append([start, cut])
                start = max(start, (cut + gap) // MS * MS)
            if int(b[i]) - start >= US:
                segs.append([start, int(b[i])])
            if segs:
                out[i] = segs
        return out

    def _breakouts(
        self, roles: np.ndarray, spans: list[list[list[int]]]
    ) -> tuple[list[tuple[int, int, int, int]], list[SessionRecord]]:
        """Move most participants into breakout rooms for a while. Returns the breakout
        intervals (person, room, start, end) and the breakout sessions; ``spans`` loses the
        time people spent away from the main room."""
        plan, rng = self.plan, self.rng
        assert plan.breakout is not None
        S, E = plan.start_us, plan.end_us
        b0 = S + int(rng.uniform(0.35, 0.5) * (E - S))
        b1 = min(b0 + int(rng.uniform(10, 20) * MINUTE), E - 5 * MINUTE)
        b0, b1 = b0 // MS * MS, b1 // MS * MS
        present = [
            i for i in np.flatnonzero(roles == PARTICIPANT) if any(s <= b0 < e for s, e in spans[i])
        ]
        present = [i for i in present if rng.random() < 0.88]
        if len(present) < 4 or b1 - b0 < 5 * MINUTE:
            return [], []
        rooms = min(len(plan.breakout.entry_ids), max(2, len(present) // 5))
        order = rng.permutation(len(present))
        moves: list[tuple[int, int, int, int]] = []
        for k, j in enumerate(order.tolist()):
            i = present[j]
            room = k % rooms
            seg = next(seg for seg in spans[i] if seg[0] <= b0 < seg[1])
            join = b0 + int(rng.integers(2 * US, 9 * US)) // MS * MS
            end = min(b1, seg[1])
            if end - join >= 20 * US:
                moves.append((i, room + 1, join, end))
            back = b1 + int(rng.integers(2 * US, 9 * US)) // MS * MS
            spans[i] = _subtract(spans[i], b0, back)
        records = [
            SessionRecord(
                plan.breakout.session_ids[r], plan.breakout.entry_ids[r], b0, b1, plan.host
            )
            for r in range(rooms)
        ]
        return moves, records

    # -- the whole session --

    def run(self) -> list[SessionRecord]:
        plan, frame = self.plan, self.frame
        users, roles = self._people()
        spans = self._intervals(users, roles)
        ve = plan.virtual_event_id
        main = frame.context(plan.entry_id, plan.id, ve)
        records = [SessionRecord(plan.id, plan.entry_id, plan.start_us, plan.end_us, plan.host)]
        ctxs = [main]
        moves: list[tuple[int, int, int, int]] = []
        if plan.breakout is not None:
            moves, extra = self._breakouts(roles, spans)
            for rec in extra:
                ctxs.append(frame.context(rec.entry_id, rec.id, ve))
            records += extra
        self.ctxs = ctxs
        self.records = records

        # intervals as arrays: person (local), context (0 main, k breakout room k), start, end
        person = [i for i, segs in enumerate(spans) for _ in segs] + [m[0] for m in moves]
        room = [0] * (len(person) - len(moves)) + [m[1] for m in moves]
        starts = [s for segs in spans for s, _ in segs] + [m[2] for m in moves]
        ends = [e for segs in spans for _, e in segs] + [m[3] for m in moves]
        iv_person = np.array(person, np.int64)
        iv_room = np.array(room, np.int64)
        iv_start = np.array(starts, np.int64)
        iv_end = np.array(ends, np.int64)
        self.users, self.roles = users, roles
        self.iv_person, self.iv_room, self.iv_start, self.iv_end = (
            iv_person,
            iv_room,
            iv_start,
            iv_end,
        )

        for rec, ctx in zip(records, ctxs, strict=True):
            frame.add(
                "sessionStarted", ctx=ctx, user=np.array([rec.host]), time=np.array([rec.start_us])
            )
            frame.add(
                "sessionEnded", ctx=ctx, user=np.array([rec.host]), time=np.array([rec.end_us])
            )
        iv_ctx = np.array(ctxs, np.int32)[iv_room]
        iv_role = np.where(iv_room > 0, PARTICIPANT, roles[iv_person])
        role_names = pa.array(ROLE_NAMES, pa.string())
        frame.add(
            "joinSession",
            ctx=iv_ctx,
            user=users[iv_person],
            time=iv_start,
            role=role_names.take(pa.array(iv_role)),
        )
        frame.add("leaveSession", ctx=iv_ctx, user=users[iv_person], time=iv_end)

        self._heartbeats()
        self._raised_hands()
        self._flags_and_toggles()
        self._chat()
        self._private()
        self._reactions()
        if plan.kind != "office":
            self._polls()
        self._questions()
        self._downloads()
        return records

    # -- heartbeats --

    def _heartbeats(self) -> None:
        length = self.iv_end - self.iv_start
        n = -(-length // TEN)
        off = np.cumsum(n) - n
        iv = np.repeat(np.arange(len(n)), n)
        k = np.arange(int(n.sum())) - off[iv]
        t = np.minimum(self.iv_start[iv] + (k + 1) * TEN, self.iv_end[iv])
        vt = (t - (self.iv_start[iv] + k * TEN)) / US
        self.hb_iv, self.hb_k, self.hb_t, self.hb_vt = iv, k, t, vt
        self.hb_off, self.hb_n = off, n
        self.hb_person = self.iv_person[iv]
        self.hb_user = self.users[self.hb_person]
        self.hb_room = self.iv_room[iv]
        self.hb_role = np.where(self.hb_room > 0, PARTICIPANT, self.roles[self.hb_person])
        # per room, heartbeat indices sorted by time: who was there at a given moment
        order = np.lexsort((t, self.hb_room))
        bounds = np.searchsorted(self.hb_room[order], np.arange(len(self.ctxs) + 1))
        self.by_room = [order[bounds[r] : bounds[r + 1]] for r in range(len(self.ctxs))]
        self.by_room_t = [t[idx] for idx in self.by_room]
        self.mic = np.zeros(len(t), bool)
        self.stage = np.zeros(len(t), bool)

    def _when(self, hb: np.ndarray) -> np.ndarray:
        """A moment inside the presence each heartbeat stands for."""
        back = (self.rng.random(len(hb)) * self.hb_vt[hb] * US).astype(np.int64)
        return self.hb_t[hb] - back

    def _pick(
        self, room: int, n: int, weight: np.ndarray | None = None, only: np.ndarray | None = None
    ) -> np.ndarray:
        """``n`` heartbeats of ``room`` (person-moments), weighted by the person's ``weight``."""
        idx = self.by_room[room]
        if only is not None:
            idx = idx[only[idx]]
        if n <= 0 or not len(idx):
            return np.empty(0, np.int64)
        if weight is None:
            return idx[self.rng.integers(0, len(idx), n)]
        w = weight[self.hb_user[idx]]
        return self.rng.choice(idx, n, p=w / w.sum())

    def _at(self, room: int, times: np.ndarray) -> np.ndarray:
        """For each time, a heartbeat of someone in ``room`` then (-1 if nobody was)."""
        ts = self.by_room_t[room]
        lo = np.searchsorted(ts, times)
        hi = np.searchsorted(ts, times + TEN)
        pick = lo + (self.rng.random(len(times)) * (hi - lo)).astype(np.int64)
        return np.where(hi > lo, self.by_room[room][np.minimum(pick, len(ts) - 1)], -1)

    def _inside(self, hb: np.ndarray, t: np.ndarray) -> np.ndarray:
        """``t`` moved into the presence interval each heartbeat belongs to."""
        iv = self.hb_iv[hb]
        return np.clip(t, self.iv_start[iv], self.iv_end[iv])

    def _person_hours(self, room: int) -> float:
        return float(self.hb_vt[self.by_room[room]].sum()) / 3600

    # -- engagement --

    def _raised_hands(self) -> None:
        """Participants raise a hand; most are then brought on stage to speak for a while."""
        rng = self.rng
        part = self.hb_role == PARTICIPANT
        n = rng.poisson(self.rates.raise_hand * self._person_hours(0) + 0.5)
        hb = self._pick(0, n, self.h.chat, only=part)
        if not len(hb):
            return
        when = self._when(hb)
        self.frame.add("raiseHand", ctx=self.ctxs[0], user=self.hb_user[hb], time=when)
        speak = rng.random(len(hb)) < 0.6
        for h, t in zip(hb[speak].tolist(), when[speak].tolist(), strict=True):
            self._speak(
                h, t + int(rng.integers(5 * US, 40 * US)), int(rng.integers(20 * US, 150 * US))
            )

    def _speak(self, hb: int, start: int, length: int) -> None:
        iv = self.hb_iv[hb]
        lo, n = self.hb_off[iv], self.hb_n[iv]
        ts = self.hb_t[lo : lo + n]
        a, b = np.searchsorted(ts, start), np.searchsorted(ts, start + length + TEN)
        self.mic[lo + a : lo + b] = True
        self.stage[lo + a : lo + b] = True

    def _flags_and_toggles(self) -> None:
        rng, h, plan = self.rng, self.h, self.plan
        g, role, room = self.hb_user, self.hb_role, self.hb_room
        minutes = (self.hb_t - plan.start_us) / MINUTE

        def sticky(p: np.ndarray | float, minutes: int) -> np.ndarray:
            """One draw per person and ``minutes`` of presence, so a state holds a while."""
            beats = 6 * minutes
            blocks = -(-self.hb_n // beats)
            boff = np.cumsum(blocks) - blocks
            blk = boff[self.hb_iv] + self.hb_k // beats
            return rng.random(int(blocks.sum()))[blk] < p

        in_breakout = room > 0
        focus_p = h.focus[g] * np.exp(-h.fatigue[g] * minutes / 60)
        focus_p = np.where(in_breakout, 0.95, np.clip(focus_p, 0.1, 0.99))
        focus = sticky(focus_p, 1)
        sound = sticky(np.clip(h.sound[g] - 0.0005 * minutes, 0.5, 1.0), 5)
        cam_p = h.camera[g] * (1 - 0.003 * minutes) + np.where(in_breakout, 0.25, 0.0)
        camera = sticky(np.clip(cam_p, 0.0, 0.97), 5)
        full = sticky(h.full_screen[g], 3) & focus
        participant_mic = {"office": 0.12, "workshop": 0.04}.get(plan.kind, 0.01)
        mic_p = np.select(
            [in_breakout, role == HOST, role == SPEAKER, role == MODERATOR],
            [0.3, 0.85, 0.8, 0.2],
            participant_mic,
        )
        mic = sticky(mic_p, 1) | self.mic
        stage_p = np.select(
            [role == HOST, role == SPEAKER, role == MODERATOR], [1.0, 1.0, 0.3], 0.0
        )
        stage = sticky(stage_p, 3) | self.stage
        stage = np.where(in_breakout, camera | mic, stage)
        n = len(self.hb_t)
        self.frame.add(
            "viewPeriod",
            ctx=np.array(self.ctxs, np.int32)[room],
            user=g,
            time=self.hb_t,
            view_time=self.hb_vt,
            tab_focused=focus,
            sound_on=sound,
            mic_unmuted=mic,
            camera_on=camera,
            full_screen=full,
            on_stage=stage,
        )
        first = self.hb_k == 0
        for flag, event in ((mic, "micTurnedOn"), (camera, "cameraTurnedOn")):
            prev = np.empty(n, bool)
            prev[0] = False
            prev[1:] = flag[:-1]
            on = np.flatnonzero(flag & (first | ~prev))
            self.frame.add(
                event, ctx=np.array(self.ctxs, np.int32)[room[on]], user=g[on], time=self._when(on)
            )

    # -- chat --

    def _chat(self) -> None:
        rng = self.rng
        for r, ctx in enumerate(self.ctxs):
            rate = self.rates.chat if r == 0 else BREAKOUT_CHAT
            n = rng.poisson(rate * self._person_hours(r))
            hb = self._pick(r, n, self.h.chat)
            if not len(hb):
                continue
            when = self._when(hb)
            order = np.argsort(when, kind="stable")
            hb, when = hb[order], when[order]
            sid = self.records[r].id
            ids = [f"{sid}:m{j}" for j in range(len(hb))]
            reply = (rng.random(len(hb)) < 0.25) & (np.arange(len(hb)) > 0)
            back = np.minimum(rng.geometric(0.5, len(hb)), np.arange(len(hb)))
            reply_to = [ids[j - b] if reply[j] else None for j, b in enumerate(back.tolist())]
            lines = words.CHAT_LINES if r == 0 else words.BREAKOUT_LINES
            text = _Text(lines, self.topic).pick(rng, len(hb))
            replies = _Text(words.REPLY_LINES, self.topic).pick(rng, len(hb))
            text = pc.if_else(pa.array(reply), replies, text)
            context = self.records[r].entry_id if r > 0 else None
            senders = self.hb_user[hb]
            self.frame.add(
                "groupMessageSent",
                ctx=ctx,
                user=senders,
                time=when,
                message_id=ids,
                text=text,
                reply_to_message_id=reply_to,
                context_id=context,
            )
            # likes: people around a little later
            likes = rng.poisson(0.35 if r == 0 else 0.5, len(hb))
            msg = np.repeat(np.arange(len(hb)), likes)
            target = when[msg] + rng.integers(3 * US, 90 * US, len(msg))
            liker = self._at(r, target)
            ok = (liker >= 0) & (self.hb_user[np.maximum(liker, 0)] != senders[msg])
            msg, liker, target = msg[ok], liker[ok], target[ok]
            self.frame.add(
                "messageLiked",
                ctx=ctx,
                user=self.hb_user[liker],
                time=self._inside(liker, target),
                message_id=[ids[j] for j in msg.tolist()],
            )
            # a few are deleted, mostly by whoever sent them, in the main room also by the host
            gone = np.flatnonzero(rng.random(len(hb)) < 0.025)
            by_host = (rng.random(len(gone)) < 0.3) & (r == 0)
            own_t = np.minimum(
                when[gone] + rng.integers(2 * US, 30 * US, len(gone)),
                self.iv_end[self.hb_iv[hb[gone]]],
            )
            host_t = np.minimum(
                when[gone] + rng.integers(10 * US, 120 * US, len(gone)), self.plan.end_us
            )
            self.frame.add(
                "groupMessageDeleted",
                ctx=ctx,
                user=np.where(by_host, self.plan.host, senders[gone]),
                time=np.maximum(np.where(by_host, host_t, own_t), when[gone] + MS),
                message_id=[ids[j] for j in gone.tolist()],
            )

    def _private(self) -> None:
        rng = self.rng
        staff = self.users[self.roles != PARTICIPANT]
        for r, ctx in enumerate(self.ctxs):
            n = rng.poisson(self.rates.private * self._person_hours(r))
            hb = self._pick(r, n, self.h.chat)
            if not len(hb):
                continue
            senders = self.hb_user[hb]
            to_staff = rng.random(len(hb)) < (0.5 if r == 0 else 0.2)
            recipient = np.where(
                to_staff,
                staff[rng.integers(0, len(staff), len(hb))],
                self.users[rng.integers(0, len(self.users), len(hb))],
            )
            ok = recipient != senders
            hb, senders, recipient = hb[ok], senders[ok], recipient[ok]
            sid = self.records[r].id
            self.frame.add(
                "privateMessageSent",
                ctx=ctx,
                user=senders,
                time=self._when(hb),
                message_id=[f"{sid}:p{j}" for j in range(len(hb))],
                recipient_user_id=self.frame.user_ids.take(pa.array(recipient)),
                text=_Text(words.PRIVATE_LINES, self.topic).pick(rng, len(hb)),
            )

    # -- reactions --

    def _reactions(self) -> None:
        rng, plan = self.rng, self.plan
        S, E = plan.start_us, plan.end_us
        kinds = np.array(["clap", "heart", "think", "wow", "smile"])
        for r, ctx in enumerate(self.ctxs):
            parts_hb: list[np.ndarray] = []
            parts_t: list[np.ndarray] = []
            parts_kind: list[np.ndarray] = []
            if r == 0:  # bursts: a joke, a great answer, the end of a talk
                bursts = rng.poisson(self.rates.bursts_per_hour * (E - S) / HOUR)
                centres = rng.integers(S + 2 * MINUTE, E - MINUTE, bursts)
                if bursts:
                    centres[-1] = E - int(rng.integers(20 * US, 60 * US))  # applause at the end
                for c in centres.tolist():
                    ts = self.by_room_t[0]
                    lo, hi = np.searchsorted(ts, c), np.searchsorted(ts, c + TEN)
                    here = self.by_room[0][lo:hi]
                    who = here[rng.random(len(here)) < rng.uniform(0.1, 0.5)]
                    clicks = 1 + rng.poisson(0.6, len(who))
                    who = np.repeat(who, clicks)
                    t = c + rng.exponential(6 * US, len(who)).astype(np.int64)
                    t = self._inside(who, np.minimum(t, c + 40 * US))
                    main_kind = rng.integers(0, len(kinds))
                    kind = np.where(
                        rng.random(len(who)) < 0.7, main_kind, rng.integers(0, len(kinds), len(who))
                    )
                    parts_hb.append(who)
                    parts_t.append(t)
                    parts_kind.append(kind)
            n = rng.poisson(self.rates.reactions * self._person_hours(r))
            hb = self._pick(r, n)
            parts_hb.append(hb)
            parts_t.append(self._when(hb))
            parts_kind.append(rng.integers(0, len(kinds), len(hb)))
            hb = np.concatenate(parts_hb).astype(np.int64)
            self.frame.add(
                "reactionClicked",
                ctx=ctx,
                user=self.hb_user[hb],
                time=np.concatenate(parts_t),
                reaction=kinds[np.concatenate(parts_kind).astype(np.int64)],
            )

    # -- polls and quizzes --

    def _polls(self) -> None:
        rng, plan = self.rng, self.plan
        S, E = plan.start_us, plan.end_us
        n = rng.poisson(self.rates.polls)
        launches = np.sort(rng.integers(S + 5 * MINUTE, max(S + 6 * MINUTE, E - 4 * MINUTE), n))
        ids, questions, types, options, correct = [], [], [], [], []
        ans_hb, ans_t, ans_text, ans_ok, ans_poll = [], [], [], [], []
        part = self.hb_role == PARTICIPANT
        for j, launch in enumerate(launches.tolist()):
            kind = self._poll_type()
            question, opts, right = self._poll_text(kind)
            pid = f"{plan.id}:poll{j}"
            ids.append(pid)
            questions.append(question)
            types.append(kind)
            options.append(list(opts))
            correct.append(opts[right] if right is not None else None)
            ts = self.by_room_t[0]
            lo, hi = np.searchsorted(ts, launch), np.searchsorted(ts, launch + TEN)
            here = self.by_room[0][lo:hi]
            here = here[part[here]]
            who = here[rng.random(len(here)) < rng.uniform(0.55, 0.9)]
            t = launch + (3 * US + rng.exponential(25 * US, len(who))).astype(np.int64)
            t = self._inside(who, np.maximum(np.minimum(t, launch + 3 * MINUTE), launch + MS))
            if kind == "quiz":
                assert right is not None
                ok = rng.random(len(who)) < np.clip(
                    self.h.ability[self.hb_user[who]] * rng.uniform(0.7, 1.1), 0.05, 0.97
                )
                wrong = rng.integers(0, len(opts) - 1, len(who))
                wrong = wrong + (wrong >= right)
                choice = np.where(ok, right, wrong)
                text = [opts[c] for c in choice.tolist()]
                ans_ok.append(ok)
            else:
                if kind == "open":
                    pool = words.OPEN_ANSWERS
                    text = [pool[c] for c in rng.integers(0, len(pool), len(who)).tolist()]
                elif kind == "ratingScale":
                    c = rng.choice(5, len(who), p=[0.03, 0.07, 0.2, 0.4, 0.3])
                    text = [opts[x] for x in c.tolist()]
                else:
                    c = rng.integers(0, len(opts), len(who))
                    text = [opts[x] for x in c.tolist()]
                ans_ok.append(np.full(len(who), None, object))
            ans_hb.append(who)
            ans_t.append(t)
            ans_text += text
            ans_poll += [pid] * len(who)
        if not ids:
            return
        host = np.full(len(ids), plan.host)
        self.frame.add(
            "pollLaunched",
            ctx=self.ctxs[0],
            user=host,
            time=launches,
            poll_id=ids,
            question=questions,
            poll_type=types,
            options=pa.array(options, pa.list_(pa.string())),
            correct_answer=correct,
        )
        who = np.concatenate(ans_hb).astype(np.int64)
        self.frame.add(
            "pollAnswered",
            ctx=self.ctxs[0],
            user=self.hb_user[who],
            time=np.concatenate(ans_t),
            poll_id=ans_poll,
            answer=ans_text,
            is_correct=pa.array(np.concatenate(ans_ok).tolist(), pa.bool_()),
        )

    def _poll_type(self) -> str:
        rng, plan = self.rng, self.plan
        if plan.kind == "keynote":
            return str(
                rng.choice(["poll", "ratingScale", "crowdVote", "open"], p=[0.35, 0.3, 0.25, 0.1])
            )
        if plan.kind == "workshop":
            return str(rng.choice(["poll", "open", "crowdVote"], p=[0.5, 0.3, 0.2]))
        if rng.random() < plan.quiz_share:
            return "quiz"
        return str(
            rng.choice(["poll", "ratingScale", "open", "crowdVote"], p=[0.5, 0.2, 0.15, 0.15])
        )

    def _poll_text(self, kind: str) -> tuple[str, tuple[str, ...], int | None]:
        rng, topic = self.rng, self.topic
        if kind == "quiz":
            q, opts, right = words.QUIZZES[int(rng.integers(len(words.QUIZZES)))]
            return q.format(topic=topic), opts, right
        if kind == "ratingScale":
            q = words.RATING_QUESTIONS[int(rng.integers(len(words.RATING_QUESTIONS)))]
            return q.format(topic=topic), ("1", "2", "3", "4", "5"), None
        if kind == "open":
            q = words.OPEN_QUESTIONS[int(rng.integers(len(words.OPEN_QUESTIONS)))]
            return q.format(topic=topic), (), None
        if kind == "crowdVote":
            q, opts = words.CROWD_VOTES[int(rng.integers(len(words.CROWD_VOTES)))]
            return q, opts, None
        q, opts = words.POLLS[int(rng.integers(len(words.POLLS)))]
        return q.format(topic=topic), opts, None

    # -- Q&A --

    def _questions(self) -> None:
        rng, plan = self.rng, self.plan
        E = plan.end_us
        part = self.hb_role == PARTICIPANT
        n = rng.poisson(self.rates.questions * self._person_hours(0))
        hb = self._pick(0, n, self.h.chat, only=part)
        if not len(hb):
            return
        q_t = self._when(hb)
        order = np.argsort(q_t, kind="stable")
        hb, q_t = hb[order], q_t[order]
        threads = [f"{plan.id}:q{j}" for j in range(len(hb))]
        staff = np.concatenate([[plan.host], np.array(plan.moderators, np.int64)])
        mods = np.array(plan.moderators or (plan.host,), np.int64)
        ctx = self.ctxs[0]
        self.frame.add(
            "questionAnswerMessageSent",
            ctx=ctx,
            user=self.hb_user[hb],
            time=q_t,
            message_id=threads,
            thread_id=threads,
            text=_Text(words.QUESTION_LINES, self.topic).pick(rng, len(hb)),
        )
        # answers: mostly staff, sometimes another participant
        answers = rng.choice(3, len(hb), p=[0.25, 0.55, 0.2])
        q = np.repeat(np.arange(len(hb)), answers)
        a_t = np.minimum(q_t[q] + rng.integers(20 * US, 8 * MINUTE, len(q)), E - MS)
        a_t = np.maximum(a_t, q_t[q] + MS)
        peer = self._at(0, a_t)
        by_peer = (rng.random(len(q)) < 0.2) & (peer >= 0)
        answerer = np.where(
            by_peer, self.hb_user[np.maximum(peer, 0)], staff[rng.integers(0, len(staff), len(q))]
        )
        n_ans = np.zeros(len(hb), np.int64)
        a_ids = []
        for j in q.tolist():
            a_ids.append(f"{threads[j]}.a{n_ans[j]}")
            n_ans[j] += 1
        self.frame.add(
            "questionAnswerMessageSent",
            ctx=ctx,
            user=answerer,
            time=a_t,
            message_id=a_ids,
            thread_id=[threads[j] for j in q.tolist()],
            text=_Text(words.ANSWER_LINES, self.topic).pick(rng, len(q)),
        )
        # moderation
        last = q_t.copy()
        np.maximum.at(last, q, a_t)
        owned = np.flatnonzero(rng.random(len(hb)) < 0.5)
        own_t = np.minimum(q_t[owned] + rng.integers(5 * US, 60 * US, len(owned)), E - MS)
        closed = rng.random(len(hb))
        resolved = np.flatnonzero(closed < 0.4)
        done = np.flatnonzero((closed >= 0.4) & (closed < 0.7))
        act_q = np.concatenate([owned, resolved, done])
        act_t = np.concatenate(
            [
                own_t,
                np.minimum(last[resolved] + rng.integers(5 * US, 120 * US, len(resolved)), E - MS),
                np.minimum(last[done] + rng.integers(5 * US, 120 * US, len(done)), E - MS),
            ]
        )
        act_t = np.maximum(act_t, q_t[act_q] + MS)
        actions = ["owned"] * len(owned) + ["resolved"] * len(resolved) + ["done"] * len(done)
        self.frame.add(
            "questionThreadModerated",
            ctx=ctx,
            user=mods[rng.integers(0, len(mods), len(act_q))],
            time=act_t,
            thread_id=[threads[j] for j in act_q.tolist()],
            action=actions,
        )

    # -- attachments --

    def _downloads(self) -> None:
        rng, plan = self.rng, self.plan
        titles = [t.format(week=plan.week) for t in words.ATTACHMENTS]
        if plan.kind in ("keynote", "workshop"):
            titles = ["Event agenda", "Speaker slides (PDF)", "Further reading"]
        ids = [f"{plan.course_code.lower()}-w{plan.week}-{k}" for k in range(len(titles))]
        if plan.kind == "lecture":
            ids[-1] = f"{plan.course_code.lower()}-syllabus"
        n = rng.poisson(self.rates.downloads * len(self.users))
        hb = self._pick(0, n)
        which = rng.integers(0, len(ids), len(hb))
        self.frame.add(
            "downloadAttachmentClicked",
            ctx=self.ctxs[0],
            user=self.hb_user[hb],
            time=self._when(hb),
            attachment_id=[ids[k] for k in which.tolist()],
            attachment_title=[titles[k] for k in which.tolist()],
        )
        if plan.kind != "lecture":
            return
        # after class, outside any session
        latest = self.school.clock.now_us - HOUR
        n = rng.poisson(0.1 * len(plan.roster))
        t = plan.end_us + rng.integers(10 * MINUTE, 3 * DAY, n)
        keep = t <= latest
        who = plan.roster[rng.integers(0, len(plan.roster), n)][keep]
        which = rng.integers(0, len(ids), n)[keep]
        self.frame.add(
            "downloadAttachmentClicked",
            ctx=self.frame.context(plan.entry_id, None, plan.virtual_event_id),
            user=who,
            time=t[keep],
            attachment_id=[ids[k] for k in which.tolist()],
            attachment_title=[titles[k] for k in which.tolist()],
        )


def _subtract(segs: list[list[int]], a: int, b: int) -> list[list[int]]:
    """``segs`` without [a, b), dropping pieces shorter than a second."""
    out = []
    for s, e in segs:
        if e <= a or s >= b:
            out.append([s, e])
            continue
        if a - s >= US:
            out.append([s, a])
        if e - b >= US:
            out.append([b, e])
    return out
