"""ClickHouseIngest stores what DuckDBIngest stores: the same writes through both give the same
rows table by table, the same counts and the same errors; and a retried insert adds nothing."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import clickhouse_connect
import msgspec
import pyarrow as pa
import pytest

from tests.conftest import NOW, T0, event
from tests.ingest.both import Both, outcome
from vantage.config import Settings
from vantage.entities.model import (
    KINDS,
    Category,
    Entry,
    EntryKind,
    EntryStatus,
    Partner,
    Role,
    User,
)
from vantage.events.arrow import to_arrow
from vantage.events.decode import TimeWindow, decode_batch
from vantage.ingest.clickhouse import ClickHouseIngest, reads
from vantage.ingest.clickhouse.inserts import ATTEMPTS
from vantage.ingest.store import Store
from vantage.player.columns import ARROW_SCHEMA
from vantage.player.facts import COUNTED_EVENTS, VIEW
from vantage.store import lifecycle
from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine
from vantage.store.clickhouse.migrations import migrate
from vantage.store.writer import AppendResult
from vantage.timeconv import to_micros

S = 1_000_000  # a second, in µs


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Both]:
    store = Store.open(Settings.load(engine=str(tmp_path_factory.mktemp("duckdb") / "s.db")))
    chdb = ChDBEngine(tmp_path_factory.mktemp("chdb"))
    try:
        migrate(chdb)
        pair = Both(store, chdb, ClickHouseIngest(chdb))
        yield pair
        pair.clickhouse.close()
    finally:
        chdb.close()
        store.close()


# --- room events ----------------------------------------------------------------------------

WINDOW = TimeWindow.around(NOW, 400, 300)


def room_events(*events: dict[str, Any]) -> pa.Table:
    batch = decode_batch(
        msgspec.json.encode(list(events)), ndjson=False, window=WINDOW, max_events=100
    )
    return to_arrow(batch, to_micros(NOW))


def utc(seconds: int) -> dt.datetime:
    """A unix time as the stores give it back: naive UTC."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


def test_room_events_duplicates_and_sessions(both: Both) -> None:
    p = {"partnerId": 201}
    first = room_events(
        *(event("raiseHand", eventId=f"e{i}", time=T0 + i, **p) for i in range(5)),
        event("raiseHand", eventId="e1", time=T0 + 1, **p),  # a copy within the batch
        event("raiseHand", eventId="e1", time=T0 + 9, **p),  # another time: another event
        event("raiseHand", time=T0, **p),  # no id: never a duplicate
        event("raiseHand", time=T0, **p),
        event("sessionStarted", sessionId="cp_1", userId="alice", time=T0 + 20, **p),
        event("sessionStarted", sessionId="cp_1", userId="carol", time=T0 + 30, **p),
        event("sessionEnded", sessionId="cp_1", time=T0 + 100, **p),
        event("sessionStarted", sessionId="cp_2", entryId="1_other", time=T0 + 5, **p),
    )
    again = room_events(
        *(event("raiseHand", eventId=f"e{i}", time=T0 + i, **p) for i in range(3, 7)),
        event("raiseHand", time=T0, **p),
        # an earlier start by another: the start moves, the first host stays
        event("sessionStarted", sessionId="cp_1", userId="bob", time=T0 - 50, **p),
        event("sessionEnded", sessionId="cp_1", time=T0 + 200, **p),
        event("sessionEnded", sessionId="cp_1", time=T0 + 150, **p),
        # a session seen first by its end: its entry from the end
        event("sessionEnded", sessionId="cp_3", entryId="1_third", time=T0 + 60, **p),
        # a later start: the start stays
        event("sessionStarted", sessionId="cp_2", entryId="1_other", time=T0 + 500, **p),
    )
    assert both.same(lambda ingest: ingest.room_events(first)) == AppendResult(13, 12, 1)
    assert both.same(lambda ingest: ingest.room_events(again)) == AppendResult(10, 8, 2)
    vouched = both.same(lambda ingest: ingest.room_events(again, dedupe=False))  # as given
    assert vouched == AppendResult(10, 10, 0)
    assert len(both.rows("room_events", 201)) == 30
    sessions = both.rows("room_sessions", 201, final=True)
    assert sessions[0][1:] == ("cp_1", "1_room", utc(T0 - 50), utc(T0 + 200), "alice")
    assert sessions[1][1:4] == ("cp_2", "1_other", utc(T0 + 5))
    assert [s[1:3] for s in sessions] == [
        ("cp_1", "1_room"),
        ("cp_2", "1_other"),
        ("cp_3", "1_third"),
    ]


