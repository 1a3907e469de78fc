"""The Q&A rows of activity reports: each message with its thread and recipient
(``messages``), and each room's threads by state with their messages (``contexts``). Both read
the range's Q&A messages, their threads (room, creator, last message; at any time) and the
threads' moderation from the range's start on (``_threads``)."""

from __future__ import annotations

from vantage.analytics.query import ReportQuery
from vantage.analytics.relations import (
    EVENT_COLUMNS,
    Built,
    Named,
    events,
    left,
    looked_up,
    lookup,
    matching,
    person,
    tie_keys,
)
from vantage.sql.expr import Col, Expr, agg, case, count, fn
from vantage.sql.plan import Join, JoinKind, Select, Table

_THREAD_STATES = ("owned", "resolved", "done")  # the actions that set a thread's state


def _threads(query: ReportQuery, named: Named) -> None:
    """``q``: the Q&A messages of the range; ``t``: their threads (room, creator, last message)
    and ``mo``: the threads' moderation (state, owner, labels, last action)."""
    named += [
        ("q", events(query, ("questionAnswerMessageSent",), ("message_id", "thread_id", "text"))),
        (
            "t",
            lookup(
                query,
                "questionAnswerMessageSent",
                ("thread_id",),
                (
                    ("entry_id", agg("arg_min", looked_up("entry_id"), looked_up("time"))),
                    # the question's author; the first writer if the question is missing
                    (
                        "creator",
                        fn(
                            "coalesce",
                            agg(
                                "arg_min",
                                looked_up("user_id"),
                                looked_up("time"),
                                where=looked_up("message_id").eq(looked_up("thread_id")),
                            ),
                            agg("arg_min", looked_up("user_id"), looked_up("time")),
                        ),
                    ),
                    ("last_message", agg("max", looked_up("time"))),
                ),
            ),
        ),
        (
            "mo",
            lookup(
                query,
                "questionThreadModerated",
                ("thread_id",),
                (
                    (
                        "state",
                        agg(
                            "arg_max",
                            looked_up("action"),
                            looked_up("time"),
                            where=looked_up("action").isin(_THREAD_STATES),
                        ),
                    ),
                    # who took it; else who resolved or closed it
                    (
                        "owner",
                        fn(
                            "coalesce",
                            agg(
                                "arg_max",
                                looked_up("user_id"),
                                looked_up("time"),
                                where=looked_up("action").eq("owned"),
                            ),
                            agg(
                                "arg_max",
                                looked_up("user_id"),
                                looked_up("time"),
                                where=looked_up("action").isin(_THREAD_STATES),
                            ),
                        ),
                    ),
                    (
                        "labels",
                        agg(
                            "arg_max",
                            fn("list_text", looked_up("labels"), ", "),
                            looked_up("time"),
                            where=looked_up("action").eq("labeled"),
                        ),
                    ),
                    ("last_moderated", agg("max", looked_up("time"))),
                ),
                after_start=True,
            ),
        ),
    ]


def messages(query: ReportQuery, named: Named) -> Built:
    """The recipient of a creator's message is the thread's owner; of anyone else's, the
    creator."""
    _threads(query, named)
    q = "q"
    from_creator = Col("user_id", q).eq(Col("creator", "t"))
    named.append(
        (
            "m",
            Select(
                (
                    *((c, Col(c, q)) for c in (*EVENT_COLUMNS, "message_id", "thread_id", "text")),
                    (
                        "recipient",
                        case((from_creator, Col("owner", "mo")), otherwise=Col("creator", "t")),
                    ),
                ),
                Table(q),
                q,
                joins=(
                    left("t", "t", matching("t", q, "thread_id")),
                    left("mo", "mo", matching("mo", q, "thread_id")),
                ),
            ),
        )
    )
    joins = (
        left("t", "t", matching("t", "m", "thread_id")),
        left("mo", "mo", matching("mo", "m", "thread_id")),
        person("u", "m"),
        person("r", "m", "recipient"),
    )
    return "m", joins, None, tie_keys("m", "message_id", "user_id")


def contexts(query: ReportQuery, named: Named) -> Built:
    """Per room: its threads by state, the moderators owning them, and the messages of thread
    creators (users) and of everyone else (moderators)."""
    _threads(query, named)
    state = fn("coalesce", Col("state", "mo"), "pending")
    asked = Select(  # the threads with a message in the range
        (("partner_id", Col("partner_id", "q")), ("thread_id", Col("thread_id", "q"))),
        Table("q"),
        "q",
        distinct=True,
    )
    tc = Select(
        (
            ("partner_id", Col("partner_id", "t")),
            ("entry_id", Col("entry_id", "t")),
            ("state", state),
            ("owner", Col("owner", "mo")),
            ("last", fn("greatest", Col("last_message", "t"), Col("last_moderated", "mo"))),
        ),
        asked,
        "a",
        joins=(
            Join(JoinKind.INNER, Table("t"), "t", matching("t", "a", "thread_id")),
            left("mo", "mo", matching("mo", "a", "thread_id")),
        ),
    )
    s = Col("state", "s")
    resolved = s.isin(("resolved", "done"))

    def owners(which: Expr) -> Expr:
        return fn("list_text", agg("list", Col("owner", "s"), where=which), ", ")

    groups = (Col("partner_id", "s"), Col("entry_id", "s"))
    by_state = Select(
        (
            ("partner_id", groups[0]),
            ("entry_id", groups[1]),
            ("last_activity", agg("max", Col("last", "s"))),
            *((name, count(s.eq(name))) for name in ("pending", *_THREAD_STATES)),
            ("owners_resolved", owners(resolved)),
            ("owners_unresolved", owners(s.eq("owned"))),
        ),
        tc,
        "s",
        group_by=groups,
    )
    q = "q"
    from_creator = Col("user_id", q).eq(Col("creator", "t"))
    messages = Select(
        (
            ("partner_id", Col("partner_id", q)),
            ("entry_id", Col("entry_id", "t")),
            ("user_messages", count(from_creator)),
            ("moderator_messages", count(~from_creator)),
        ),
        Table(q),
        q,
        joins=(Join(JoinKind.INNER, Table("t"), "t", matching("t", q, "thread_id")),),
        group_by=(Col("partner_id", q), Col("entry_id", "t")),
    )
    named += [("bs", by_state), ("mc", messages)]
    b = "bs"
    named.append(
        (
            "c",
            Select(
                (
                    *(
                        (c, Col(c, b))
                        for c in (
                            "partner_id",
                            "entry_id",
                            "last_activity",
                            "pending",
                            *_THREAD_STATES,
                            "owners_resolved",
                            "owners_unresolved",
                        )
                    ),
                    *(
                        (c, fn("coalesce", Col(c, "mc"), 0))
                        for c in ("user_messages", "moderator_messages")
                    ),
                ),
                Table(b),
                b,
                joins=(left("mc", "mc", matching("mc", b, "entry_id")),),
            ),
        )
    )
    return "c", (), None, tie_keys("c", "entry_id")
