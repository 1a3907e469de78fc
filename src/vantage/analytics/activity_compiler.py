"""Activity report + query → an engine-neutral plan (vantage.sql). Pure, as the room compiler
is: nothing here touches a store or writes SQL text.

Every plan reads the room events of the caller's partners in the query's range that pass its
filters (``_events``), one relation per kind of row (``ActivityReport.rows``), and joins what
describes a row by the aliases activity_reports lists. What happened to a message, a thread or a
poll is looked up in the partner's other events: a message's likes and deletion and a thread's
moderation from the range's start on, however long after (so a message sent on the last day
still shows the likes it got the next morning), a poll's launch up to the range's end, a
thread's question and a person's session role at any time.
"""

from __future__ import annotations

from collections.abc import Sequence

from vantage.analytics.activity_reports import ActivityReport, Rows
from vantage.analytics.period import time_at
from vantage.analytics.query import ReportQuery
from vantage.analytics.relations import entries, filter_conditions, left, on
from vantage.analytics.room_compiler import Compiled
from vantage.sql.expr import (
    Col,
    Expr,
    Lit,
    Null,
    Order,
    Type,
    agg,
    all_of,
    case,
    count,
    fn,
)
from vantage.sql.plan import Join, JoinKind, Query, Select, Table, Union, With

_COMMON = ("partner_id", "entry_id", "session_id", "user_id", "time")
_THREAD_STATES = ("owned", "resolved", "done")  # the actions that set a thread's state
_REGISTRATION = ("registered", "unregistered")
_FORM = (
    "first_name",
    "last_name",
    "email",
    "title",
    "company",
    "industry",
    "country",
    "job_role",
)

Named = list[tuple[str, Query]]


def compile_report(report: ActivityReport, query: ReportQuery) -> Compiled:
    named: Named = [("ents", entries(query))]
    source, joins, where, keys = _BUILDERS[report.rows](query, named)
    selected = [c.expr for c in report.columns]
    headers = report.headers
    order = [Order(selected[headers.index(h)]) for h in report.order]
    final = Select(
        tuple((f"c{i}", x) for i, x in enumerate(selected)),
        Table(source),
        source,
        joins=(*joins, left("ents", "e", on("e", source, Col("entry_id", source)))),
        where=where,
        order_by=(*order, *(Order(k) for k in keys)),  # ties in the same order on every engine
    )
    return Compiled(With(tuple(named), final), headers)


def _events(query: ReportQuery, types: Sequence[str], columns: Sequence[str]) -> Select:
    """Room events of ``types`` in the query's range that pass its filters; their virtual event
    is their room's when they name none."""
    r, en = "r", "en"
    return Select(
        (
            *((c, Col(c, r)) for c in dict.fromkeys((*_COMMON, *columns))),
            (
                "virtual_event_id",
                fn("coalesce", Col("virtual_event_id", r), Col("virtual_event_id", en)),
            ),
        ),
        Table("room_events"),
        r,
        joins=(left("ents", en, on(en, r, Col("entry_id", r))),),
        where=all_of(
            [
                Col("partner_id", r).isin(sorted(query.partner_ids)),
                Col("time", r).ge(time_at(query.start)),
                Col("time", r).lt(time_at(query.end)),
                Col("event_type", r).isin(list(types)),
                *filter_conditions(query, r, en),
            ]
        ),
    )


def _lookup(
    query: ReportQuery,
    event_type: str,
    keys: Sequence[str],
    columns: Sequence[tuple[str, Expr]],
    after_start: bool = False,
    before_end: bool = False,
) -> Select:
    """The partner's events of one type grouped by ``keys``, at any time unless bounded: what
    always follows a row's event (a like, a moderation action) never precedes the range's
    start, and what always precedes it (a poll's launch) never follows its end."""
    x = "x"
    wanted = [
        Col("partner_id", x).isin(sorted(query.partner_ids)),
        Col("event_type", x).eq(event_type),
    ]
    if after_start:
        wanted.append(Col("time", x).ge(time_at(query.start)))
    if before_end:
        wanted.append(Col("time", x).lt(time_at(query.end)))
    groups = [("partner_id", Col("partner_id", x)), *((k, Col(k, x)) for k in keys)]
    return Select(
        (*groups, *columns),
        Table("room_events"),
        x,
        where=all_of(wanted),
        group_by=tuple(e for _, e in groups),
    )


