"""The demo's player beacons: same seed, same data; the room events stay as they were; and the
beacons keep the rules a real web player keeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from tests.demo.conftest import open_store as _open
from vantage.analytics import query as kq
from vantage.analytics.report_types import REPORTS
from vantage.demo import DemoSummary, generate
from vantage.demo.beacons import QUARTILES
from vantage.ingest.store import Store
from vantage.kaltura import report_values as shown
from vantage.player.vocabulary import BY_ID

NOW = dt.datetime(2025, 6, 1, 12, 30, tzinfo=dt.UTC)
ROOM_EVENTS = 20_000  # enough sessions that some lectures are recorded
MEDIUM = 120_000  # enough beacons that every event a web player sends shows up (seeds 1-4)
# what a web player sends: all but Android's canPlay, the server's playManifest and the
# application events
WEB_EVENTS = set(BY_ID) - {5, 100, 10002, 10003}


def q(store: Store, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    return store.engine.query(sql, params)


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary]]:
    store = _open(tmp_path_factory.mktemp("player") / "medium.duckdb")
    summary = generate(store, seed=3, events=ROOM_EVENTS, player_events=MEDIUM, now=NOW)
    yield store, summary
    store.close()


# --- determinism and size ----------------------------------------------------------------------


def test_same_seed_and_now_give_identical_player_events(stores: Any) -> None:
    a, b = stores("a"), stores("b")
    sa = generate(a, seed=5, events=3_000, player_events=15_000, now=NOW)
    sb = generate(b, seed=5, events=3_000, player_events=15_000, now=NOW)
    assert sa == sb
    for table in ("entries", "player_events"):
        rows = q(a, f"SELECT * FROM {table} ORDER BY ALL")
        assert rows == q(b, f"SELECT * FROM {table} ORDER BY ALL"), table


def test_player_events_leave_the_room_events_alone(stores: Any) -> None:
    a, b = stores("a"), stores("b")
    generate(a, seed=5, events=3_000, player_events=0, now=NOW)
    generate(b, seed=5, events=3_000, player_events=15_000, now=NOW)
    assert q(a, "SELECT count(*) FROM player_events") == [(0,)]
    for table in ("room_events", "room_sessions", "users"):
        rows = q(a, f"SELECT * FROM {table} ORDER BY ALL")
        assert rows == q(b, f"SELECT * FROM {table} ORDER BY ALL"), table


def test_player_event_count_is_about_what_was_asked(medium: tuple[Store, DemoSummary]) -> None:
    store, summary = medium
    assert summary.player_events == q(store, "SELECT count(*) FROM player_events")[0][0]
    # cut at a page load: the last one may add a long recording's beacons
    assert MEDIUM <= summary.player_events < MEDIUM + 2_000
    sessions = q(store, "SELECT count(DISTINCT session_id) FROM player_events")[0][0]
    assert sessions == summary.player_sessions


def test_every_web_player_event_appears(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    found = {r[0] for r in q(store, "SELECT DISTINCT event_type_id FROM player_events")}
    assert found == WEB_EVENTS
    names = q(store, "SELECT DISTINCT event_type_id, event_type FROM player_events")
    assert all(BY_ID[i].name == name for i, name in names)


# --- media -------------------------------------------------------------------------------------


def test_media_entries(medium: tuple[Store, DemoSummary]) -> None:
    store, summary = medium
    kinds = dict(
        q(
            store,
            "SELECT kind || ' ' || media_type || ' ' || source_type, count(*) FROM entries"
            " WHERE kind <> 'room' GROUP BY 1",
        )
    )
    assert set(kinds) == {"video 1 1", "audio 5 1", "liveStream 201 32"}
    assert sum(kinds.values()) == summary.media
    recordings = q(
        store,
        "SELECT count(*), count(*) FILTER (WHERE duration > 30 * 60) FROM entries"
        " WHERE list_contains(tags, 'recording')",
    )
    assert recordings[0][0] > 0 and recordings[0][0] == recordings[0][1]
    # each recording names the room it was made from (a main room: sessions are recorded there),
    # and only recordings name one
    made_from = q(
        store,
        "SELECT m.name, r.name, r.kind, r.parent_entry_id FROM entries m "
        "LEFT JOIN entries r ON r.partner_id = m.partner_id AND r.id = m.root_entry_id "
        "WHERE m.root_entry_id IS NOT NULL OR list_contains(m.tags, 'recording')",
    )
    assert len(made_from) == recordings[0][0]
    for name, room, kind, parent in made_from:
        assert name.startswith(f"{room} — Recording ") and (kind, parent) == ("room", None)
    missing = q(
        store,
        "SELECT count(*) FROM entries WHERE kind IN ('video', 'audio')"
        " AND (duration IS NULL OR creator_user_id IS NULL OR created_at IS NULL"
        " OR len(category_ids) = 0)",
    )
    assert missing == [(0,)]


def test_beacons_refer_to_the_partners_media(medium: tuple[Store, DemoSummary]) -> None:
    store, summary = medium
    stray = q(
        store,
        "SELECT count(*) FROM player_events p LEFT JOIN entries e"
        " ON e.id = p.entry_id AND e.partner_id = p.partner_id"
        " WHERE e.id IS NULL OR e.kind NOT IN ('video', 'audio', 'liveStream')"
        " OR p.partner_id <> ? OR p.received_at < e.created_at",
        (summary.partner_id,),
    )
    assert stray == [(0,)]
    contexts = q(
        store,
        "SELECT count(*) FROM player_events p JOIN entries e ON e.id = p.entry_id"
        " WHERE NOT list_contains(e.category_ids, p.playback_context::BIGINT)",
    )
    assert contexts == [(0,)]


@pytest.fixture(scope="module")
def natural(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, DemoSummary]]:
    """The natural school (smaller ones hold no virtual event), with fewer beacons."""
    store = _open(tmp_path_factory.mktemp("player") / "natural.duckdb")
    summary = generate(store, seed=3, player_events=40_000, now=NOW)
    yield store, summary
    store.close()


def test_virtual_event_recordings_are_played_under_their_event(
    natural: tuple[Store, DemoSummary],
) -> None:
    """A keynote's recording belongs to its virtual event, and its beacons say so (as a player
    on the event's site sends ``virtualEventId``): reports filtered by the event find them."""
    store, summary = natural
    mismatched = q(
        store,
        "SELECT count(*) FROM player_events p JOIN entries e"
        " ON e.id = p.entry_id AND e.partner_id = p.partner_id"
        " WHERE p.virtual_event_id IS DISTINCT FROM e.virtual_event_id",
    )
    assert mismatched == [(0,)]
    rows = q(
        store,
        "SELECT virtual_event_id, count(*) FROM player_events WHERE event_type_id = 3"
        " AND virtual_event_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    assert rows, "no virtual event's recording was played"
    event, plays = rows[0]
    given = {
        "fromDate": int((NOW - dt.timedelta(days=31)).timestamp()),
        "toDate": int(NOW.timestamp()),
        "virtualEventIdIn": str(event),
    }
    for report in (1, 38):  # TOP_CONTENT, TOP_CONTENT_CREATOR
        query = kq.build(REPORTS[report], frozenset({summary.partner_id}), given, None, {})
        total = shown.total(store.engine, query)
        assert total.values[total.headers.index("count_plays")] == plays, report
    other = {**given, "virtualEventIdIn": str(event + 1_000_000)}
    query = kq.build(REPORTS[1], frozenset({summary.partner_id}), other, None, {})
    assert shown.table(store.engine, query, None, 50, 1).total_count == 0


# --- what the player sends ---------------------------------------------------------------------


def test_times_lie_in_the_30_days_before_now(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    lo, hi = q(store, "SELECT min(received_at), max(received_at) FROM player_events")[0]
    start = (NOW - dt.timedelta(days=30)).replace(tzinfo=None)
    assert start <= lo < start + dt.timedelta(days=2)
    assert NOW.replace(tzinfo=None) - dt.timedelta(days=2) < hi <= NOW.replace(tzinfo=None)


def test_event_index_counts_up_per_session(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    # in arrival order, the indices of a session are 1, 2, 3 …, and the first is the impression
    wrong = q(
        store,
        "SELECT count(*) FROM (SELECT event_index, event_type_id, row_number() OVER"
        " (PARTITION BY session_id ORDER BY received_at, event_index) AS n FROM player_events)"
        " WHERE event_index <> n OR (n = 1) <> (event_type_id = 1)",
    )
    assert wrong == [(0,)]
    starts = q(
        store,
        "SELECT count(*) FROM player_events WHERE (event_index = 1) = (session_start_time IS NOT"
        " NULL)",
    )
    assert starts == [(0,)]


def test_play_time_grows_ten_seconds_a_view(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    steps = q(
        store,
        "SELECT min(d), max(d), min(play_time_sum) FROM (SELECT play_time_sum, play_time_sum -"
        " lag(play_time_sum, 1, 0) OVER (PARTITION BY session_id ORDER BY event_index) AS d"
        " FROM player_events WHERE event_type_id = 99)",
    )
    assert steps == [(10.0, 10.0, 10.0)]


def test_quartiles_follow_playback(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    ids = ", ".join(str(event) for _, event in QUARTILES)
    once = q(
        store,
        f"SELECT max(n) FROM (SELECT count(*) AS n FROM player_events"
        f" WHERE event_type_id IN ({ids}) GROUP BY session_id, event_type_id)",
    )
    assert once == [(1,)]
    for share, event in QUARTILES:
        # only once the playhead got there (by playing or a seek), after the session's play
        early = q(
            store,
            "SELECT count(*) FROM player_events t JOIN entries e ON e.id = t.entry_id"
            " LEFT JOIN player_events p ON p.session_id = t.session_id AND p.event_type_id = 3"
            " WHERE t.event_type_id = ? AND (t.position < ? * e.duration - 1"
            " OR p.event_index IS NULL OR p.event_index > t.event_index"
            " OR t.playback_type <> 'vod')",
            (event, share),
        )
        assert early == [(0,)], event
    # lower ones first: a session with a quartile has every lower one, sent before it
    order = [event for _, event in QUARTILES]
    for lower, higher in zip(order, order[1:], strict=False):
        skipped = q(
            store,
            "SELECT count(*) FROM player_events h LEFT JOIN player_events l"
            " ON l.session_id = h.session_id AND l.event_type_id = ?"
            " WHERE h.event_type_id = ? AND (l.event_index IS NULL"
            " OR l.event_index > h.event_index)",
            (lower, higher),
        )
        assert skipped == [(0,)], higher


def test_drop_off_and_load_to_play(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    counts = dict(q(store, "SELECT event_type_id, count(*) FROM player_events GROUP BY 1"))
    assert 0.6 < counts[3] / counts[1] < 0.8  # loads that play
    assert counts[3] > counts[11] > counts[12] > counts[13] > counts[15] > counts[14] > 0


def test_engagement_modes_vary(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    modes = q(
        store,
        "SELECT count(DISTINCT sound_mode), count(DISTINCT tab_mode),"
        " count(DISTINCT viewability_mode), count(DISTINCT screen_mode),"
        " count(*) FILTER (WHERE sound_mode IS NULL) FROM player_events WHERE event_type_id = 99",
    )
    assert modes == [(2, 2, 2, 2, 0)]


def test_live_viewers(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    live = q(
        store,
        "SELECT p.playback_type, max(p.position) < 0 FROM player_events p"
        " JOIN entries e ON e.id = p.entry_id WHERE e.kind = 'liveStream' GROUP BY 1 ORDER BY 1",
    )
    assert live == [("dvr", True), ("live", True)]


def test_enrichment_is_filled(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    empty = q(
        store,
        "SELECT count(*) FROM player_events WHERE client_ip IS NULL OR user_agent IS NULL"
        " OR country_code IS NULL OR country IS NULL OR device IS NULL OR os IS NULL"
        " OR browser IS NULL OR domain IS NULL OR referrer IS NULL",
    )
    assert empty == [(0,)]
    spread = q(
        store,
        "SELECT count(DISTINCT country_code), count(DISTINCT device), count(DISTINCT browser),"
        " count(DISTINCT domain) FROM player_events",
    )[0]
    assert spread[0] >= 10 and spread[1] == 3 and spread[2] >= 5 and spread[3] >= 5


def test_anonymous_viewers_have_no_user(medium: tuple[Store, DemoSummary]) -> None:
    store, _ = medium
    viewers = q(
        store,
        "SELECT user_id IS NULL, persistent_session_id IS NULL, count(*) FROM player_events"
        " GROUP BY ALL ORDER BY ALL",
    )
    assert [(a, b) for a, b, _ in viewers] == [(False, True), (True, False)]
    unknown = q(
        store,
        "SELECT count(*) FROM player_events p LEFT JOIN users u"
        " ON u.id = p.user_id AND u.partner_id = p.partner_id"
        " WHERE p.user_id IS NOT NULL AND u.id IS NULL",
    )
    assert unknown == [(0,)]
