"""Reading a KAVA report request: the interval's spellings."""

from __future__ import annotations

from tests.kava.test_formulas import PLAY, T, beacon, graphs, query, send
from vantage.store.store import Store


def test_the_seed_guides_ten_seconds_is_ten_seconds(store: Store) -> None:
    send(store, T, beacon(PLAY, "s1"))
    send(store, T + 25, beacon(PLAY, "s2"))
    seed = query(1, interval="tenSeconds")
    assert seed.interval == "ten_seconds"
    # one play in the bucket of T, one in the bucket of T + 20
    assert graphs(store, seed) == graphs(store, query(1, interval="ten_seconds"))
    assert [value for _, value in graphs(store, seed)["count_plays"]] == [1, 1]
