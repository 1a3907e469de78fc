"""Derived beacon columns in Python (vantage.player.derive): worked by hand, equal to the SQL of
vantage.player.facts on generated batches, and the memory of recent plays."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

import duckdb
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.player.derive_sql import derive_sql, with_derived_sql
from vantage.player import facts
from vantage.player.columns import ARROW_SCHEMA
from vantage.player.derive import (
    GAP_US,
    LATE_SECONDS,
    SCHEMA,
    EntryKey,
    PlayKey,
    PlayState,
    PlayView,
    derive,
    latest_views,
    view_window,
)
from vantage.player.facts import PLAY_GAP_SECONDS

T0 = 1_785_000_000 * 1_000_000  # unix µs
S = 1_000_000  # a second, in µs
VIDEO: EntryKey = (1, "1_video")
DURATIONS: dict[EntryKey, int | None] = {VIDEO: 200}  # one percentile is 2 s


@dataclass(frozen=True)
class Row:
    """A beacon as far as the derivation reads it."""

    received_at: int
    event_type_id: int = facts.VIEW
    session_id: str | None = "s"
    event_index: int | None = None
    play_time_sum: float | None = None
    position: float | None = None
    playback_type: str | None = "vod"
    playback_speed: float | None = None
    partner_id: int = 1
    entry_id: str = "1_video"


# The columns the derivation reads, as the writer's batches have them.
BEACON_SCHEMA = pa.schema([ARROW_SCHEMA.field(name) for name in Row.__dataclass_fields__])


def table(rows: list[Row]) -> pa.Table:
    return pa.Table.from_pylist(
        [{f.name: getattr(r, f.name) for f in BEACON_SCHEMA} for r in rows], BEACON_SCHEMA
    )


def derived(
    rows: list[Row],
    previous: Mapping[PlayKey, PlayView] | None = None,
    durations: Mapping[EntryKey, int | None] = DURATIONS,
) -> list[tuple[Any, ...]]:
    return values(derive(table(rows), previous or {}, durations))


def values(result: pa.Table) -> list[tuple[Any, ...]]:
    """The derived columns as tuples, coverage as an int."""
    assert result.schema == SCHEMA
    return [
        (
            r["play_time"],
            None if r["coverage"] is None else int(r["coverage"]),
            r["new_percentiles"],
        )
        for r in result.to_pylist()
    ]


def bits(lo: int, hi: int) -> int:
    """Percentiles lo…hi as coverage bits."""
    return (1 << (hi + 1)) - (1 << lo)


# --- worked by hand: a 200 s video, so percentile p is the 2 s from 2p ---------------------


def test_a_play_over_three_views() -> None:
    rows = [
        Row(T0 + 10 * S, event_index=2, play_time_sum=10, position=10),
        Row(T0 + 20 * S, event_index=3, play_time_sum=20, position=20),
        Row(T0 + 40 * S, event_index=4, play_time_sum=40, position=40),  # one view lost
    ]
    assert derived(rows) == [
        # first of its play: its own playTimeSum, at most 10 → 10; 0–10 s → percentiles 0–5
        (10.0, bits(0, 5), 6),
        # 20 − 10 = 10 s; 10–20 s → percentiles 5–10, 6–10 new
        (10.0, bits(0, 10), 5),
        # 40 − 20 = 20 s; 20–40 s → percentiles 10–20, 11–20 new
        (20.0, bits(0, 20), 10),
    ]


def test_a_reset_counts_the_views_own_sum_at_most_10_seconds() -> None:
    rows = [
        Row(T0, event_index=4, play_time_sum=40, position=40),
        # the player reset its session: playTimeSum 10 < 40 → its own 10 s
        Row(T0 + 55 * S, event_index=1, play_time_sum=10, position=95),
        # 500 − 10 rose by more than 60 s → min(500, 10) = 10
        Row(T0 + 65 * S, event_index=2, play_time_sum=500, position=105),
        # 7 − 500 < 0 → its own 7 s
        Row(T0 + 75 * S, event_index=3, play_time_sum=7, position=112),
    ]
    assert derived(rows) == [
        (10.0, bits(15, 20), 6),  # 30–40 s → ⌊15⌋…⌊20⌋
        (10.0, bits(15, 20) | bits(42, 47), 6),  # 85–95 s → ⌊42.5⌋…⌊47.5⌋
        (10.0, bits(15, 20) | bits(42, 52), 5),  # 95–105 s → 47…⌊52.5⌋, 48–52 new
        (7.0, bits(15, 20) | bits(42, 56), 4),  # 105–112 s → ⌊52.5⌋…56, 53–56 new
    ]


def test_more_than_an_hour_after_the_previous_view_starts_a_new_play() -> None:
    rows = [
        Row(T0, event_index=1, play_time_sum=10, position=10),
        # exactly an hour later: the same play; 20 − 10 = 10 s over 10–20 s
        Row(T0 + GAP_US, event_index=2, play_time_sum=20, position=20),
        # an hour and a microsecond later: a new play; min(30, 10) = 10 s over 20–30 s, all new
        Row(T0 + 2 * GAP_US + 1, event_index=3, play_time_sum=30, position=30),
    ]
    assert derived(rows) == [
        (10.0, bits(0, 5), 6),
        (10.0, bits(0, 10), 5),
        (10.0, bits(10, 15), 6),
    ]


def test_views_without_a_session_are_plays_of_their_own() -> None:
    rows = [
        Row(T0, session_id=None, event_index=1, play_time_sum=10, position=10),
        Row(T0, session_id=None, event_index=2, play_time_sum=20, position=20),
    ]
    # each counts its own sum up to 10 s, and its percentiles are all new
    assert derived(rows) == [(10.0, bits(0, 5), 6), (10.0, bits(5, 10), 6)]
    # a stored view of no session continues nothing
    stored = {(1, None, "1_video"): PlayView(T0 - S, 1, 5, bits(0, 100))}
    assert derived(rows, stored) == derived(rows)  # type: ignore[arg-type]


def test_a_quartile_beacon_counts_a_quarter_of_a_known_vod_duration() -> None:
    rows = [
        Row(T0, event_type_id=11, event_index=1, position=50),  # 200 / 4.0
        Row(T0, event_type_id=12, playback_type="live"),
        Row(T0, event_type_id=13, entry_id="1_unknown"),
        Row(T0, event_type_id=14, entry_id="1_no_duration"),
        Row(T0, event_type_id=3, play_time_sum=10, position=10),  # a play: nothing derived
    ]
    durations = {**DURATIONS, (1, "1_no_duration"): None}
    assert derived(rows, durations=durations) == [
        (50.0, None, None),
        (None, None, None),
        (None, None, None),
        (None, None, None),
        (None, None, None),
    ]


def test_a_seek_backwards_adds_no_percentile() -> None:
    rows = [
        Row(T0 + 10 * S, event_index=2, play_time_sum=10, position=10),
        Row(T0 + 20 * S, event_index=3, play_time_sum=20, position=20),
        Row(T0 + 30 * S, event_index=4, play_time_sum=30, position=10),  # 0–10 s again
    ]
    assert derived(rows)[2] == (10.0, bits(0, 10), 0)


def test_at_speed_2_a_view_covers_twice_its_play_time() -> None:
    rows = [Row(T0, event_index=1, play_time_sum=10, position=40, playback_speed=2)]
    # 10 s × 2 before position 40: 20–40 s → percentiles 10–20
    assert derived(rows) == [(10.0, bits(10, 20), 11)]


def test_views_without_a_duration_position_or_vod_cover_nothing() -> None:
    rows = [
        Row(T0, entry_id="1_zero", event_index=1, play_time_sum=10, position=10),
        Row(T0, entry_id="1_unknown", event_index=1, play_time_sum=10, position=10),
        Row(T0, session_id="b", event_index=1, play_time_sum=10),  # no position
        Row(T0, session_id="c", event_index=1, play_time_sum=10, position=10, playback_type="dvr"),
        Row(T0, session_id="d", event_index=1, position=10),  # no playTimeSum: 0 s
    ]
    durations = {**DURATIONS, (1, "1_zero"): 0}
    assert derived(rows, durations=durations) == [
        (10.0, None, 0),
        (10.0, None, 0),
        (10.0, None, 0),
        (10.0, None, 0),
        (0.0, bits(5, 5), 1),  # 0 s before position 10: percentile 5 alone
    ]


def test_a_batch_continues_the_plays_latest_stored_view() -> None:
    stored = {(1, "s", "1_video"): PlayView(T0, 1, 10, bits(0, 5))}
    rows = [
        Row(T0 + 10 * S, event_index=2, play_time_sum=20, position=20),
        Row(T0 + 10 * S, session_id="other", event_index=2, play_time_sum=20, position=20),
    ]
    assert derived(rows, stored) == [
        (10.0, bits(0, 10), 5),  # 20 − 10 s after the stored view, adding to its percentiles
        (10.0, bits(5, 10), 6),  # another session: a play of its own
    ]


def test_views_that_tie_on_time_follow_their_index_with_no_index_last() -> None:
    rows = [
        Row(T0, event_index=None, play_time_sum=30, position=30),
        Row(T0, event_index=2, play_time_sum=20, position=20),
        Row(T0, event_index=1, play_time_sum=10, position=10),
    ]
    assert derived(rows) == [(10.0, bits(0, 15), 5), (10.0, bits(0, 10), 5), (10.0, bits(0, 5), 6)]
    # the latest view, as the SQL's descending order picks it, has the highest index
    latest = latest_views(table(rows), derive(table(rows), {}, DURATIONS))
    assert latest == {(1, "s", "1_video"): PlayView(T0, 2, 20, bits(0, 10))}


def test_coverage_goes_into_a_duckdb_hugeint_column_unchanged() -> None:
    rows = [Row(T0, event_index=1, play_time_sum=10, position=200, playback_speed=20)]
    result = derive(table(rows), {}, DURATIONS)
    con = duckdb.connect()
    con.execute("CREATE TABLE t (coverage HUGEINT)")
    con.register("result", result)
    con.execute("INSERT INTO t SELECT coverage FROM result")
    assert con.execute("SELECT coverage FROM t").fetchall() == [(bits(0, 100),)]
    assert con.sql("SELECT coverage FROM t").to_arrow_table().column(0).type == SCHEMA[1].type


# --- the same as the SQL, on generated batches ------------------------------------------------

# Few plays, so that views share them, and round numbers, so that the rules' edges are hit
# (exactly an hour apart, exactly 60 s more): repeats in a list weigh its values.
partners = st.sampled_from([1, 1, 2])
sessions = st.sampled_from([None, "a", "a", "b"])
entries = st.sampled_from(["e1", "e1", "e2"])
indexes = st.one_of(st.none(), st.integers(1, 4))


def near(*seconds: float) -> st.SearchStrategy[int]:
    """Times (unix µs) around T0: mostly ``seconds`` after it, else any from two hours before
    to three hours after."""
    edges = st.sampled_from([T0 + int(s * S) for s in seconds])
    return st.one_of(edges, edges, st.integers(T0 - 2 * GAP_US, T0 + 3 * GAP_US))


hour = PLAY_GAP_SECONDS
sums = st.one_of(
    st.none(),
    st.sampled_from([0.0, -0.0, 10.0, 20.0, 30.0, 70.0, 80.0, -5.0, 1e308, -1e308]),
    st.floats(-100, 1e3, allow_nan=False),
)
positions = st.one_of(
    st.none(),
    st.sampled_from([0.0, 10.0, 20.0, 55.5, 100.0, 199.9, 200.0, 250.0, -3.0, 1e308]),
    st.floats(-50, 1_000, allow_nan=False),
    st.floats(-50, 1_000, allow_nan=False),
)
speeds = st.one_of(st.none(), st.sampled_from([0.0, 0.5, 1.5, 2.0, -1.0]), st.floats(-4, 4))
rows_ = st.builds(
    Row,
    received_at=near(0, 10, hour),
    event_type_id=st.sampled_from([99, 99, 99, 99, 99, 11, 14, 3]),
    session_id=sessions,
    event_index=indexes,
    play_time_sum=sums,
    position=positions,
    playback_type=st.sampled_from(["vod", "vod", "vod", "live", None]),
    playback_speed=speeds,
    partner_id=partners,
    entry_id=entries,
)
# A view mostly follows the previous one of its play (in the batch) by steps at the rules'
# edges, or steps back: exactly an hour later or just over, exactly 60 s more playTimeSum or
# just over, or less (a reset).
time_steps = st.sampled_from([0, 1, 10 * S, 60 * S, GAP_US, GAP_US + 1, -10 * S])
sum_steps = st.sampled_from([0.0, 10.0, 60.0, 60.5, -30.0])


@st.composite
def batches(draw: st.DrawFn) -> list[Row]:
    """5 to 40 rows of a few plays."""
    rows: list[Row] = []
    last: dict[tuple[int, str | None, str], Row] = {}
    for _ in range(draw(st.integers(5, 40))):
        row = draw(rows_)
        play = (row.partner_id, row.session_id, row.entry_id)
        before = last.get(play)
        if before is not None and row.session_id is not None and draw(st.integers(0, 3)):
            sum_ = before.play_time_sum
            row = replace(
                row,
                received_at=before.received_at + draw(time_steps),
                play_time_sum=row.play_time_sum if sum_ is None else sum_ + draw(sum_steps),
            )
        rows.append(row)
        last[play] = row
    return rows


# Stored views before, inside and after the batch's window.
stored_views = st.tuples(
    st.builds(
        Row,
        received_at=near(-hour - 1e-6, -hour, -10, 0, 10, hour, 3 * hour),
        event_index=indexes,
        play_time_sum=sums,
        session_id=sessions,
        partner_id=partners,
        entry_id=entries,
    ),
    st.one_of(
        st.none(), st.sampled_from([0, bits(0, 5), bits(0, 100)]), st.integers(0, bits(0, 100))
    ),
)
# e1 has a duration, e2 may have none, 0 or one, or be unknown.
some_duration = st.one_of(st.none(), st.just(0), st.integers(1, 500))
entry_durations = st.fixed_dictionaries(
    {(1, "e1"): st.sampled_from([200, 60, 7]), (2, "e1"): st.integers(1, 1_000)},
    optional={(1, "e2"): some_duration, (2, "e2"): some_duration},
)


def untied(row: Row, seen: set[tuple[object, ...]]) -> bool:
    """Whether view ``row`` ties with none ``seen`` before it on its play, ``received_at`` and
    ``event_index`` (the SQL orders such views arbitrarily); notes it as seen."""
    tie = (row.partner_id, row.session_id, row.entry_id, row.received_at, row.event_index)
    if row.event_type_id != facts.VIEW or row.session_id is None:
        return True
    if tie in seen:
        return False
    seen.add(tie)
    return True


def sql_derived(
    rows: list[Row], stored: list[tuple[Row, int | None]], durations: Mapping[EntryKey, int | None]
) -> tuple[list[tuple[Any, ...]], dict[PlayKey, PlayView]]:
    """What ``derive_sql`` and ``with_derived_sql`` store for ``rows``, as the writer runs
    them (vantage.player.writes), over just the tables and columns they read; and each play's
    latest view of ``rows`` as the SQL would carry it into the next batch."""
    con = duckdb.connect()
    entries = pa.table(
        {
            "partner_id": pa.array([p for p, _ in durations], pa.int64()),
            "id": pa.array([e for _, e in durations], pa.string()),
            "duration": pa.array(list(durations.values()), pa.int64()),
        }
    )
    con.register("entries", entries)
    # The stored views' play_time is read by the SQL but reaches no result: left NULL.
    coverage = pa.array([c for _, c in stored], pa.decimal128(38, 0))
    con.register("stored", table([row for row, _ in stored]).append_column("coverage", coverage))
    con.execute(
        "CREATE TABLE player_events AS SELECT * EXCLUDE (coverage), NULL::DOUBLE AS play_time, "
        "coverage::HUGEINT AS coverage FROM stored"
    )
    # _row is the SQL's own (with_derived_sql drops it); _order gives the rows' order back.
    numbered = table(rows).append_column("_row", pa.array(range(len(rows)), pa.int64()))
    numbered = numbered.append_column("_order", pa.array(range(len(rows)), pa.int64()))
    views = [r.received_at for r in rows if r.event_type_id == facts.VIEW]
    window = (min(views), max(views)) if views else (0, 0)
    con.register("_incoming", numbered)
    con.execute(f"CREATE TABLE _derived AS {derive_sql('_incoming', 'player_events')}", window)
    con.execute(f"CREATE TABLE batch AS {with_derived_sql('_incoming', '_derived')}")
    columns = con.execute(
        "SELECT play_time, coverage, new_percentiles FROM batch ORDER BY _order"
    ).fetchall()
    # derive_sql's choice of the stored view a play continues, over the batch
    latest = con.execute(
        "SELECT partner_id, session_id, entry_id, epoch_us(received_at), event_index, "
        "play_time_sum, coverage FROM (SELECT *, row_number() OVER (PARTITION BY partner_id, "
        "session_id, entry_id ORDER BY received_at DESC, event_index DESC) AS latest FROM batch "
        "WHERE event_type_id = 99 AND session_id IS NOT NULL) WHERE latest = 1"
    ).fetchall()
    return columns, {(p, s, e): PlayView(*view) for p, s, e, *view in latest}


def latest_stored(
    stored: list[tuple[Row, int | None]], keys: Collection[PlayKey], since: int, until: int
) -> dict[PlayKey, PlayView]:
    """A store's answer to ``PlayState``'s lookup, over ``stored``."""
    found: dict[PlayKey, PlayView] = {}
    for row, coverage in stored:
        if row.session_id is None:
            continue  # never asked: a view without a session continues nothing
        key = (row.partner_id, row.session_id, row.entry_id)
        if key in keys and since <= row.received_at <= until:
            view = PlayView(row.received_at, row.event_index, row.play_time_sum, coverage)
            if key not in found or recency(view) > recency(found[key]):
                found[key] = view
    return found


def recency(view: PlayView) -> tuple[int, bool, int]:
    """The SQL's ``ORDER BY received_at DESC, event_index DESC`` (NULLs last), reversed."""
    return view.received_at, view.event_index is not None, view.event_index or 0


