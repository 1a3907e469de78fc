"""Activity report + query → an engine-neutral plan (vantage.sql). Pure, as the room compiler
is: nothing here touches a store or writes SQL text.

Every plan reads the room events of the caller's partners in the query's range that pass its
filters (``relations.events``), one relation per kind of row (``ActivityReport.rows``; the Q&A
rows' are ``qna_relations``), and joins what describes a row by the aliases activity_reports
lists. What happened to a message, a thread or a poll is looked up in the partner's other
events: a message's likes and deletion and a thread's moderation from the range's start on,
however long after (so a message sent on the last day still shows the likes it got the next
morning), a poll's launch up to the range's end, a thread's question and a person's session
role at any time.
"""

from __future__ import annotations

from vantage.analytics import qna_relations
from vantage.analytics.activity_reports import ActivityReport, Rows
from vantage.analytics.query import ReportQuery
from vantage.analytics.relations import (
    Built,
    Named,
    entries,
    events,
    left,
    looked_up,
    lookup,
    matching,
    on,
    person,
    tie_keys,
)
from vantage.analytics.room_compiler import Compiled
from vantage.sql.expr import (
    Col,
    Expr,
    InQuery,
    Lit,
    Null,
    Order,
    Type,
    agg,
    case,
    fn,
)
from vantage.sql.plan import Select, Table, Union, With

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


def _group_messages(query: ReportQuery, named: Named) -> Built:
    columns = ("message_id", "text", "reply_to_message_id", "context_id")
    named += [
        ("m", events(query, ("groupMessageSent",), columns)),
        (
            "lk",
            lookup(
                query,
                "messageLiked",
                ("message_id",),
                (("likes", agg("count_distinct", looked_up("user_id"))),),
                after_start=True,
            ),
        ),
        ("dl", lookup(query, "groupMessageDeleted", ("message_id",), (), after_start=True)),
        *_session_roles(query),
    ]
    joins = (
        left("lk", "lk", matching("lk", "m", "message_id")),
        left("dl", "dl", matching("dl", "m", "message_id")),
        left("sr", "sr", matching("sr", "m", "session_id", "user_id")),
        person("u", "m"),
    )
    return "m", joins, None, tie_keys("m", "message_id")


def _session_roles(query: ReportQuery) -> Named:
    """``sr``: the latest role of people who joined a session as host, moderator or speaker at
    least once (everyone else is a participant). Few people are: a lookup of every person's
    role, one row per person and session, was as large as the chat and, joined to it, ran
    DuckDB out of its default memory at three million messages."""
    staff = lookup(
        query, "joinSession", ("user_id",), (), where=looked_up("role").ne("participant")
    )
    ids = Select((("user_id", Col("user_id", "st")),), Table("staff"), "st")
    roles = lookup(
        query,
        "joinSession",
        ("session_id", "user_id"),
        (("role", agg("arg_max", looked_up("role"), looked_up("time"))),),
        where=InQuery(looked_up("user_id"), ids),
    )
    return [("staff", staff), ("sr", roles)]


def _private_messages(query: ReportQuery, named: Named) -> Built:
    columns = ("message_id", "recipient_user_id", "text")
    named.append(("m", events(query, ("privateMessageSent",), columns)))
    joins = (person("u", "m"), person("r", "m", "recipient_user_id"))
    return "m", joins, None, tie_keys("m", "message_id", "time", "user_id")


def _chat_users(query: ReportQuery, named: Named) -> Built:
    """A private message is internal when sender and recipient have e-mail addresses of the same
    domain (one organisation), else external; a connection is a joinSession."""
    p = "p"
    same_domain = fn("email_domain", Col("email", "us")).eq(fn("email_domain", Col("email", "ur")))
    internal = fn("coalesce", same_domain, Lit(False))
    named += [
        ("pm", events(query, ("privateMessageSent",), ("recipient_user_id",))),
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
                joins=(person("us", p), person("ur", p, "recipient_user_id")),
            ),
        ),
        ("js", events(query, ("joinSession",), ())),
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
    return "a", (person("u", "a"),), None, tie_keys("a", "user_id")


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
        ("m", events(query, ("pollAnswered",), ("poll_id", "answer", "is_correct"))),
        (
            "l",
            lookup(
                query,
                "pollLaunched",
                ("poll_id", "entry_id"),
                (
                    *((c, agg("arg_max", looked_up(c), looked_up("time"))) for c in launch_columns),
                    ("launched_at", agg("max", looked_up("time"))),
                ),
                before_end=True,
            ),
        ),
    ]
    joins = (left("l", "l", matching("l", "m", "entry_id", "poll_id")), person("u", "m"))
    return "m", joins, None, tie_keys("m", "time", "user_id", "poll_id", "answer")


def _registrations(query: ReportQuery, named: Named, keys: tuple[str, ...]) -> str:
    """``g``: each person's registration (per ``keys``) as their latest form said it."""
    named.append(("rg", events(query, _REGISTRATION, ("event_type", "app_guid", *_FORM))))
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
    return g, (person("u", g),), None, tie_keys(g, "user_id", "app_guid", "virtual_event_id")


def _rsvp(query: ReportQuery, named: Named) -> Built:
    """People whose latest word on a room was to register."""
    g = _registrations(query, named, ("entry_id", "user_id"))
    return (
        g,
        (person("u", g),),
        Col("status", g).eq("registered"),
        tie_keys(g, "entry_id", "user_id"),
    )


def _downloads(query: ReportQuery, named: Named) -> Built:
    columns = ("attachment_id", "attachment_title")
    named.append(("m", events(query, ("downloadAttachmentClicked",), columns)))
    return "m", (person("u", "m"),), None, tie_keys("m", "time", "user_id", "attachment_id")


_BUILDERS = {
    Rows.GROUP_MESSAGE: _group_messages,
    Rows.PRIVATE_MESSAGE: _private_messages,
    Rows.CHAT_USER: _chat_users,
    Rows.QNA_MESSAGE: qna_relations.messages,
    Rows.CONTEXT: qna_relations.contexts,
    Rows.POLL_ANSWER: _poll_answers,
    Rows.REGISTRATION: _registration,
    Rows.RSVP: _rsvp,
    Rows.DOWNLOAD: _downloads,
}
