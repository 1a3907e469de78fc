"""Chat in every room of a session: group messages with replies, likes and deletions, and
private messages, mostly to staff."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from vantage.demo import texts
from vantage.demo.clock import MS, US
from vantage.demo.live import BREAKOUT_CHAT, LiveSession
from vantage.demo.people import PARTICIPANT


def group_messages(s: LiveSession) -> None:
    rng, p = s.rng, s.presence
    for r, ctx in enumerate(s.ctxs):
        rate = s.rates.chat if r == 0 else BREAKOUT_CHAT
        n = rng.poisson(rate * p.person_hours(r))
        hb = p.pick(r, n, s.habits.chat)
        if not len(hb):
            continue
        when = p.when(hb)
        order = np.argsort(when, kind="stable")
        hb, when = hb[order], when[order]
        sid = s.records[r].id
        ids = [f"{sid}:m{j}" for j in range(len(hb))]
        reply = (rng.random(len(hb)) < 0.25) & (np.arange(len(hb)) > 0)
        back = np.minimum(rng.geometric(0.5, len(hb)), np.arange(len(hb)))
        reply_to = [ids[j - b] if reply[j] else None for j, b in enumerate(back.tolist())]
        text = s.texts(texts.CHAT_LINES if r == 0 else texts.BREAKOUT_LINES, len(hb))
        replies = s.texts(texts.REPLY_LINES, len(hb))
        text = pc.if_else(pa.array(reply), replies, text)
        context = s.records[r].entry_id if r > 0 else None
        senders = p.hb_user[hb]
        s.frame.add(
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
        liker = p.at(r, target)
        ok = (liker >= 0) & (p.hb_user[np.maximum(liker, 0)] != senders[msg])
        msg, liker, target = msg[ok], liker[ok], target[ok]
        s.frame.add(
            "messageLiked",
            ctx=ctx,
            user=p.hb_user[liker],
            time=p.inside(liker, target),
            message_id=[ids[j] for j in msg.tolist()],
        )
        # a few are deleted, mostly by whoever sent them, in the main room also by the host
        gone = np.flatnonzero(rng.random(len(hb)) < 0.025)
        by_host = (rng.random(len(gone)) < 0.3) & (r == 0)
        own_t = np.minimum(
            when[gone] + rng.integers(2 * US, 30 * US, len(gone)),
            p.iv_end[p.hb_iv[hb[gone]]],
        )
        host_t = np.minimum(when[gone] + rng.integers(10 * US, 120 * US, len(gone)), s.plan.end_us)
        s.frame.add(
            "groupMessageDeleted",
            ctx=ctx,
            user=np.where(by_host, s.plan.host, senders[gone]),
            time=np.maximum(np.where(by_host, host_t, own_t), when[gone] + MS),
            message_id=[ids[j] for j in gone.tolist()],
        )


def private_messages(s: LiveSession) -> None:
    rng, p = s.rng, s.presence
    staff = p.users[p.roles != PARTICIPANT]
    for r, ctx in enumerate(s.ctxs):
        n = rng.poisson(s.rates.private * p.person_hours(r))
        hb = p.pick(r, n, s.habits.chat)
        if not len(hb):
            continue
        senders = p.hb_user[hb]
        to_staff = rng.random(len(hb)) < (0.5 if r == 0 else 0.2)
        recipient = np.where(
            to_staff,
            staff[rng.integers(0, len(staff), len(hb))],
            p.users[rng.integers(0, len(p.users), len(hb))],
        )
        ok = recipient != senders
        hb, senders, recipient = hb[ok], senders[ok], recipient[ok]
        sid = s.records[r].id
        s.frame.add(
            "privateMessageSent",
            ctx=ctx,
            user=senders,
            time=p.when(hb),
            message_id=[f"{sid}:p{j}" for j in range(len(hb))],
            recipient_user_id=s.frame.user_ids.take(pa.array(recipient)),
            text=s.texts(texts.PRIVATE_LINES, len(hb)),
        )