@settings(max_examples=60, deadline=None)
@given(
    batches(),
    st.lists(stored_views, max_size=8),
    entry_durations,
)
def test_derived_columns_equal_the_sqls(
    rows: list[Row], stored: list[tuple[Row, int | None]], durations: dict[EntryKey, int | None]
) -> None:
    seen: set[tuple[object, ...]] = set()
    stored = [(row, coverage) for row, coverage in stored if untied(row, seen)]
    rows = [row for row in rows if untied(row, seen)]
    window = view_window(table(rows))
    keys = {(r.partner_id, r.session_id, r.entry_id) for r in rows if r.session_id is not None}
    previous = latest_stored(stored, keys, *window) if window else {}
    result = derive(table(rows), previous, durations)
    assert (values(result), latest_views(table(rows), result)) == sql_derived(
        rows, stored, durations
    )


# --- the memory of recent plays ---------------------------------------------------------------


class Store:
    """Derived views as a store holds them, for ``PlayState``'s lookups, which it notes."""

    def __init__(self) -> None:
        self.views: list[tuple[Row, int | None]] = []
        self.asked: list[tuple[set[PlayKey], int, int]] = []

    def lookup(self, keys: Collection[PlayKey], since: int, until: int) -> dict[PlayKey, PlayView]:
        self.asked.append((set(keys), since, until))
        return latest_stored(self.views, keys, since, until)

    def commit(self, state: PlayState, rows: list[Row]) -> list[tuple[Any, ...]]:
        """Derive and store ``rows`` as a writer would, remembering their plays in ``state``
        once stored; answer their derived columns."""
        incoming = table(rows)
        result = derive(incoming, state.previous(incoming, self.lookup), DURATIONS)
        columns = values(result)
        views = [
            (r, c) for r, (_, c, _) in zip(rows, columns, strict=True) if r.event_type_id == 99
        ]
        self.views += views
        state.record(latest_views(incoming, result))
        return columns