def test_batches_queued_together_count_each_its_own(both: Both) -> None:
    batches = [
        room_events(*(event("raiseHand", eventId=f"g{i % 3}", partnerId=202) for i in range(n)))
        for n in (2, 4, 3)
    ]

    def each(ingest: Any) -> list[AppendResult]:
        return [f.result() for f in [ingest.room_events(b) for b in batches]]

    on_duckdb, on_clickhouse = each(both.duckdb), each(both.clickhouse)
    expected = [AppendResult(2, 2, 0), AppendResult(4, 1, 3), AppendResult(3, 0, 3)]
    assert on_duckdb == on_clickhouse == expected
    both.rows("room_events", 202)


# --- player beacons -------------------------------------------------------------------------

START = int(dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC).timestamp()) * S  # two months
VIDEO = Entry(partner_id=301, id="1_video", name="Video", kind=EntryKind.VIDEO, duration=200)
NAMES = {**COUNTED_EVENTS, 5: "other"}


def beacon(at_s: float, event_id: int = VIEW, **fields: Any) -> dict[str, Any]:
    """A beacon of partner 301's video, received ``at_s`` seconds after ``START``."""
    row: dict[str, Any] = {
        "event_type": NAMES[event_id],
        "event_type_id": event_id,
        "partner_id": 301,
        "entry_id": "1_video",
        "session_id": "s1",
        "received_at": START + int(at_s * S),
        "playback_type": "vod",
        "user_id": "alice",
        "sound_mode": 2,
        "tab_mode": 2,
        "average_bitrate": 800.0,
    }
    return row | fields


def beacons(*rows: dict[str, Any]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), ARROW_SCHEMA)


def views(
    session: str, first_index: int, at_s: float, sums: list[int], **fields: Any
) -> list[dict[str, Any]]:
    """Views of one play every 10 s: each ``playTimeSum`` of ``sums``, the position its sum."""
    return [
        beacon(
            at_s + 10 * i,
            session_id=session,
            event_index=first_index + i,
            play_time_sum=float(total),
            position=float(total),
            **fields,
        )
        for i, total in enumerate(sums)
    ]


def test_beacons_continue_plays_across_calls_and_restarts(both: Both) -> None:
    assert both.same(lambda ingest: ingest.upsert(KINDS["entries"], [VIDEO])) == 1
    calls: list[tuple[pa.Table, bool]] = [
        (beacons(*views("s1", 1, 0, [10, 20]), *views("s2", 1, 5, [5]), beacon(3, 3)), True),
        # the plays go on; a resent view and a quartile
        (beacons(*views("s1", 2, 10, [20, 30, 45]), beacon(40, 11, event_index=9)), True),
        # two views received at once: the one of the higher index is the play's latest
        (beacons(*views("s4", 2, 60, [30]), *views("s4", 1, 60, [20])), True),
        (beacons(*views("s2", 2, 3_000, [25, 35], playback_speed=2.0)), True),
        (beacons(*views("s4", 3, 90, [50])), True),
        # over an hour after its last view: s1 starts a new play
        (beacons(*views("s1", 6, 3_700 + 40, [55, 65])), True),
        # the demo's: vouched new
        (beacons(*views("s3", 1, 7_000, [10, 20, 30])), False),
    ]
    results = []
    for number, (rows, dedupe) in enumerate(calls):
        if number in (3, 6):
            both.restart_clickhouse()  # the plays must be found in the store
        results.append(both.same(lambda ingest, r=rows, d=dedupe: ingest.beacons(r, dedupe=d)))
    both.restart_clickhouse(sole_writer=False)  # every play looked up
    results.append(both.same(lambda ingest: ingest.beacons(beacons(*views("s3", 4, 7_030, [40])))))
    assert [r.duplicates for r in results] == [0, 1, 0, 0, 0, 0, 0, 0]
    stored = both.rows("player_events", 301)
    assert len(stored) == 18
    derived = [r[-3:] for r in stored if r[-1] is not None]
    assert any(c is not None and n > 0 for _, c, n in derived)  # coverage was worked out
    assert {f[1].month for f in both.facts(301)} == {3, 4}


