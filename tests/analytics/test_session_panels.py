"""The dashboard's session panels (vantage.analytics.session_panels) on a class worked by hand.

Partner 101, room 1_main with breakout 1_break; B is 2026-08-03 10:00 UTC. Session s1 of 1_main
runs B .. B+300 (sessionStarted / sessionEnded): five minutes, points B, B+60, … B+240.

  minute 0: prof 6 engaged periods, on stage (60 s, 60 engaged); eve 3 idle periods (tab
            unfocused, sound on: 30 s, 0 engaged), then she leaves
                                                       → 2 viewers, 90 s, 60 engaged, rate 2/3
            heatmap: prof engaged, eve not engaged
  minute 1: dan 6 periods, tab focused, sound off      → 1 viewer, 60 s, 60 engaged (meeting
            rule: the tab is focused), heatmap not engaged (the dashboard wants sound too)
            carol, in the breakout's session b1: one engaged period (only without a session)
  minute 2: nobody                                     → 0 viewers, no rate; all offline
  minute 3: eve rejoins, 2 idle periods with the camera on → 1 viewer, 20 s, 20 engaged
  minute 4: eve one idle, one engaged period          → 1 viewer, 20 s, 10 engaged; heatmap
            engaged (the most engaged period of the minute)

Polls in s1: q1 a quiz "2+2?" (3, 4, 5; correct 4): eve answers 3 then 4 (her latest counts:
right), dan 5 (wrong, no isCorrect sent: compared with 4) → 2 people; 3: 0, 4: 1 (½, correct),
5: 1 (½); half are right. q2 a poll (tea, coffee): eve and dan tea, prof coffee → 3 people, ⅔
and ⅓. q3 an open question: eve "none" then "actually, one", dan "no" → 2 people, three texts.

Partner 102 has a room with the same ids (1_main, s1, eve, q1); none of it may show.

Category 50 (a channel) holds 1_main, so its breakout 1_break too, and 1_chem "Chemistry"; 1_long
is not in it. In b1, 1_break launches qb "Ready?" (yes, no): carol yes → 1 person, yes 1, no 0.
In c1 (session of 1_chem), c1q a quiz "H2O?" (water, salt; correct water): eve water, dan salt
→ 2 people, half right. 1_long launches xq, which the channel must not show. The channel's
polls by first launch: c1q (B+30, Chemistry), q1 (B+60), qb (B+90, A), q2 (B+100), q3 (B+150)
— each with the room it was launched in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.analytics.conftest import ENGAGED, FROM, IDLE, TO, B, beats, ev, open_store
from vantage.analytics import run
from vantage.analytics.period import Period
from vantage.analytics.session_panels import (
    MAX_POINTS,
    Answer,
    OnStage,
    PanelQuery,
    Point,
    State,
    Text,
    span,
)
from vantage.ingest.store import Store

MUTED = {**ENGAGED, "soundOn": False}
CAMERA = {**IDLE, "cameraOn": True}
E, N, OFF = State.ENGAGED, State.NOT_ENGAGED, State.OFFLINE


def poll(user: str, t: int, poll_id: str, question: str, type_: str, **more: Any) -> dict[str, Any]:
    return ev("pollLaunched", user, t, pollId=poll_id, question=question, pollType=type_, **more)


def answer(user: str, t: int, poll_id: str, text: str, **more: Any) -> dict[str, Any]:
    return ev("pollAnswered", user, t, pollId=poll_id, answer=text, **more)


def events() -> list[dict[str, Any]]:
    return [
        ev("sessionStarted", "prof", B),
        ev("sessionEnded", "prof", B + 300),
        *beats("prof", B, [{**ENGAGED, "onStage": True}] * 6),  # engaged by either rule anyway
        ev("joinSession", "eve", B),
        *beats("eve", B, [IDLE] * 3),
        ev("leaveSession", "eve", B + 30),
        *beats("dan", B + 60, [MUTED] * 6),
        *beats("carol", B + 60, [ENGAGED], "b1", "1_break"),
        ev("joinSession", "eve", B + 180),
        *beats("eve", B + 180, [CAMERA] * 2),
        *beats("eve", B + 240, [IDLE, ENGAGED]),
        poll("prof", B + 60, "q1", "2+2?", "quiz", options=["3", "4", "5"], correctAnswer="4"),
        answer("eve", B + 70, "q1", "3", isCorrect=False),
        answer("eve", B + 80, "q1", "4", isCorrect=True),
        answer("dan", B + 75, "q1", "5"),
        poll("prof", B + 100, "q2", "Tea or coffee?", "poll", options=["tea", "coffee"]),
        answer("eve", B + 110, "q2", "tea"),
        answer("dan", B + 111, "q2", "tea"),
        answer("prof", B + 112, "q2", "coffee"),
        poll("prof", B + 150, "q3", "Any questions?", "open"),
        answer("eve", B + 160, "q3", "none"),
        answer("dan", B + 165, "q3", "no"),
        answer("eve", B + 170, "q3", "actually, one"),
        # the channel's other rooms
        poll(
            "carol",
            B + 90,
            "qb",
            "Ready?",
            "poll",
            session="b1",
            entry="1_break",
            options=["yes", "no"],
        ),
        answer("carol", B + 95, "qb", "yes", session="b1", entry="1_break"),
        poll(
            "prof",
            B + 30,
            "c1q",
            "H2O?",
            "quiz",
            session="c1",
            entry="1_chem",
            options=["water", "salt"],
            correctAnswer="water",
        ),
        answer("eve", B + 40, "c1q", "water", session="c1", entry="1_chem"),
        answer("dan", B + 41, "c1q", "salt", session="c1", entry="1_chem"),
        poll("prof", B + 20, "xq", "Elsewhere?", "poll", session="s9", entry="1_long"),
        # another partner, the same ids
        ev("sessionStarted", "prof", B - 600, partner=102),
        ev("viewPeriod", "eve", B + 120, partner=102, **ENGAGED),
        poll("prof", B + 10, "q1", "Other", "quiz", partner=102, options=["4"], correctAnswer="4"),
        answer("eve", B + 130, "q1", "4", partner=102, isCorrect=True),
        # a room whose presence spans 601 minutes
        ev("viewPeriod", "dan", B, "s9", "1_long", **ENGAGED),
        ev("viewPeriod", "dan", B + 36_000, "s9", "1_long", **IDLE),
    ]


ENTRIES = [
    {"partnerId": 101, "id": "1_main", "name": "Biology", "kind": "room", "categoryIds": [50]},
    {"partnerId": 101, "id": "1_break", "name": "A", "kind": "room", "parentEntryId": "1_main"},
    {"partnerId": 101, "id": "1_chem", "name": "Chemistry", "kind": "room", "categoryIds": [50]},
    {"partnerId": 102, "id": "1_main", "name": "Elsewhere", "kind": "room", "categoryIds": [50]},
    {"partnerId": 101, "id": "1_long", "name": "Marathon", "kind": "room"},
]
USERS = [{"partnerId": p, "id": u} for p in (101, 102) for u in ("eve", "dan", "prof", "carol")]
S1 = PanelQuery(frozenset({101}), Period(FROM, TO), "1_main", "s1")
ROOM = PanelQuery(frozenset({101}), Period(FROM, TO), "1_main")
CHANNEL = PanelQuery(frozenset({101}), Period(FROM, TO), category_id=50)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("panels") / "store.duckdb"
    with open_store(path, ENTRIES, USERS, events()) as s:
        yield s


def test_the_session_timeline_has_every_minute_of_the_session(store: Store) -> None:
    assert run.timeline(store.engine, S1) == [
        Point(B, 2, 90.0, 60.0),
        Point(B + 60, 1, 60.0, 60.0),
        Point(B + 120, 0, 0.0, 0.0),
        Point(B + 180, 1, 20.0, 20.0),
        Point(B + 240, 1, 20.0, 10.0),
    ]
    rates = [p.rate for p in run.timeline(store.engine, S1)]
    assert rates == [pytest.approx(2 / 3), 1.0, None, 1.0, 0.5]


def test_the_room_timeline_reads_its_breakouts_and_ends_with_the_last_presence(
    store: Store,
) -> None:
    points = run.timeline(store.engine, ROOM)
    assert [p.start for p in points] == [B, B + 60, B + 120, B + 180, B + 240]
    assert points[1] == Point(B + 60, 2, 70.0, 70.0)  # dan and carol


def test_a_span_longer_than_500_minutes_has_coarser_points(store: Store) -> None:
    long = PanelQuery(frozenset({101}), Period(FROM, TO), "1_long")
    points = run.timeline(store.engine, long)
    assert len(points) == 301  # 601 minutes in 2-minute points
    assert [p.start for p in points[:2]] == [B, B + 120]
    assert points[0] == Point(B, 1, 10.0, 10.0)
    assert points[-1] == Point(B + 36_000, 1, 10.0, 0.0)
    assert all(p.viewers == 0 for p in points[1:-1])
    found = run.heatmap(store.engine, long, ["dan"])
    assert found is not None
    assert found.states["dan"] == (E, *(OFF,) * 299, N)


def test_a_timeline_of_nothing_is_empty(store: Store) -> None:
    nobody = PanelQuery(frozenset({101}), Period(FROM, TO), "1_nowhere")
    assert run.timeline(store.engine, nobody) == []
    assert run.heatmap(store.engine, nobody, ["eve"]) is None
    assert run.interactions(store.engine, nobody) == []


def test_the_heatmap_gives_each_person_a_state_a_minute(store: Store) -> None:
    found = run.heatmap(store.engine, S1, ["eve", "dan", "prof", "ghost"])
    assert found is not None
    assert found.span.points == range(B, B + 300, 60)
    assert found.states == {
        "eve": (N, OFF, OFF, E, E),  # leaves after minute 0, rejoins in minute 3
        "dan": (OFF, N, OFF, OFF, OFF),  # focused but muted: engaged for the rate, not here
        "prof": (E, OFF, OFF, OFF, OFF),
        "ghost": (OFF,) * 5,
    }


def test_interactions(store: Store) -> None:
    q1, q2, q3 = run.interactions(store.engine, S1)
    assert (q1.poll_id, q1.question, q1.type, q1.launched_at) == ("q1", "2+2?", "quiz", B + 60)
    assert (q1.options, q1.correct_answer, q1.participants) == (("3", "4", "5"), "4", 2)
    assert q1.answers == (
        Answer("3", 0, 0.0, False),
        Answer("4", 1, 0.5, True),  # eve's second answer
        Answer("5", 1, 0.5, False),
    )
    assert q1.correct_share == 0.5
    assert q1.texts == ()
    assert (q2.poll_id, q2.participants, q2.correct_share) == ("q2", 3, None)
    assert q2.answers == (
        Answer("tea", 2, pytest.approx(2 / 3), None),
        Answer("coffee", 1, pytest.approx(1 / 3), None),
    )
    assert (q3.poll_id, q3.type, q3.participants, q3.answers) == ("q3", "open", 2, ())
    assert q3.texts == (
        Text("eve", "none", B + 160),
        Text("dan", "no", B + 165),
        Text("eve", "actually, one", B + 170),
    )


def test_a_channels_interactions_are_every_poll_of_its_rooms_with_its_room(
    store: Store,
) -> None:
    polls = run.interactions(store.engine, CHANNEL)
    assert [(p.poll_id, p.launched_at, p.entry_id, p.entry_name) for p in polls] == [
        ("c1q", B + 30, "1_chem", "Chemistry"),
        ("q1", B + 60, "1_main", "Biology"),
        ("qb", B + 90, "1_break", "A"),  # the breakout's, with its main room
        ("q2", B + 100, "1_main", "Biology"),
        ("q3", B + 150, "1_main", "Biology"),
    ]  # not xq: 1_long is not in the category
    c1q, q1, qb, q2, q3 = polls
    assert (c1q.type, c1q.participants, c1q.correct_share) == ("quiz", 2, 0.5)
    assert c1q.answers == (Answer("water", 1, 0.5, True), Answer("salt", 1, 0.5, False))
    assert qb.answers == (Answer("yes", 1, 1.0, None), Answer("no", 0, 0.0, None))
    # the main room's polls read as they do on the room's own page (its session's answers)
    assert [q1, q2, q3] == run.interactions(store.engine, S1)
    theirs = PanelQuery(frozenset({102}), Period(FROM, TO), category_id=50)
    assert [(p.poll_id, p.question) for p in run.interactions(store.engine, theirs)] == [
        ("q1", "Other")
    ]
    elsewhere = PanelQuery(frozenset({101}), Period(FROM, TO), category_id=51)
    assert run.interactions(store.engine, elsewhere) == []


def test_a_panel_reads_one_room_or_one_category() -> None:
    for wrong in (
        {},
        {"entry_id": "1_main", "category_id": 50},
        {"category_id": 50, "session_id": "s1"},
    ):
        with pytest.raises(ValueError):
            PanelQuery(frozenset({101}), Period(FROM, TO), **wrong)  # type: ignore[arg-type]


def test_prof_was_on_stage(store: Store) -> None:
    assert run.on_stage(store.engine, S1) == [OnStage("prof", None, None, 60.0, 60.0, B, B + 50)]


def test_another_partner_sees_only_its_own(store: Store) -> None:
    theirs = PanelQuery(frozenset({102}), Period(FROM, TO), "1_main", "s1")
    points = run.timeline(store.engine, theirs)
    assert [(p.start, p.viewers) for p in points if p.viewers] == [(B + 120, 1)]
    (q1,) = run.interactions(store.engine, theirs)
    assert (q1.question, q1.participants, q1.correct_share) == ("Other", 1, 1.0)


def test_the_heatmaps_people_present_are_the_timelines_viewers(store: Store) -> None:
    people = ["eve", "dan", "prof", "carol"]
    found = run.heatmap(store.engine, ROOM, people)
    points = run.timeline(store.engine, ROOM)
    assert found is not None
    for i, point in enumerate(points):
        present = sum(found.states[u][i] is not State.OFFLINE for u in people)
        assert present == point.viewers


@settings(max_examples=40, deadline=None)
@given(
    st.integers(FROM, B + 400),
    st.integers(0, 600),
    st.sampled_from(["1_main", "1_break", "1_long", "category 50"]),
    st.sampled_from([None, "s1", "b1"]),
    st.lists(st.sampled_from(["eve", "dan", "prof", "carol", "ghost"]), unique=True),
)
def test_panels_hold_their_invariants_for_any_range(
    store: Store, start: int, length: int, room: str, session: str | None, people: list[str]
) -> None:
    """Any range, room (or channel), session and page of people: a state a point for each
    person; people present in a point are among its viewers; engaged seconds never exceed
    present ones; the rates of a question's answers sum to 1."""
    period = Period(start, start + length)
    q = (
        PanelQuery(frozenset({101}), period, category_id=50)  # a channel has no session
        if room == "category 50"
        else PanelQuery(frozenset({101}), period, room, session)
    )
    points = run.timeline(store.engine, q)
    found = run.heatmap(store.engine, q, people)
    if found is None:
        assert points == []
    else:
        assert [p.start for p in points] == list(found.span.points)
        assert set(found.states) == set(people)
        for i, point in enumerate(points):
            assert 0 <= point.engaged_seconds <= point.present_seconds
            present = sum(found.states[u][i] is not State.OFFLINE for u in people)
            assert present <= point.viewers
            assert len(people) < 5 or present == point.viewers
    for poll in run.interactions(store.engine, q):
        if poll.answers and poll.participants:
            assert sum(a.rate or 0 for a in poll.answers) == pytest.approx(1)


@given(st.integers(0, 2**32 - 10**6), st.integers(0, 10**6))
@example(60, 89_940)  # 1,500 minutes from 00:01: 3-minute points from 00:00 would be 501
def test_a_span_has_at_most_500_whole_minute_points_covering_both_ends(
    first: int, length: int
) -> None:
    s = span(first, first + length)
    assert len(s.points) <= MAX_POINTS
    assert s.step % 60 == 0
    assert s.start <= first < s.start + s.step
    assert s.end - s.step <= first + length < s.end
    if length < 60 * MAX_POINTS - 60:
        assert s.step == 60  # a class of up to 8 hours is drawn minute by minute
