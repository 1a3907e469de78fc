"""Attachment downloads: slides, readings and agendas, during the session and, for lectures,
in the days after it, outside any session."""

from __future__ import annotations

from vantage.demo import texts
from vantage.demo.clock import DAY, HOUR, MINUTE
from vantage.demo.live import LiveSession


def downloads(s: LiveSession) -> None:
    rng, plan, p = s.rng, s.plan, s.presence
    titles = [t.format(week=plan.week) for t in texts.ATTACHMENTS]
    if plan.kind in ("keynote", "workshop"):
        titles = ["Event agenda", "Speaker slides (PDF)", "Further reading"]
    ids = [f"{plan.course_code.lower()}-w{plan.week}-{k}" for k in range(len(titles))]
    if plan.kind == "lecture":
        ids[-1] = f"{plan.course_code.lower()}-syllabus"
    n = rng.poisson(s.rates.downloads * len(p.users))
    hb = p.pick(0, n)
    which = rng.integers(0, len(ids), len(hb))
    s.frame.add(
        "downloadAttachmentClicked",
        ctx=s.ctxs[0],
        user=p.hb_user[hb],
        time=p.when(hb),
        attachment_id=[ids[k] for k in which.tolist()],
        attachment_title=[titles[k] for k in which.tolist()],
    )
    if plan.kind != "lecture":
        return
    # after class, outside any session
    latest = s.school.clock.now_us - HOUR
    n = rng.poisson(0.1 * len(plan.roster))
    t = plan.end_us + rng.integers(10 * MINUTE, 3 * DAY, n)
    keep = t <= latest
    who = plan.roster[rng.integers(0, len(plan.roster), n)][keep]
    which = rng.integers(0, len(ids), n)[keep]
    s.frame.add(
        "downloadAttachmentClicked",
        ctx=s.frame.context(plan.entry_id, None, plan.virtual_event_id),
        user=who,
        time=t[keep],
        attachment_id=[ids[k] for k in which.tolist()],
        attachment_title=[titles[k] for k in which.tolist()],
    )