def test_rows_with_a_nan_are_refused_alike(both: Both) -> None:
    bad = beacons(beacon(1, position=float("nan"), event_index=1, partner_id=302))
    on_duckdb, on_clickhouse = both.write(lambda ingest: ingest.beacons(bad))
    assert on_duckdb == on_clickhouse and on_duckdb[0] == "error"
    both.rows("player_events", 302)


# --- entities -------------------------------------------------------------------------------

ENTRIES, AUG_1 = KINDS["entries"], 1_722_470_400


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2024, 9, 1, 12)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(lifecycle, "write_time", c)
    return c


def video(entry_id: str, **fields: Any) -> Entry:
    base: dict[str, Any] = {
        "partner_id": 401,
        "id": entry_id,
        "name": entry_id,
        "kind": EntryKind.VIDEO,
        "media_type": 1,
        "source_type": 1,
        "admin_tags": ["zoomentry"],
        "creator_user_id": "alice",
        "duration": 60,
        "size": 1000,
    }
    return Entry(**(base | fields))


def test_entries_written_deleted_resized_and_revived(
    both: Both, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reads, "KEYS_PER_READ", 2)  # stored entries read in several queries

    def upsert(*entries: Entry) -> None:
        assert both.same(lambda ingest: ingest.upsert(ENTRIES, list(entries))) == len(entries)
        clock.now += dt.timedelta(days=1)

    upsert(video("a", created_at=AUG_1), video("b"), video("old", status=EntryStatus.DELETED))
    upsert(video("a", created_at=AUG_1, name="A again"), video("b", duration=90, size=None))
    assert both.same(lambda ingest: ingest.delete_entries(401, ["a", "old", "gone", "a"])) == (2, 1)
    assert both.same(lambda ingest: ingest.delete_entries(401, ["a"])) == (1, 0)
    upsert(video("a", duration=120))  # revived, with another length
    upsert(video("b", duration=30, size=2000), video("c", status=EntryStatus.PENDING))
    # deleted by an upsert that changes it too: the delete counts it as it was stored
    upsert(video("c", status=EntryStatus.DELETED, media_type=5, source_type=2, admin_tags=[]))
    twice = both.same(lambda ingest: ingest.upsert(ENTRIES, [video("d"), video("d")]))
    assert twice[0].__name__ == "EntityError" and "twice" in twice[1]
    both.rows("entries", 401, final=True)
    lifecycle_rows = both.rows("entry_lifecycle", 401)
    kinds = sorted(r[3] for r in lifecycle_rows)
    assert kinds.count("physicalAdd") == 5 and kinds.count("physicalDelete") == 3
    assert "durationChange" in kinds and "sizeChange" in kinds


def test_categories_users_and_partners(both: Both) -> None:
    categories = [
        Category(partner_id=402, id=1, name="Courses"),
        Category(partner_id=402, id=2, name="Biology", parent_id=1),
    ]
    both.same(lambda ingest: ingest.upsert(KINDS["categories"], categories))
    child = [Category(partner_id=402, id=3, name="BIO-101", parent_id=2)]
    both.same(lambda ingest: ingest.upsert(KINDS["categories"], child))
    names = [r[3] for r in both.rows("categories", 402, final=True)]
    assert names[-1] == "Courses>Biology>BIO-101"
    users = [User(partner_id=402, id="alice", first_name="Alice")]
    both.same(lambda ingest: ingest.upsert(KINDS["users"], users))
    both.rows("users", 402, final=True)
    roles = [Role(id=7, name="Auditor", permissions=["ANALYTICS_BASE"])]
    partner = Partner(id=403, name="P", admin_secrets=["a" * 32], user_secret="u" * 32)
    both.same(lambda ingest: ingest.upsert(KINDS["partners"], [partner]))  # default roles
    with_roles = msgspec.structs.replace(partner, roles=roles)
    both.same(lambda ingest: ingest.upsert(KINDS["partners"], [with_roles]))
    renamed = msgspec.structs.replace(partner, name="Renamed")  # no roles: keeps the stored
    both.same(lambda ingest: ingest.upsert(KINDS["partners"], [renamed]))
    (stored,) = both.rows("partners", 403, final=True)
    assert stored[1] == "Renamed" and "Auditor" in stored[7]


