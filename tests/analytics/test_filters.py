"""The input filter's entry conditions: ``keywords`` are plain words, never patterns;
``rootEntryIdIn`` finds an entry's breakouts and recordings."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.analytics.test_formulas import PLAY, P, T, add_entries, beacon, query, send, table
from vantage.analytics.filters import conditions
from vantage.entities.model import Entry
from vantage.ingest.store import Store
from vantage.sql.duckdb import DuckDB

NAMES = {
    "1_pct": "100% Biology",
    "1_und": "Week_1 notes",
    "1_bsl": "C:\\lectures",
    "1_plain": "Chemistry week 1",
}


def _kept(store: Store, keywords: str) -> list[str]:
    return sorted(row["object_id"] for row in table(store, query(1, keywords=keywords)))


def test_root_entry_ids_find_the_entries_their_breakouts_and_their_recordings(store: Store) -> None:
    add_entries(
        store,
        Entry(partner_id=P, id="1_room", name="Room", kind="room"),
        Entry(partner_id=P, id="1_group", name="Group", kind="room", parent_entry_id="1_room"),
        Entry(partner_id=P, id="1_rec", name="Recording", kind="video", root_entry_id="1_room"),
        Entry(partner_id=P, id="1_other", name="Other", kind="video", root_entry_id="1_else"),
        Entry(partner_id=P, id="1_plain", name="Plain", kind="video"),
    )
    send(store, T, *(beacon(PLAY, f"s{i}", i) for i in ("1_room", "1_group", "1_rec", "1_other")))
    send(store, T, beacon(PLAY, "s_plain", "1_plain"))

    def kept(roots: str) -> list[str]:
        found = table(store, query(1, rootEntryIdIn=roots))
        return sorted(row["object_id"] for row in found)

    assert kept("1_room") == ["1_group", "1_rec", "1_room"]
    assert kept("1_group") == ["1_group"]  # a breakout has no breakouts or recordings of its own
    assert kept("1_else") == ["1_other"]  # the root need not be stored
    assert kept("1_room,1_plain") == ["1_group", "1_plain", "1_rec", "1_room"]


@pytest.fixture
def named(store: Store) -> Store:
    add_entries(store, *(Entry(partner_id=P, id=i, name=n, kind="video") for i, n in NAMES.items()))
    send(store, T, *(beacon(PLAY, f"s{i}", i) for i in NAMES))
    return store


def test_wildcards_are_plain_characters(named: Store) -> None:
    assert _kept(named, "%") == ["1_pct"]
    assert _kept(named, "_") == ["1_und"]
    assert _kept(named, "\\") == ["1_bsl"]
    assert _kept(named, "k_1") == ["1_und"]  # not "week 1": _ is not any character
    assert _kept(named, "week") == ["1_plain", "1_und"]
    assert _kept(named, "WEEK 1") == ["1_plain", "1_und"]  # every word, any case


_WORDS = st.text(st.sampled_from("ab%_\\' ."), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect() as c:
        yield c


@settings(max_examples=100, deadline=None)
@given(names=st.lists(_WORDS, min_size=1, max_size=5), tags=st.lists(_WORDS, max_size=3))
def test_keywords_match_as_substrings(
    con: duckdb.DuckDBPyConnection, names: list[str], tags: list[str]
) -> None:
    """Any word of a name or tag (wildcards included) finds exactly the entries holding it."""
    con.execute(
        "CREATE OR REPLACE TABLE x (i INT, name VARCHAR, tags VARCHAR[], admin_tags VARCHAR[])"
    )
    con.executemany(
        "INSERT INTO x VALUES (?, ?, ?, [])", [(i, n, tags) for i, n in enumerate(names)]
    )
    for keywords in [*names, *tags]:
        (where,) = conditions({"keywords": keywords}, ",").entries
        sql = f"SELECT i FROM x WHERE {DuckDB().expr(where)} ORDER BY i"
        found = [i for (i,) in con.execute(sql).fetchall()]
        words = keywords.lower().split()
        expected = [
            i
            for i, n in enumerate(names)
            if all(w in n.lower() or any(w in t.lower() for t in tags) for w in words)
        ]
        assert found == expected, keywords