def _x(column: str) -> Col:
    return Col(column, "x")


def _person(alias: str, row: str, user_column: str = "user_id") -> Join:
    return left("users", alias, on(alias, row, Col(user_column, row)))


def _by(alias: str, row: str, *columns: str) -> Expr:
    """``alias`` is ``row``'s by partner and ``columns``."""
    return all_of(Col(c, alias).eq(Col(c, row)) for c in ("partner_id", *columns))


Built = tuple[str, tuple[Join, ...], Expr | None, tuple[Expr, ...]]
"""The final select's source relation, its joins, its condition and its tie-breaking keys."""


def _group_messages(query: ReportQuery, named: Named) -> Built:
    columns = ("message_id", "text", "reply_to_message_id", "context_id")
    named += [
        ("m", _events(query, ("groupMessageSent",), columns)),
        (
            "lk",
            _lookup(
                query,
                "messageLiked",
                ("message_id",),
                (("likes", agg("count_distinct", _x("user_id"))),),
                after_start=True,
            ),
        ),
        ("dl", _lookup(query, "groupMessageDeleted", ("message_id",), (), after_start=True)),
        (
            "sr",
            _lookup(
                query,
                "joinSession",
                ("session_id", "user_id"),
                (("role", agg("arg_max", _x("role"), _x("time"))),),
            ),
        ),
    ]
    joins = (
        left("lk", "lk", _by("lk", "m", "message_id")),
        left("dl", "dl", _by("dl", "m", "message_id")),
        left("sr", "sr", _by("sr", "m", "session_id", "user_id")),
        _person("u", "m"),
    )
    return "m", joins, None, _keys("m", "message_id")


def _keys(alias: str, *columns: str) -> tuple[Expr, ...]:
    return tuple(Col(c, alias) for c in ("partner_id", *columns))


def _private_messages(query: ReportQuery, named: Named) -> Built:
    columns = ("message_id", "recipient_user_id", "text")
    named.append(("m", _events(query, ("privateMessageSent",), columns)))
    joins = (_person("u", "m"), _person("r", "m", "recipient_user_id"))
    return "m", joins, None, _keys("m", "message_id", "time", "user_id")


def _chat_users(query: ReportQuery, named: Named) -> Built:
    """A private message is internal when sender and recipient have e-mail addresses of the same
    domain (one organisation), else external; a connection is a joinSession."""
    p = "p"
    same_domain = fn("email_domain", Col("email", "us")).eq(fn("email_domain", Col("email", "ur")))
    internal = fn("coalesce", same_domain, Lit(False))
    named += [
        ("pm", _events(query, ("privateMessageSent",), ("recipient_user_id",))),
        (
            "pmi",
            Select(
                (
                    ("partner_id", Col("partner_id", p)),
                    ("user_id", Col("user_id", p)),
                    ("recipient_user_id", Col("recipient_user_id", p)),
                    ("internal", case((internal, 1), otherwise=0)),
                ),
                Table("pm"),
                p,
                joins=(_person("us", p), _person("ur", p, "recipient_user_id")),
            ),
        ),
        ("js", _events(query, ("joinSession",), ())),
    ]
    zero = Lit(0)
    inside, outside = Col("internal", "i"), 1 - Col("internal", "i")
    counts = ("connections", "internal_sent", "external_sent", "internal_received")

    def part(relation: str, user: str, values: tuple[Expr, ...]) -> Select:
        alias = "i" if relation == "pmi" else "j"
        return Select(
            (
                ("partner_id", Col("partner_id", alias)),
                ("user_id", Col(user, alias)),
                *zip((*counts, "external_received"), values, strict=True),
            ),
            Table(relation),
            alias,
        )

    parts = Union(
        (
            part("pmi", "user_id", (zero, inside, outside, zero, zero)),
            part("pmi", "recipient_user_id", (zero, zero, zero, inside, outside)),
            part("js", "user_id", (Lit(1), zero, zero, zero, zero)),
        )
    )
    g = "g"
    named.append(
        (
            "a",
            Select(
                (
                    ("partner_id", Col("partner_id", g)),
                    ("user_id", Col("user_id", g)),
                    ("entry_id", Null(Type.TEXT)),  # a person's, in every room
                    *((c, agg("sum", Col(c, g))) for c in (*counts, "external_received")),
                ),
                parts,
                g,
                group_by=(Col("partner_id", g), Col("user_id", g)),
            ),
        )
    )
    return "a", (_person("u", "a"),), None, _keys("a", "user_id")


