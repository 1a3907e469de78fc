"""The dashboard's panels over the hand-worked school (conftest.py works out each number).

Room 1_main on 2026-08-03: prof 1 min all engaged; alice 0.75 min (35 of 45 s engaged), 3
reactions, a raised hand, 2 chat messages, 3 poll answers (poll1 twice, poll2), a Q&A thread
opened and an answer in bob's, 2 attachment downloads; bob 0.5 min (10 of 30 s engaged), 1
reaction, a thread opened. The breakout 1_break is another entry, and partner 102's alice never
counts. The dashboard's timeline, heatmaps and interactions are session_panels' (tested in
test_session_panels.py).
"""

from __future__ import annotations

import pytest

from tests.analytics.conftest import FROM, TO
from vantage.analytics import room_panels as rp
from vantage.ingest.store import Store

MAIN = rp.Ask(101, FROM, TO, ("1_main",))


def test_the_overview_of_a_room(school: Store) -> None:
    o = rp.overview(school.engine, MAIN)
    assert (o.unique_viewers, o.live_viewers, o.recording_viewers) == (3, 3, 0)
    assert o.avg_minutes_viewed == pytest.approx((1 + 0.75 + 0.5) / 3)
    assert o.avg_live_engagement_rate == pytest.approx((60 + 35 + 10) / (60 + 45 + 30))
    assert o.logged_in_users == 3
    tiles = {t.name: (t.share, t.count, t.population, t.population_size) for t in o.participation}
    assert tiles == {
        "reactions": (pytest.approx(2 / 3), 4, rp.VIEWERS, 3),  # alice and bob; 3 + 1
        "group_chat": (pytest.approx(1 / 3), 2, rp.LOGGED_IN, 3),  # alice's 2 messages
        "polls": (pytest.approx(1 / 3), None, rp.LOGGED_IN, 3),  # alice
        "qna": (pytest.approx(2 / 3), 2, rp.LOGGED_IN, 3),  # alice's q1 and bob's q2
        "downloads": (pytest.approx(1 / 3), 2, rp.VIEWERS, 3),  # alice, twice
    }


def test_an_empty_range_divides_by_nobody(school: Store) -> None:
    o = rp.overview(school.engine, rp.Ask(101, TO + 86_400, TO + 2 * 86_400, ("1_main",)))
    assert (o.unique_viewers, o.logged_in_users, o.avg_live_engagement_rate) == (0, 0, None)
    assert {t.share for t in o.participation} == {None}


def test_the_engagement_table_is_ordered_paged_and_totalled(school: Store) -> None:
    first = rp.engagement(school.engine, MAIN, "-live_view_time", 1, 2)
    assert [r["user_id"] for r in first.rows] == ["prof", "alice"]
    assert first.total_count == 3
    alice = first.rows[1]
    assert (alice["user_name"], alice["company"], alice["role"]) == (
        "Alice Liddell",
        "Oxford",
        "student",
    )
    assert [alice[c] for c in rp.ENGAGEMENT_COLUMNS] == [0.75, 3, 2, 3, 1, pytest.approx(35 / 45)]
    assert first.total["live_view_time"] == 2.25
    assert first.total["count_reaction_clicked"] == 4
    second = rp.engagement(school.engine, MAIN, "-live_view_time", 2, 2)
    assert [r["user_id"] for r in second.rows] == ["bob"]
    rising = rp.engagement(school.engine, MAIN, "+count_reaction_clicked", 1, 10)
    assert [r["user_id"] for r in rising.rows] == ["prof", "bob", "alice"]


def test_search_finds_first_or_last_names_from_three_letters(school: Store) -> None:
    by_last = rp.engagement(school.engine, MAIN, "-live_view_time", 1, 10, "lid")
    assert [r["user_id"] for r in by_last.rows] == ["alice"]
    assert by_last.total["count_reaction_clicked"] == 3  # the Total row covers who was found
    assert [
        r["user_id"]
        for r in rp.engagement(school.engine, MAIN, "-live_view_time", 1, 10, "BOB").rows
    ] == ["bob"]
    assert rp.engagement(school.engine, MAIN, "-live_view_time", 1, 10, "zzz").total_count == 0
    # two letters are no search: every viewer
    assert rp.engagement(school.engine, MAIN, "-live_view_time", 1, 10, "bo").total_count == 3
    # partner 102's "Other" is not partner 101's
    assert rp.find_users(school.engine, 101, "oth") == []


def test_sessions_latest_first(school: Store) -> None:
    found = rp.sessions(school.engine, 101, "1_main")
    assert [(s.id, s.end is None) for s in found] == [("s1", False), ("s0", True)]
    assert found[0].end is not None and found[0].end - found[0].start == 600
    assert rp.sessions(school.engine, 102, "1_main") == []


def test_a_category_covers_its_rooms(school: Store) -> None:
    # no entry of the plain school is in a category: nothing, and nothing fails
    o = rp.overview(school.engine, rp.Ask(101, FROM, TO, category_id=5))
    assert o.unique_viewers == 0
