"""Session panel + query → engine-neutral plans (vantage.sql). Pure, as the other compilers are:
nothing here touches a store or writes SQL text; vantage.analytics.run runs the plans and
vantage.analytics.session_panels declares what they mean.

Every plan reads the room events of the caller's partners in the query's period that pass its
room and session (``_events``). Presence is read from the events themselves, not from the
hourly presence facts: the panels are per minute. Times come back as whole unix seconds, the
same on every engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from vantage.analytics.period import Period, time_at
from vantage.analytics.relations import entries, filter_conditions, left, on
from vantage.analytics.room_measures import (
    ENGAGED_SECONDS,
    ON_STAGE_SECONDS,
    PRESENT_SECONDS,
    full_name,
    quiz_answer_right,
)
from vantage.analytics.session_panels import HEATMAP_ENGAGED, MAX_ON_STAGE, PanelQuery, Span
from vantage.sql.expr import Col, Expr, Lit, Order, Type, agg, all_of, array, case, col, count, fn
from vantage.sql.plan import Join, JoinKind, Query, Select, Table, With
from vantage.store.room_presence import EVENT_TYPE as PRESENCE

_COMMON = ("partner_id", "entry_id", "session_id", "user_id", "time")
_PRESENCE_COLUMNS = (
    "event_type",
    "view_time",
    "tab_focused",
    "sound_on",
    "camera_on",
    "full_screen",
    "on_stage",
)


def _events(q: PanelQuery, event_type: str, columns: Sequence[str], where: Expr | None) -> Select:
    """The room events of one type of the query's partners, period, rooms and session."""
    r, en = "r", "en"
    return Select(
        tuple((c, Col(c, r)) for c in dict.fromkeys((*_COMMON, *columns))),
        Table("room_events"),
        r,
        joins=(left("ents", en, on(en, r, Col("entry_id", r))),),
        where=all_of(
            [
                Col("partner_id", r).isin(sorted(q.partner_ids)),
                Col("time", r).ge(time_at(q.period.start)),
                Col("time", r).lt(time_at(q.period.end)),
                Col("event_type", r).eq(event_type),
                _among_rooms(q, Col("entry_id", r)),
                *filter_conditions(q, r, en),
                *([where] if where is not None else []),
            ]
        ),
    )


def _among_rooms(q: PanelQuery, entry: Col) -> Expr:
    """The rooms' condition on the events' own entry column, which the engine applies while it
    reads them (the joined entry's condition alone came after joining every event of the
    partner in the period: a category of 200 rooms read them all). It implies nothing the
    entry's condition does not; that condition still decides."""
    x = "x"
    if q.entry_id is None:
        wanted = fn("list_has_any", Col("category_ids", x), array([q.category_id], Type.INT))
        return entry.isin(Select((("id", Col("id", x)),), Table("ents"), x, where=wanted))
    breakouts = Select(
        (("id", Col("id", x)),), Table("ents"), x, where=Col("parent_entry_id", x).eq(q.entry_id)
    )
    return entry.eq(q.entry_id) | entry.isin(breakouts)


Named = tuple[tuple[str, Query], ...]


def _presence(q: PanelQuery, span: Span | None = None, user_ids: Sequence[str] = ()) -> Named:
    """``ents`` and ``pp``: the presence periods, within ``span`` and of ``user_ids`` when
    given."""
    r = "r"
    wanted = []
    if span is not None:
        wanted += [Col("time", r).ge(time_at(span.start)), Col("time", r).lt(time_at(span.end))]
    if user_ids:
        wanted.append(Col("user_id", r).isin(sorted(set(user_ids))))
    periods = _events(q, PRESENCE, _PRESENCE_COLUMNS, all_of(wanted) if wanted else None)
    return (("ents", entries(q)), ("pp", periods))


def _seconds(value: Expr) -> Expr:
    return fn("unix_seconds", value)


def presence_bounds(q: PanelQuery) -> Query:
    """One row: the first and the last second with a presence period (NULLs when none)."""
    t = col("time")
    bounds = Select(
        (("first", _seconds(agg("min", t))), ("last", _seconds(agg("max", t)))), Table("pp")
    )
    return With(_presence(q), bounds)