def _threads(query: ReportQuery, named: Named) -> None:
    """``q``: the Q&A messages of the range; ``t``: their threads (room, creator, last message)
    and ``mo``: the threads' moderation (state, owner, labels, last action)."""
    named += [
        ("q", _events(query, ("questionAnswerMessageSent",), ("message_id", "thread_id", "text"))),
        (
            "t",
            _lookup(
                query,
                "questionAnswerMessageSent",
                ("thread_id",),
                (
                    ("entry_id", agg("arg_min", _x("entry_id"), _x("time"))),
                    # the question's author; the first writer if the question is missing
                    (
                        "creator",
                        fn(
                            "coalesce",
                            agg(
                                "arg_min",
                                _x("user_id"),
                                _x("time"),
                                where=_x("message_id").eq(_x("thread_id")),
                            ),
                            agg("arg_min", _x("user_id"), _x("time")),
                        ),
                    ),
                    ("last_message", agg("max", _x("time"))),
                ),
            ),
        ),
        (
            "mo",
            _lookup(
                query,
                "questionThreadModerated",
                ("thread_id",),
                (
                    (
                        "state",
                        agg(
                            "arg_max",
                            _x("action"),
                            _x("time"),
                            where=_x("action").isin(_THREAD_STATES),
                        ),
                    ),
                    # who took it; else who resolved or closed it
                    (
                        "owner",
                        fn(
                            "coalesce",
                            agg(
                                "arg_max", _x("user_id"), _x("time"), where=_x("action").eq("owned")
                            ),
                            agg(
                                "arg_max",
                                _x("user_id"),
                                _x("time"),
                                where=_x("action").isin(_THREAD_STATES),
                            ),
                        ),
                    ),
                    (
                        "labels",
                        agg(
                            "arg_max",
                            fn("list_text", _x("labels"), ", "),
                            _x("time"),
                            where=_x("action").eq("labeled"),
                        ),
                    ),
                    ("last_moderated", agg("max", _x("time"))),
                ),
                after_start=True,
            ),
        ),
    ]


def _qna_messages(query: ReportQuery, named: Named) -> Built:
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
                    *((c, Col(c, q)) for c in (*_COMMON, "message_id", "thread_id", "text")),
                    (
                        "recipient",
                        case((from_creator, Col("owner", "mo")), otherwise=Col("creator", "t")),
                    ),
                ),
                Table(q),
                q,
                joins=(
                    left("t", "t", _by("t", q, "thread_id")),
                    left("mo", "mo", _by("mo", q, "thread_id")),
                ),
            ),
        )
    )
    joins = (
        left("t", "t", _by("t", "m", "thread_id")),
        left("mo", "mo", _by("mo", "m", "thread_id")),
        _person("u", "m"),
        _person("r", "m", "recipient"),
    )
    return "m", joins, None, _keys("m", "message_id", "user_id")