def viewed(at: int, session: str = "s", play_time_sum: float = 10, position: float = 10) -> Row:
    return Row(at, session_id=session, play_time_sum=play_time_sum, position=position)


SPLIT = [
    viewed(T0 + 10 * S, "a", 10, 10),
    viewed(T0 + 10 * S, "b", 10, 50),
    Row(T0 + 15 * S, event_type_id=11, session_id="a"),
    viewed(T0 + 20 * S, None, 20, 20),
    viewed(T0 + 20 * S, "a", 20, 20),
    # the second half
    viewed(T0 + 30 * S, "a", 30, 30),
    viewed(T0 + 30 * S, "b", 20, 60),
    viewed(T0 + 40 * S, "a", 10, 40),  # a reset
]


def test_a_batch_split_in_two_commits_derives_as_one() -> None:
    one = Store().commit(PlayState(complete_from=0), SPLIT)
    state, store = PlayState(complete_from=0), Store()  # nothing stored before
    split = store.commit(state, SPLIT[:5]) + store.commit(state, SPLIT[5:])
    assert split == one
    assert store.asked == []  # the state knew every play: a miss is a new play
    assert len(state) == 2  # plays a and b; a view without a session continues nothing


def test_after_a_restart_the_plays_are_looked_up_until_an_hour_has_passed() -> None:
    one = Store().commit(PlayState(complete_from=0), SPLIT)
    store = Store()
    first = store.commit(PlayState(complete_from=0), SPLIT[:5])
    restarted = PlayState(complete_from=T0 + 20 * S + 1)  # after the latest stored view
    assert first + store.commit(restarted, SPLIT[5:]) == one
    assert store.asked == [
        ({(1, "a", "1_video"), (1, "b", "1_video")}, T0 + 30 * S - GAP_US, T0 + 40 * S)
    ]
    # an hour after the restart, a play it does not know is new
    store.commit(restarted, [viewed(T0 + 20 * S + 1 + GAP_US, "c")])
    assert len(store.asked) == 1