def session_bounds(q: PanelQuery) -> Query:
    """The query's session as stored (start and end in unix seconds, either NULL); no row when
    it is not stored."""
    assert q.session_id is not None
    s = "s"
    return Select(
        (
            ("start", _seconds(Col("start_time", s))),
            ("end", _seconds(Col("end_time", s))),
        ),
        Table("room_sessions"),
        s,
        where=all_of(
            [
                Col("partner_id", s).isin(sorted(q.partner_ids)),
                Col("id", s).eq(q.session_id),
            ]
        ),
    )


def _bucket(span: Span) -> Expr:
    return _seconds(fn("bucket_time", span.step, col("time")))


def timeline(q: PanelQuery, span: Span) -> Query:
    """Per point of ``span`` with presence: its start, the distinct people present, the
    seconds present and the seconds engaged by the meeting rule (room_measures'), in order."""
    bucket = _bucket(span)
    points = Select(
        (
            ("point", bucket),
            ("viewers", agg("count_distinct", col("user_id"))),
            ("present", fn("coalesce", PRESENT_SECONDS, 0.0)),
            ("engaged", fn("coalesce", ENGAGED_SECONDS, 0.0)),
        ),
        Table("pp"),
        group_by=(bucket,),
        order_by=(Order(bucket),),
    )
    return With(_presence(q, span), points)


def heatmap(q: PanelQuery, span: Span, user_ids: Sequence[str]) -> Query:
    """Per person of ``user_ids`` and point of ``span`` with presence: 1 when some presence
    period of the point was engaged by the dashboard's rule, else 0."""
    bucket = _bucket(span)
    engaged = agg("max", case((HEATMAP_ENGAGED, 1), otherwise=0))
    cells = Select(
        (("user_id", col("user_id")), ("point", bucket), ("engaged", engaged)),
        Table("pp"),
        group_by=(col("user_id"), bucket),
        order_by=(Order(col("user_id")), Order(bucket)),
    )
    return With(_presence(q, span, user_ids), cells)


def on_stage(q: PanelQuery) -> Query:
    """Per person with a presence period on stage: name, role (their latest session role in the
    room up to the period's end, however early they joined; else their usual one), seconds on
    stage and present, first and last time on stage; most seconds on stage first,
    ``MAX_ON_STAGE`` people at most."""
    t, staged = col("time"), col("on_stage")
    keys = (col("partner_id"), col("user_id"))
    people = Select(
        (
            ("partner_id", keys[0]),
            ("user_id", keys[1]),
            ("on_stage", ON_STAGE_SECONDS),
            ("present", fn("coalesce", PRESENT_SECONDS, 0.0)),
            ("first", _seconds(agg("min", t, where=staged))),
            ("last", _seconds(agg("max", t, where=staged))),
        ),
        Table("pp"),
        group_by=keys,
        having=ON_STAGE_SECONDS.not_null(),
    )
    j = "j"
    roles = Select(
        (
            ("partner_id", Col("partner_id", j)),
            ("user_id", Col("user_id", j)),
            ("role", agg("arg_max", Col("role", j), Col("time", j))),
        ),
        _events(replace(q, period=Period(0, q.period.end)), "joinSession", ("role",), None),
        j,
        group_by=(Col("partner_id", j), Col("user_id", j)),
    )
    s, u, r = "s", "u", "r"
    seconds = Col("on_stage", s)
    rows = Select(
        (
            ("user_id", Col("user_id", s)),
            ("name", full_name(u)),
            ("role", fn("coalesce", Col("role", r), Col("role", u))),
            ("on_stage", seconds),
            ("present", Col("present", s)),
            ("first", Col("first", s)),
            ("last", Col("last", s)),
        ),
        Table("st"),
        s,
        joins=(
            left("users", u, on(u, s, Col("user_id", s))),
            left("ro", r, on(r, s, Col("user_id", s), "user_id")),
        ),
        order_by=(Order(seconds, descending=True), Order(Col("user_id", s))),
        limit=MAX_ON_STAGE,
    )
    return With((*_presence(q), ("st", people), ("ro", roles)), rows)


# --- interactions ------------------------------------------------------------------------------

_LAUNCH = ("poll_id", "question", "poll_type", "options", "correct_answer")


def launches(q: PanelQuery) -> Query:
    """Every launch of a poll in the rooms and period: its id, launch time (unix seconds),
    question, type, options, correct answer, and the room's id and name, by poll and time."""
    x, n = "x", "n"
    rows = Select(
        (
            ("poll_id", Col("poll_id", x)),
            ("launched_at", _seconds(Col("time", x))),
            *((c, Col(c, x)) for c in _LAUNCH[1:]),
            ("entry_id", Col("entry_id", x)),
            ("entry_name", Col("name", n)),
        ),
        Table("pl"),
        x,
        joins=(left("ents", n, on(n, x, Col("entry_id", x))),),
        order_by=(Order(Col("poll_id", x)), Order(Col("time", x))),
    )
    return With(_launched(q), rows)