def _contexts(query: ReportQuery, named: Named) -> Built:
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
            Join(JoinKind.INNER, Table("t"), "t", _by("t", "a", "thread_id")),
            left("mo", "mo", _by("mo", "a", "thread_id")),
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
        joins=(Join(JoinKind.INNER, Table("t"), "t", _by("t", q, "thread_id")),),
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
                joins=(left("mc", "mc", _by("mc", b, "entry_id")),),
            ),
        )
    )
    return "c", (), None, _keys("c", "entry_id")


def _poll_answers(query: ReportQuery, named: Named) -> Built:
    launch_columns = (
        "question",
        "poll_type",
        "visual_type",
        "visual_icon",
        "group_poll_id",
        "group_poll_name",
        "scheduling_type",
        "correct_answer",
    )
    named += [
        ("m", _events(query, ("pollAnswered",), ("poll_id", "answer", "is_correct"))),
        (
            "l",
            _lookup(
                query,
                "pollLaunched",
                ("poll_id", "entry_id"),
                (
                    *((c, agg("arg_max", _x(c), _x("time"))) for c in launch_columns),
                    ("launched_at", agg("max", _x("time"))),
                ),
                before_end=True,
            ),
        ),
    ]
    joins = (left("l", "l", _by("l", "m", "entry_id", "poll_id")), _person("u", "m"))
    return "m", joins, None, _keys("m", "time", "user_id", "poll_id", "answer")


def _registrations(query: ReportQuery, named: Named, keys: tuple[str, ...]) -> str:
    """``g``: each person's registration (per ``keys``) as their latest form said it."""
    named.append(("rg", _events(query, _REGISTRATION, ("event_type", "app_guid", *_FORM))))
    r = "rg"
    registered = Col("event_type", r).eq("registered")
    groups = [("partner_id", Col("partner_id", r)), *((k, Col(k, r)) for k in keys)]
    named.append(
        (
            "g",
            Select(
                (
                    *groups,
                    ("status", agg("arg_max", Col("event_type", r), Col("time", r))),
                    ("registered_at", agg("min", Col("time", r), where=registered)),
                    ("updated_at", agg("max", Col("time", r))),
                    *(
                        [("entry_id", agg("arg_max", Col("entry_id", r), Col("time", r)))]
                        if "entry_id" not in keys
                        else []
                    ),
                    *(
                        (c, agg("arg_max", Col(c, r), Col("time", r), where=registered))
                        for c in _FORM
                    ),
                ),
                Table(r),
                r,
                group_by=tuple(e for _, e in groups),
            ),
        )
    )
    return "g"


def _registration(query: ReportQuery, named: Named) -> Built:
    g = _registrations(query, named, ("user_id", "app_guid", "virtual_event_id"))
    return g, (_person("u", g),), None, _keys(g, "user_id", "app_guid", "virtual_event_id")


def _rsvp(query: ReportQuery, named: Named) -> Built:
    """People whose latest word on a room was to register."""
    g = _registrations(query, named, ("entry_id", "user_id"))
    return g, (_person("u", g),), Col("status", g).eq("registered"), _keys(g, "entry_id", "user_id")


def _downloads(query: ReportQuery, named: Named) -> Built:
    columns = ("attachment_id", "attachment_title")
    named.append(("m", _events(query, ("downloadAttachmentClicked",), columns)))
    return "m", (_person("u", "m"),), None, _keys("m", "time", "user_id", "attachment_id")


_BUILDERS = {
    Rows.GROUP_MESSAGE: _group_messages,
    Rows.PRIVATE_MESSAGE: _private_messages,
    Rows.CHAT_USER: _chat_users,
    Rows.QNA_MESSAGE: _qna_messages,
    Rows.CONTEXT: _contexts,
    Rows.POLL_ANSWER: _poll_answers,
    Rows.REGISTRATION: _registration,
    Rows.RSVP: _rsvp,
    Rows.DOWNLOAD: _downloads,
}
