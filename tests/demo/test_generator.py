"""The demo generator: same seed, same data; and the data keeps the rules real events keep."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import msgspec
import pytest

from tests.demo.conftest import MEDIUM, NOW, q
from vantage.demo import DemoSummary, generate
from vantage.entities import partners
from vantage.events.columns import COLUMNS
from vantage.events.decode import TimeWindow, decode_batch
from vantage.events.vocabulary import BY_NAME, EVENT_TYPES, type_name
from vantage.ingest.store import Store

WINDOW_START = NOW - dt.timedelta(days=120)
TABLES = (
    "partners",
    "users",
    "entries",
    "categories",
    "virtual_events",
    "room_sessions",
    "room_events",
)


def _naive(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.UTC).replace(tzinfo=None)


def _rows(store: Store, table: str) -> list[tuple[Any, ...]]:
    return q(store, f"SELECT * FROM {table} ORDER BY ALL")


# --- determinism -------------------------------------------------------------------------------


def test_same_seed_and_now_give_identical_data(stores: Any) -> None:
    a, b = stores("a"), stores("b")
    sa = generate(a, seed=7, events=8_000, now=NOW)
    sb = generate(b, seed=7, events=8_000, now=NOW, chunk_rows=1_000)  # chunking changes nothing
    assert sa == sb
    for table in TABLES:
        rows = _rows(a, table)
        assert rows or table == "virtual_events", table  # a school this small has none
        assert rows == _rows(b, table), table


def test_another_seed_gives_other_data(stores: Any) -> None:
    a, b = stores("a"), stores("b")
    sa = generate(a, seed=7, events=8_000, now=NOW)
    sb = generate(b, seed=8, events=8_000, now=NOW)
    assert sa.admin_secret != sb.admin_secret
    for table in ("users", "entries", "room_sessions", "room_events"):
        assert _rows(a, table) != _rows(b, table), table


def test_secrets_can_be_given(stores: Any) -> None:
    store = stores("a")
    summary = generate(store, events=3_000, now=NOW, admin_secret="a" * 32, user_secret="b" * 32)
    assert (summary.admin_secret, summary.user_secret) == ("a" * 32, "b" * 32)
    assert q(store, "SELECT admin_secrets, user_secret FROM partners") == [(["a" * 32], "b" * 32)]


# --- size, partner, progress -------------------------------------------------------------------


def test_small_request_still_makes_a_whole_session(stores: Any) -> None:
    store = stores("a")
    summary = generate(store, events=3_000, now=NOW)
    assert summary.events >= 3_000
    assert summary.events == q(store, "SELECT count(*) FROM room_events")[0][0]
    starts = q(store, "SELECT count(*) FROM room_events WHERE event_type = 'sessionStarted'")
    ends = q(store, "SELECT count(*) FROM room_events WHERE event_type = 'sessionEnded'")
    assert starts[0][0] >= 1 and starts == ends


def test_event_count_is_about_what_was_asked(medium: tuple[Store, DemoSummary]) -> None:
    store, summary = medium
    assert MEDIUM <= summary.events < MEDIUM * 1.3
    assert summary.events == q(store, "SELECT count(*) FROM room_events")[0][0]


def test_progress_reports_rows_written(stores: Any) -> None:
    seen: list[int] = []
    summary = generate(stores("a"), events=20_000, now=NOW, chunk_rows=4_000, progress=seen.append)
    assert len(seen) >= 3
    assert seen == sorted(seen) and seen[-1] == summary.events + summary.player_events


def test_uses_the_next_partner_id_when_101_is_taken(stores: Any) -> None:
    store = stores("a")
    store.writer.submit(lambda tx: partners.create(tx, "Someone else", partner_id=101)).result()
    summary = generate(store, events=3_000, now=NOW)
    assert summary.partner_id == 102
    assert q(store, "SELECT DISTINCT partner_id FROM room_events") == [(102,)]
    assert q(store, "SELECT DISTINCT partner_id FROM users") == [(102,)]


def test_now_must_be_aware(stores: Any) -> None:
    with pytest.raises(ValueError):
        generate(stores("a"), events=3_000, now=dt.datetime(2025, 6, 1))


# --- the data is valid -------------------------------------------------------------------------


def test_every_event_type_appears(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    found = {r[0] for r in q(store, "SELECT DISTINCT event_type FROM room_events")}
    assert found == {type_name(cls) for cls in EVENT_TYPES}


def test_every_event_passes_the_collector_validation(medium: tuple[Store, DemoSummary]) -> None:
    """Each row, turned back into the wire format, decodes as the vocabulary says and lies in
    the 120 days before now."""
    store, _ = medium
    names = [c.name for c in COLUMNS]
    wire = {c.name: c.wire for c in COLUMNS}
    lines = []
    for values in q(store, f"SELECT {', '.join(names)} FROM room_events"):
        row = dict(zip(names, values, strict=True))
        cls = BY_NAME[row["event_type"]]
        event: dict[str, Any] = {"type": row["event_type"]}
        for name in cls.__struct_fields__:
            value = row[name]
            if value is None:
                continue
            if name == "time":
                value = value.replace(tzinfo=dt.UTC).isoformat()
            event[wire[name]] = value
        lines.append(msgspec.json.encode(event))
    window = TimeWindow.around(NOW, max_age_days=120, max_skew_seconds=0)
    decoded = decode_batch(b"\n".join(lines), ndjson=True, window=window, max_events=len(lines))
    assert len(decoded.events) == len(lines)


def test_times_lie_in_the_window(medium: tuple[Store, DemoSummary]) -> None:
    store, summary = medium
    lo, hi, late, early = q(
        store,
        """
        SELECT min(time), max(time), max(received_at), min(received_at - time)
        FROM room_events""",
    )[0]
    assert _naive(WINDOW_START) <= lo and hi <= late <= _naive(NOW)
    assert early > dt.timedelta(0)
    assert summary.first_event is not None and _naive(summary.first_event) == lo
    for table, column in (
        ("users", "created_at"),
        ("entries", "created_at"),
        ("room_sessions", "start_time"),
        ("room_sessions", "end_time"),
        ("virtual_events", "ends_at"),
    ):
        lo, hi = q(store, f"SELECT min({column}), max({column}) FROM {table}")[0]
        if lo is not None:
            assert _naive(WINDOW_START) <= lo and hi <= _naive(NOW), table


def test_events_refer_to_stored_users_and_entries(medium: tuple[Store, DemoSummary]) -> None:
    store, summary = medium
    pid = summary.partner_id
    assert q(store, "SELECT DISTINCT partner_id FROM room_events") == [(pid,)]
    assert (
        q(
            store,
            """
        SELECT count(*) FROM room_events e
        WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.partner_id = e.partner_id
                          AND u.id = e.user_id)
           OR (e.recipient_user_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM users u WHERE u.partner_id = e.partner_id
                AND u.id = e.recipient_user_id))
           OR NOT EXISTS (SELECT 1 FROM entries n WHERE n.partner_id = e.partner_id
                          AND n.id = e.entry_id AND n.kind = 'room')
           OR (e.virtual_event_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM virtual_events v WHERE v.partner_id = e.partner_id
                AND v.id = e.virtual_event_id))""",
        )[0][0]
        == 0
    )
    assert q(store, "SELECT count(*) FROM users")[0][0] == summary.users
    assert q(store, "SELECT count(*) FROM entries WHERE kind = 'room'")[0][0] == summary.rooms


def test_session_events_match_room_sessions(medium: tuple[Store, DemoSummary]) -> None:
    store, summary = medium
    stored = q(
        store,
        """
        SELECT id, entry_id, start_time, end_time, host_user_id FROM room_sessions ORDER BY id""",
    )
    from_events = q(
        store,
        """
        SELECT session_id, any_value(entry_id),
               min(time) FILTER (event_type = 'sessionStarted'),
               max(time) FILTER (event_type = 'sessionEnded'),
               any_value(user_id) FILTER (event_type = 'sessionStarted')
        FROM room_events WHERE event_type IN ('sessionStarted', 'sessionEnded')
        GROUP BY session_id ORDER BY session_id""",
    )
    assert stored == from_events
    assert len(stored) == summary.sessions
    assert (
        q(
            store,
            """
        SELECT count(*) FROM room_events
        WHERE event_type IN ('sessionStarted', 'sessionEnded')
        GROUP BY session_id, event_type HAVING count(*) > 1""",
        )
        == []
    )
    # every event that names a session happened in that session's room
    assert (
        q(
            store,
            """
        SELECT count(*) FROM room_events e LEFT JOIN room_sessions s
          ON s.partner_id = e.partner_id AND s.id = e.session_id
        WHERE e.session_id IS NOT NULL AND (s.id IS NULL OR s.entry_id <> e.entry_id)""",
        )[0][0]
        == 0
    )


def test_presence_events_lie_inside_their_session(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    outside = q(
        store,
        """
        SELECT count(*) FROM room_events e JOIN room_sessions s
          ON s.partner_id = e.partner_id AND s.id = e.session_id
        WHERE e.time < s.start_time OR e.time > s.end_time""",
    )[0][0]
    assert outside == 0
    assert (
        q(
            store,
            """
        SELECT count(*) FROM room_events
        WHERE event_type IN ('joinSession', 'leaveSession', 'viewPeriod', 'reactionClicked',
                             'raiseHand', 'micTurnedOn', 'cameraTurnedOn')
          AND session_id IS NULL""",
        )[0][0]
        == 0
    )


def test_heartbeats_come_between_a_join_and_its_leave(medium: tuple[Store, DemoSummary]) -> None:
    """Per person and session: join, heartbeats every 10 s (the last one shorter), leave; after
    a leave nothing until the next join. The heartbeats of one presence add up to its length."""
    store, _ = medium
    rows = q(
        store,
        """
        SELECT session_id, user_id, time, event_type, view_time FROM room_events
        WHERE event_type IN ('joinSession', 'viewPeriod', 'leaveSession')
        ORDER BY session_id, user_id, time,
                 CASE event_type WHEN 'joinSession' THEN 0 WHEN 'viewPeriod' THEN 1 ELSE 2 END""",
    )
    by_person: dict[tuple[str, str], list[tuple[dt.datetime, str, float]]] = defaultdict(list)
    for session, user, time, kind, view in rows:
        by_person[(session, user)].append((time, kind, view))
    reconnects = short_last = 0
    for key, events in by_person.items():
        joined: dt.datetime | None = None
        seen = 0.0
        joins = 0
        for time, kind, view in events:
            if kind == "joinSession":
                assert joined is None, key
                joined, seen, joins = time, 0.0, joins + 1
            elif kind == "viewPeriod":
                assert joined is not None, key
                assert 0 < view <= 10
                seen += view
                short_last += view < 10
            else:
                assert joined is not None, key
                assert seen == pytest.approx((time - joined).total_seconds(), abs=1e-3), key
                joined = None
        assert joined is None, key
        reconnects += joins > 1
    assert reconnects > 0 and short_last > 0


def test_joins_carry_a_device_and_the_persons_country(
    medium: tuple[Store, DemoSummary],
) -> None:
    devices = dict(
        q(
            medium[0],
            "SELECT device, count(*) FROM room_events WHERE event_type = 'joinSession' GROUP BY 1",
        )
    )
    assert set(devices) == {"Computer", "Mobile", "Tablet"}
    assert devices["Computer"] > devices["Mobile"] > devices["Tablet"]
    assert devices["Computer"] > sum(devices.values()) / 2
    # a reconnect comes from the same device; the country is the person's own
    assert q(
        medium[0],
        "SELECT count(*) FROM (SELECT session_id, user_id FROM room_events "
        "WHERE event_type = 'joinSession' GROUP BY ALL HAVING count(DISTINCT device) > 1)",
    ) == [(0,)]
    assert q(
        medium[0],
        "SELECT count(*), count(*) FILTER (WHERE e.country = u.country) FROM room_events e "
        "JOIN users u ON u.partner_id = e.partner_id AND u.id = e.user_id "
        "WHERE e.event_type = 'joinSession'",
    ) == [(sum(devices.values()), sum(devices.values()))]
    # only joins carry a device
    assert q(
        medium[0],
        "SELECT count(*) FROM room_events WHERE device IS NOT NULL AND event_type <> 'joinSession'",
    ) == [(0,)]


def test_late_arrivals_and_early_leavers(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    late, early = q(
        store,
        """
        WITH p AS (
            SELECT e.session_id, e.user_id, min(e.time) AS first_join, max(e.time) AS last_leave,
                   any_value(s.start_time) AS start_time, any_value(s.end_time) AS end_time
            FROM room_events e JOIN room_sessions s ON s.id = e.session_id
            WHERE e.event_type IN ('joinSession', 'leaveSession')
            GROUP BY ALL)
        SELECT count(*) FILTER (first_join > start_time + INTERVAL 5 MINUTE),
               count(*) FILTER (last_leave < end_time - INTERVAL 5 MINUTE)
        FROM p""",
    )[0]
    assert late > 0 and early > 0


def test_engagement_fades_during_long_sessions(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    early, late = q(
        store,
        """
        SELECT avg(tab_focused::INT) FILTER (e.time < s.start_time + INTERVAL 15 MINUTE),
               avg(tab_focused::INT) FILTER (e.time > s.start_time + INTERVAL 40 MINUTE)
        FROM room_events e JOIN room_sessions s ON s.id = e.session_id
        WHERE e.event_type = 'viewPeriod' AND e.role IS NULL""",
    )[0]
    assert late < early


def test_breakout_rooms(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    breakouts = q(
        store,
        """
        SELECT b.id, p.kind, p.parent_entry_id FROM entries b
        LEFT JOIN entries p ON p.partner_id = b.partner_id AND p.id = b.parent_entry_id
        WHERE b.parent_entry_id IS NOT NULL""",
    )
    assert breakouts
    assert all(kind == "room" and grandparent is None for _, kind, grandparent in breakouts)
    # each breakout session runs inside a session of the main room, with people from it
    sessions = q(
        store,
        """
        SELECT b.id, count(m.id) FROM room_sessions b
        JOIN entries e ON e.partner_id = b.partner_id AND e.id = b.entry_id
        LEFT JOIN room_sessions m ON m.entry_id = e.parent_entry_id
             AND m.start_time <= b.start_time AND b.end_time <= m.end_time
        WHERE e.parent_entry_id IS NOT NULL GROUP BY b.id""",
    )
    assert sessions and all(n == 1 for _, n in sessions)
    strangers = q(
        store,
        """
        SELECT count(*) FROM room_events j
        JOIN room_sessions b ON b.id = j.session_id
        JOIN entries e ON e.id = b.entry_id AND e.parent_entry_id IS NOT NULL
        JOIN room_sessions m ON m.entry_id = e.parent_entry_id
             AND m.start_time <= b.start_time AND b.end_time <= m.end_time
        WHERE j.event_type = 'joinSession' AND NOT EXISTS (
            SELECT 1 FROM room_events k WHERE k.session_id = m.id
            AND k.user_id = j.user_id AND k.event_type = 'joinSession')""",
    )[0][0]
    assert strangers == 0
    chat = q(
        store,
        """
        SELECT count(*), count(*) FILTER (c.context_id = c.entry_id)
        FROM room_events c JOIN entries e ON e.id = c.entry_id
        WHERE c.event_type = 'groupMessageSent' AND e.parent_entry_id IS NOT NULL""",
    )[0]
    assert chat[0] > 0 and chat[0] == chat[1]
    assert (
        q(
            store,
            """
        SELECT count(*) FROM room_events c JOIN entries e ON e.id = c.entry_id
        WHERE c.event_type = 'groupMessageSent' AND e.parent_entry_id IS NULL
          AND c.context_id IS NOT NULL""",
        )[0][0]
        == 0
    )


def test_registrations_with_no_shows(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    no_shows = q(
        store,
        """
        SELECT count(DISTINCT r.user_id) FROM room_events r
        WHERE r.event_type = 'registered' AND NOT EXISTS (
            SELECT 1 FROM room_events j WHERE j.event_type = 'joinSession'
            AND j.user_id = r.user_id)""",
    )[0][0]
    assert no_shows > 0
    # registration carries the person's profile
    differ = q(
        store,
        """
        SELECT count(*) FROM room_events r JOIN users u ON u.id = r.user_id
        WHERE r.event_type = 'registered' AND (r.first_name IS DISTINCT FROM u.first_name
           OR r.email IS DISTINCT FROM u.email OR r.country IS DISTINCT FROM u.country)""",
    )
    assert differ[0][0] == 0
    # whoever unregistered had registered before, for the same room, and did not come
    assert (
        q(
            store,
            """
        SELECT count(*) FROM room_events x WHERE x.event_type = 'unregistered' AND (
            NOT EXISTS (SELECT 1 FROM room_events r WHERE r.event_type = 'registered'
                        AND r.user_id = x.user_id AND r.entry_id = x.entry_id
                        AND r.time <= x.time)
            OR EXISTS (SELECT 1 FROM room_events j WHERE j.event_type = 'joinSession'
                       AND j.user_id = x.user_id AND j.entry_id = x.entry_id))""",
        )[0][0]
        == 0
    )


def test_quizzes_have_right_and_wrong_answers(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    polls = q(
        store,
        """
        SELECT poll_id, poll_type, options, correct_answer, user_id FROM room_events
        WHERE event_type = 'pollLaunched'""",
    )
    assert len({p[0] for p in polls}) == len(polls)
    for _, kind, options, correct, _ in polls:
        if kind == "quiz":
            assert correct in options
        else:
            assert correct is None
        assert (options == []) == (kind == "open")
    answers = q(
        store,
        """
        SELECT a.is_correct, a.answer, p.correct_answer, p.poll_type, p.options,
               a.time >= p.time, a.session_id = p.session_id
        FROM room_events a JOIN room_events p
          ON p.event_type = 'pollLaunched' AND p.poll_id = a.poll_id
        WHERE a.event_type = 'pollAnswered'""",
    )
    assert (
        len(answers)
        == q(store, "SELECT count(*) FROM room_events WHERE event_type = 'pollAnswered'")[0][0]
    )
    quiz = [a for a in answers if a[3] == "quiz"]
    assert {a[0] for a in quiz} == {True, False}
    for ok, answer, correct, kind, options, after, same_session in answers:
        assert after and same_session
        if kind == "quiz":
            assert ok == (answer == correct)
        else:
            assert ok is None
        if kind != "open":
            assert answer in options


def test_chat_threads_and_references(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    assert (
        q(
            store,
            """
        SELECT count(*) FROM room_events r WHERE r.event_type = 'groupMessageSent'
          AND r.reply_to_message_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM room_events m WHERE m.event_type = 'groupMessageSent'
            AND m.message_id = r.reply_to_message_id AND m.time <= r.time
            AND m.session_id = r.session_id)""",
        )[0][0]
        == 0
    )
    assert (
        q(
            store,
            """
        SELECT count(*) FROM room_events r WHERE r.event_type = 'groupMessageSent'
          AND r.reply_to_message_id IS NOT NULL""",
        )[0][0]
        > 0
    )
    assert (
        q(
            store,
            """
        SELECT count(*) FROM room_events x
        WHERE x.event_type IN ('messageLiked', 'groupMessageDeleted') AND NOT EXISTS (
            SELECT 1 FROM room_events m WHERE m.event_type = 'groupMessageSent'
            AND m.message_id = x.message_id AND m.time <= x.time)""",
        )[0][0]
        == 0
    )
    assert q(
        store,
        "SELECT count(DISTINCT message_id) = count(*) FROM room_events "
        "WHERE event_type IN ('groupMessageSent', 'privateMessageSent', "
        "'questionAnswerMessageSent')",
    )[0][0]
    # Q&A: the question opens its thread, answers and moderation come after it
    assert (
        q(
            store,
            """
        WITH t AS (
            SELECT thread_id, min(time) AS opened,
                   count(*) FILTER (message_id = thread_id) AS questions,
                   min(time) FILTER (message_id = thread_id) AS asked
            FROM room_events WHERE event_type = 'questionAnswerMessageSent' GROUP BY 1)
        SELECT count(*) FROM t WHERE questions <> 1 OR asked <> opened""",
        )[0][0]
        == 0
    )
    assert (
        q(
            store,
            """
        SELECT count(*) FROM room_events x WHERE x.event_type = 'questionThreadModerated'
          AND NOT EXISTS (SELECT 1 FROM room_events m
            WHERE m.event_type = 'questionAnswerMessageSent' AND m.message_id = x.thread_id
            AND m.time <= x.time)""",
        )[0][0]
        == 0
    )
    actions = {
        r[0] for r in q(store, "SELECT DISTINCT action FROM room_events WHERE action IS NOT NULL")
    }
    assert actions == {"owned", "resolved", "done", "labeled"}


def test_natural_size_school(stores: Any) -> None:
    store = stores("natural")
    summary = generate(store, now=NOW)
    assert 1_000_000 <= summary.events <= 2_000_000
    assert summary.virtual_events >= 1 and summary.courses >= 3
    found = {r[0] for r in q(store, "SELECT DISTINCT event_type FROM room_events")}
    assert found == {type_name(cls) for cls in EVENT_TYPES}
    roles = {r[0] for r in q(store, "SELECT DISTINCT role FROM room_events WHERE role IS NOT NULL")}
    assert roles == {"host", "moderator", "speaker", "participant"}
    sizes = q(
        store,
        """
        SELECT min(n), max(n) FROM (
            SELECT count(DISTINCT user_id) AS n FROM room_events e
            JOIN entries r ON r.id = e.entry_id
            WHERE e.event_type = 'joinSession' AND r.parent_entry_id IS NULL
            GROUP BY session_id)""",
    )[0]
    assert sizes[0] >= 10 and sizes[1] <= 300
    assert q(store, "SELECT count(*) FROM categories WHERE full_name LIKE 'Courses>%'")[0][0] >= 3


def test_a_large_school_keeps_its_ids_apart() -> None:
    """Scaled to tens of millions of events a school has hundreds of courses; category and
    entry ids must still be unique (they once collided past 100 courses)."""
    import datetime as dt

    from vantage.demo.build import build_school
    from vantage.demo.clock import Clock

    clock = Clock.at(dt.datetime(2026, 11, 24, tzinfo=dt.UTC))
    school = build_school(1, 250, clock)
    ids = [c.id for c in school.categories]
    assert len(ids) == len(set(ids))
    entry_ids = [e.id for e in school.entries]
    assert len(entry_ids) == len(set(entry_ids))