def _launched(q: PanelQuery) -> Named:
    """``pl``: the launches; ``l``: each poll's latest type and correct answer; ``pa``: the
    answers in the period to polls launched in it, each with whether it is right (quizzes: as
    the answer said, else compared with the correct answer; False otherwise); ``la``: each
    person's latest answer to each poll."""
    x, a = "x", "a"
    latest = Select(
        (
            ("partner_id", Col("partner_id", x)),
            ("poll_id", Col("poll_id", x)),
            ("poll_type", agg("arg_max", Col("poll_type", x), Col("time", x))),
            ("correct_answer", agg("arg_max", Col("correct_answer", x), Col("time", x))),
        ),
        Table("pl"),
        x,
        group_by=(Col("partner_id", x), Col("poll_id", x)),
    )
    quiz = Col("poll_type", "l").eq("quiz")
    right = quiz_answer_right(Col("answer", a), Col("is_correct", a), Col("correct_answer", "l"))
    answers = Select(
        (
            *((c, Col(c, a)) for c in ("partner_id", "poll_id", "user_id", "time", "answer")),
            ("poll_type", Col("poll_type", "l")),
            ("correct", fn("coalesce", quiz & right, Lit(False))),
        ),
        _events(q, "pollAnswered", ("poll_id", "answer", "is_correct"), None),
        a,
        joins=(
            Join(
                JoinKind.INNER,
                Table("l"),
                "l",
                Col("partner_id", "l").eq(Col("partner_id", a))
                & Col("poll_id", "l").eq(Col("poll_id", a)),
            ),
        ),
    )
    p = "p"
    keys = (Col("partner_id", p), Col("poll_id", p), Col("user_id", p))
    last = Select(
        (
            *zip(("partner_id", "poll_id", "user_id"), keys, strict=True),
            ("poll_type", agg("arg_max", Col("poll_type", p), Col("time", p))),
            ("answer", agg("arg_max", Col("answer", p), Col("time", p))),
            ("correct", agg("arg_max", Col("correct", p), Col("time", p))),
        ),
        Table("pa"),
        p,
        group_by=keys,
    )
    return (
        ("ents", entries(q)),
        ("pl", _events(q, "pollLaunched", _LAUNCH, None)),
        ("l", latest),
        ("pa", answers),
        ("la", last),
    )


def poll_totals(q: PanelQuery) -> Query:
    """Per poll answered: the distinct people who answered it and those whose latest answer is
    right (0 but for quizzes)."""
    a = "a"
    keys = (Col("partner_id", a), Col("poll_id", a))
    totals = Select(
        (
            ("poll_id", keys[1]),
            ("participants", count()),
            ("correct", count(Col("correct", a))),
        ),
        Table("la"),
        a,
        group_by=keys,
        order_by=(Order(keys[1]),),
    )
    return With(_launched(q), totals)


def choices(q: PanelQuery) -> Query:
    """Per poll other than an open question, and answer: the people whose latest answer it is,
    and whether it is right."""
    a = "a"
    keys = (Col("partner_id", a), Col("poll_id", a), Col("answer", a))
    rows = Select(
        (
            ("poll_id", keys[1]),
            ("answer", keys[2]),
            ("participants", count()),
            ("correct", agg("max", case((Col("correct", a), 1), otherwise=0))),
        ),
        Table("la"),
        a,
        where=Col("poll_type", a).ne("open"),
        group_by=keys,
        order_by=(Order(keys[1]), Order(keys[2])),
    )
    return With(_launched(q), rows)


def texts(q: PanelQuery) -> Query:
    """Every answer to an open question: poll, person, text and time (unix seconds), in time
    order."""
    a = "a"
    rows = Select(
        (
            ("poll_id", Col("poll_id", a)),
            ("user_id", Col("user_id", a)),
            ("answer", Col("answer", a)),
            ("time", _seconds(Col("time", a))),
        ),
        Table("pa"),
        a,
        where=Col("poll_type", a).eq("open"),
        order_by=tuple(Order(Col(c, a)) for c in ("poll_id", "time", "user_id", "answer")),
    )
    return With(_launched(q), rows)
