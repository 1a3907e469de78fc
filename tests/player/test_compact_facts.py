"""Compaction of the hourly player facts in bounded rounds: each round merges whole hours, as few
fact rows as its bound allows, and the facts come out exactly as one bulk load would make them."""

from __future__ import annotations

from tests.player.facts_sql import FRESH
from tests.player.test_facts import T0, add_video, beacon, send
from vantage.ingest.store import Store
from vantage.player import facts, writes

HOURS = 5
COMMITS = 4  # each commit of a viewer's beacon adds one fact row to its hour
VIEW = {"soundMode": 2, "tabMode": 2, "playbackSpeed": 1}


def fill(store: Store) -> None:
    """Five hours; in each, one viewer sends four views of 10 s, one commit each, and one play."""
    add_video(store, 200)
    for h in range(HOURS):
        start = T0 + 3600 * h
        send(store, start, beacon(start, f"s{h}", 1, 3, position=0))
        for i in range(1, COMMITS + 1):
            at = start + 10 * i
            send(
                store,
                at,
                beacon(at, f"s{h}", 1 + i, 99, position=10 * i, playTimeSum=10 * i, **VIEW),
            )


def rows_by_hour(store: Store) -> list[tuple[int, int]]:
    found = store.engine.query(
        "SELECT epoch(bucket)::BIGINT, count(*) FROM player_facts GROUP BY 1 ORDER BY 1"
    )
    return [(int(at), int(n)) for at, n in found]


def totals(store: Store) -> tuple[object, ...]:
    return store.engine.query(
        "SELECT sum(n_play), sum(n_view), sum(view_play_time), sum(new_percentiles) "
        "FROM player_facts"
    )[0]


def test_rounds_merge_whole_hours_within_the_bound_and_exactly(store: Store) -> None:
    fill(store)
    per_hour = 1 + COMMITS  # the play's row, then one row per view commit
    before = rows_by_hour(store)
    assert [n for _, n in before] == [per_hour] * HOURS
    # by hand: a play and four views of 10 s an hour, 0–40 s of 200 s: percentiles 0–20
    assert totals(store) == (HOURS, HOURS * COMMITS, HOURS * COMMITS * 10.0, HOURS * 21)
    fresh = FRESH

    def compact(max_rows: int) -> int:
        return store.writer.submit(lambda tx: writes.compact_facts(tx, 1 << 62, max_rows)).result()

    # a bound of two hours' rows merges the two oldest hours, and only them
    assert compact(2 * per_hour) == 2
    merged = [n for _, n in rows_by_hour(store)]
    assert merged == [1, 1, per_hour, per_hour, per_hour]
    # a bound below one hour's rows still merges one whole hour
    assert compact(1) == 1
    assert [n for _, n in rows_by_hour(store)] == [1, 1, 1, per_hour, per_hour]
    assert compact(1_000) == 2
    assert compact(1_000) == 0  # nothing left
    assert [n for _, n in rows_by_hour(store)] == [1] * HOURS
    assert totals(store) == (HOURS, HOURS * COMMITS, HOURS * COMMITS * 10.0, HOURS * 21)
    assert store.engine.query(f"SELECT count(*) FROM {facts.DIRTY_TABLE}") == [(0,)]
    stored = "SELECT * FROM player_facts"
    assert store.engine.query(f"({stored}) EXCEPT ALL ({fresh})") == []
    assert store.engine.query(f"({fresh}) EXCEPT ALL ({stored})") == []


def test_hours_from_before_are_left_for_a_later_round(store: Store) -> None:
    fill(store)
    third_hour = (T0 // 3600 + 2) * 3600 * 1_000_000
    while store.writer.submit(lambda tx: writes.compact_facts(tx, third_hour, 1)).result():
        pass
    assert [n for _, n in rows_by_hour(store)] == [1, 1, 1 + COMMITS, 1 + COMMITS, 1 + COMMITS]
    dirty = store.engine.query(f"SELECT count(*) FROM {facts.DIRTY_TABLE}")
    assert dirty == [(HOURS - 2,)]