def test_partners_created_with_taken_and_free_ids(both: Both) -> None:
    secrets = {"admin_secret": "a" * 32, "user_secret": "b" * 32}
    created = both.same(lambda ingest: ingest.create_partner("One", partner_id=900, **secrets))
    assert created.id == 900
    taken = both.write(lambda ingest: ingest.create_partner("Two", partner_id=900, **secrets))
    assert taken[0] == taken[1] and taken[0][1][1] == "partner 900 already exists"
    free = both.same(
        lambda ingest: ingest.create_partner(
            "Two", partner_id=900, next_free_if_taken=True, **secrets
        )
    )
    assert free.id == 901
    orphan = both.write(
        lambda ingest: ingest.create_partner("Three", parent_partner_id=12345, **secrets)
    )
    assert orphan[0] == orphan[1] and orphan[0][0] == "error"
    child = both.same(
        lambda ingest: ingest.create_partner("Child", parent_partner_id=900, **secrets)
    )
    assert child.id == 902
    for pid in (900, 901, 902):
        both.rows("partners", pid, final=True)


def test_metadata_and_upkeep(both: Both) -> None:
    both.same(lambda ingest: ingest.set_meta("colour", "red"))
    both.same(lambda ingest: ingest.set_meta("colour", "blue"))
    assert both.store.meta("colour") == "blue"
    assert both.chdb.query("SELECT value FROM meta FINAL WHERE key = 'colour'") == [("blue",)]
    assert both.clickhouse.maintain().result() is False