def test_a_play_forgotten_after_its_hour_is_looked_up_by_a_late_batch() -> None:
    state, store = PlayState(complete_from=0), Store()
    store.commit(state, [viewed(T0, "a", 10, 10)])
    later = T0 + GAP_US + LATE_SECONDS * S + S
    store.commit(state, [viewed(later, "b")])
    assert len(state) == 1  # a's last view is over an hour and LATE_SECONDS older: forgotten
    # a batch received a hour after a's view and later: a starts a new play, nothing to ask
    assert store.commit(state, [viewed(later + S, "a", 20, 20)]) == [(10.0, bits(5, 10), 6)]
    assert store.asked == []
    # a batch received half an hour after a's view (late): its previous view may be stored
    late = store.commit(state, [viewed(T0 + GAP_US // 2, "a", 20, 20)])
    assert store.asked == [({(1, "a", "1_video")}, T0 - GAP_US // 2, T0 + GAP_US // 2)]
    assert late == [(10.0, bits(0, 10), 5)]  # 20 − 10 s after a's view at T0, adding 6–10


def test_plays_beyond_max_plays_are_forgotten_and_looked_up() -> None:
    state, store = PlayState(complete_from=0, max_plays=1), Store()
    store.commit(state, [viewed(T0, "a", 10, 10)])
    store.commit(state, [viewed(T0 + 10 * S, "b", 10, 10)])
    rows = [viewed(T0 + 20 * S, "a", 20, 20), viewed(T0 + 20 * S, "b", 20, 20)]
    assert store.commit(state, rows) == [(10.0, bits(0, 10), 5), (10.0, bits(0, 10), 5)]
    assert [keys for keys, _, _ in store.asked] == [{(1, "a", "1_video")}]  # b was known


def test_a_batch_older_than_a_plays_known_view_is_looked_up() -> None:
    state, store = PlayState(complete_from=0), Store()
    store.commit(state, [viewed(T0 + 100 * S, "a", 30, 30)])
    # received before the view the state knows: the SQL would carry none (none in its window)
    assert store.commit(state, [viewed(T0 + 50 * S, "a", 20, 20)]) == [(10.0, bits(5, 10), 6)]
    assert len(store.asked) == 1
    # the state keeps the later view; the next batch continues it, unasked
    assert store.commit(state, [viewed(T0 + 110 * S, "a", 40, 40)]) == [
        (10.0, bits(10, 20), 5)  # 40 − 30 s: 30–40 s, 15–20 after 10–15 of the view at 100 s
    ]
    assert len(store.asked) == 1


def test_a_view_recorded_before_what_the_state_has_seen_is_not_trusted() -> None:
    store = Store()
    store.views.append((viewed(T0 + 50 * S, "a", 20, 20), bits(0, 10)))  # before a restart
    state = PlayState(complete_from=T0 + 50 * S + 1)
    # a late batch, received before that view: its window holds none
    assert store.commit(state, [viewed(T0 + 20 * S, "a", 10, 10)]) == [(10.0, bits(0, 5), 6)]
    # the state now holds a's view at 20 s, but a view it has not seen may be later: asked
    assert store.commit(state, [viewed(T0 + 60 * S, "a", 30, 30)]) == [(10.0, bits(0, 15), 5)]
    assert [until for _, _, until in store.asked] == [T0 + 20 * S, T0 + 60 * S]


def test_a_batch_up_to_late_seconds_behind_finds_the_plays_in_memory() -> None:
    state, store = PlayState(complete_from=0), Store()
    store.commit(state, [viewed(T0, "a")])
    store.commit(state, [viewed(T0 + GAP_US + (LATE_SECONDS - 10) * S, "b")])
    assert len(state) == 2  # a's view is over an hour old, but not by LATE_SECONDS more
    # a batch received 90 s before b's view (it waited while b's commit ran), its window
    # reaching back before a's view: nothing stored there is unknown to the state
    store.commit(state, [viewed(T0 + GAP_US - 40 * S, "c")])
    assert store.asked == []


def test_a_view_tying_with_the_stored_one_follows_it() -> None:
    stored = {(1, "s", "1_video"): PlayView(T0, 1, 10, bits(0, 5))}
    rows = [Row(T0, event_index=1, play_time_sum=20, position=20)]
    # the SQL leaves such ties unordered; here the stored view comes first: 20 − 10 s
    assert derived(rows, stored) == [(10.0, bits(0, 10), 5)]


def test_a_batch_of_many_tables_derives_as_one() -> None:
    rows = [viewed(T0 + i * 10 * S, "ab"[i % 2], 10 * i, 10 * i) for i in range(1, 6)]
    chunked = pa.concat_tables([table(rows[:1]), table(rows[1:3]), table(rows[3:])])
    assert chunked.column("session_id").num_chunks == 3
    result = derive(chunked, {}, DURATIONS)
    assert values(result) == derived(rows)
    assert latest_views(chunked, result) == latest_views(
        table(rows), derive(table(rows), {}, DURATIONS)
    )


def test_a_state_never_complete_looks_every_play_up() -> None:
    state, store = PlayState(complete_from=2**63 - 1), Store()  # another writer may store views
    store.commit(state, [viewed(T0, "a", 10, 10)])
    assert store.commit(state, [viewed(T0 + 10 * S, "a", 20, 20)]) == [(10.0, bits(0, 10), 5)]
    assert [keys for keys, _, _ in store.asked] == [{(1, "a", "1_video")}] * 2