class HoldsFirstInsert:
    """The chDB engine, but its first insert waits for ``release``: what is handed over
    meanwhile queues up behind it."""

    def __init__(self, engine: ChDBEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect
        self.query = engine.query
        self.query_batches = engine.query_batches
        self.release = threading.Event()

    def insert(self, table: str, data: pa.Table, token: str) -> int:
        self.release.wait(timeout=10)
        return self.engine.insert(table, data, token)


def test_a_bad_batch_queued_with_good_ones_fails_alone(both: Both) -> None:
    assert isinstance(both.chdb, ChDBEngine)
    held = HoldsFirstInsert(both.chdb)
    ingest = ClickHouseIngest(held)  # type: ignore[arg-type]
    good = [beacons(*views(f"q{i}", 1, 100 * i, [10, 20], partner_id=305)) for i in range(3)]
    bad = beacons(beacon(500, position=float("inf"), event_index=1, partner_id=305))
    try:
        first = ingest.beacons(good[0])  # held in its insert: the rest queue up as one group
        queued = [ingest.beacons(t) for t in (good[1], bad, good[2])]
        held.release.set()
        on_clickhouse = [outcome(f) for f in (first, *queued)]
    finally:
        ingest.close()
    on_duckdb = [outcome(both.duckdb.beacons(t)) for t in (good[0], good[1], bad, good[2])]
    assert on_clickhouse == on_duckdb
    assert [kind for kind, _ in on_duckdb] == ["ok", "ok", "error", "ok"]
    both.rows("player_events", 305)


def test_through_the_http_adapter_too(both: Both, clock: Clock) -> None:
    """The same writes through ``ClickHouseEngine`` (a server's adapter, here clickhouse-connect's
    in-process chDB client over the module's store): its parameters and inserts differ."""
    assert isinstance(both.chdb, ChDBEngine)
    client = clickhouse_connect.get_client(interface="chdb", path=str(both.chdb.directory))
    http = ClickHouseEngine(client)
    over_http = Both(both.store, http, ClickHouseIngest(http))
    try:
        video = msgspec.structs.replace(VIDEO, partner_id=601)
        assert over_http.same(lambda ingest: ingest.upsert(ENTRIES, [video])) == 1
        plays = [views("h1", 1, 0, [10, 20], partner_id=601), views("h1", 3, 20, [40])]
        over_http.same(lambda ingest: ingest.beacons(beacons(*plays[0])))
        over_http.restart_clickhouse(sole_writer=False)  # the play is looked up
        over_http.same(lambda ingest: ingest.beacons(beacons(*plays[0], *plays[1])))
        session = event("sessionStarted", partnerId=601, eventId="h", sessionId="cp_h")
        assert over_http.same(lambda ingest: ingest.room_events(room_events(session))).stored == 1
        assert over_http.same(lambda ingest: ingest.delete_entries(601, ["1_video"])) == (1, 1)
        for table in ("player_events", "room_events", "entry_lifecycle"):
            over_http.rows(table, 601)
        for table in ("room_sessions", "entries"):
            over_http.rows(table, 601, final=True)
        over_http.facts(601)
    finally:
        over_http.clickhouse.close()
        http.close()


# --- retries --------------------------------------------------------------------------------


class LosesAcknowledgements:
    """The chDB engine, but the acknowledgements of its first ``lost`` inserts are lost: the
    rows are stored, and the caller hears of a dropped connection."""

    def __init__(self, engine: ChDBEngine, lost: int) -> None:
        self.engine = engine
        self.lost = lost
        self.dialect = engine.dialect
        self.query = engine.query
        self.query_batches = engine.query_batches
        self.tokens: list[str] = []

    def insert(self, table: str, data: pa.Table, token: str) -> int:
        self.tokens.append(token)
        stored = self.engine.insert(table, data, token)
        if len(self.tokens) <= self.lost:
            raise ConnectionResetError("the acknowledgement was lost")
        return stored


def flaky_ingest(both: Both, lost: int) -> tuple[LosesAcknowledgements, ClickHouseIngest]:
    assert isinstance(both.chdb, ChDBEngine)
    flaky = LosesAcknowledgements(both.chdb, lost)
    return flaky, ClickHouseIngest(flaky)  # type: ignore[arg-type]


def test_an_insert_sent_again_with_its_token_adds_nothing(both: Both) -> None:
    flaky, ingest = flaky_ingest(both, lost=1)
    rows = beacons(*views("r1", 1, 0, [10, 20, 30], partner_id=303), beacon(2, 3, partner_id=303))
    try:
        assert ingest.beacons(rows).result() == AppendResult(4, 4, 0)
    finally:
        ingest.close()
    assert len(flaky.tokens) == 2 and flaky.tokens[0] == flaky.tokens[1]  # sent again, same token
    assert both.duckdb.beacons(rows).result() == AppendResult(4, 4, 0)  # stored once
    assert len(both.rows("player_events", 303)) == 4
    ((views_counted,),) = both.chdb.query(
        "SELECT sum(n_view) FROM player_facts WHERE partner_id = 303"
    )
    assert views_counted == 3
    both.facts(303)


def test_views_stored_by_a_failed_write_are_found_by_the_next(both: Both) -> None:
    flaky, ingest = flaky_ingest(both, lost=ATTEMPTS)
    later = 20_000  # seconds after START: over an hour after any view stored before
    first = beacons(*views("r2", 1, later, [10, 20], partner_id=304))
    going_on = beacons(*views("r2", 3, later + 20, [45], partner_id=304))
    try:
        with pytest.raises(ConnectionResetError):  # every acknowledgement lost: it failed
            ingest.beacons(first).result()
        assert ingest.beacons(going_on).result() == AppendResult(1, 1, 0)
    finally:
        ingest.close()
    assert len(set(flaky.tokens)) == 2  # the first write's attempts shared one token
    for rows in (first, going_on):
        both.duckdb.beacons(rows).result()
    assert [r[-3] for r in both.rows("player_events", 304)] == [10.0, 10.0, 25.0]
