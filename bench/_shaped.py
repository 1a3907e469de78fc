"""A store shaped like a real customer's, built once per size for ``bench/engines.py``.

One DuckDB store holds two partners:

* the demo school (``vantage demo --events ROOM --player-events 0``): its room events over the
  120 days before ``NOW``, which the 6001 CSV export reads;
* a media customer ("Shaped"): 50 categories, 2,000 entries (videos, some audio, a few live
  channels) played with a long tail (weight ~ 1 / (rank + 10)), 20,000 known viewers and the
  demo's 20,000 anonymous ones, from the demo's address, device and referrer pools; its player
  beacons over the 30 days before ``NOW`` are planned and sent as the demo's player part does
  (``vantage.demo.watching`` and ``beacons``: impressions, plays, a VIEW every 10 s of playing,
  quartiles, pauses, seeks, errors …) and written through the public ingest
  (``store.ingest.beacons(table, dedupe=False)``, about 200,000 rows a call).

Then ``vantage store copy --to chdb:DIR`` copies the whole store into embedded ClickHouse, so
both engines hold the same rows. ``shape.json`` is written last: a directory without it is an
unfinished build and is built again.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import geolite2
import numpy as np
import pyarrow as pa

from _common import VANTAGE
from vantage.config import Settings
from vantage.demo.audience import audience
from vantage.demo.beacon_frame import BeaconFrame
from vantage.demo.beacons import add_beacons, choices
from vantage.demo.clock import DAY, US, Clock
from vantage.demo.delays import delays
from vantage.demo.media import AUDIO, LIVE, VIDEO, Library
from vantage.demo.player import _shared, _uuids  # a page load's columns, as the demo's
from vantage.demo.watching import ANONYMOUS_VIEWERS, plan_watches
from vantage.entities.model import KINDS, Category, Entry, EntryKind, User
from vantage.ingest.store import Store
from vantage.player.enrich import Enricher
from vantage.store.writer import AppendResult

NOW = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)  # fixed, so a cached store keeps its 30 days
PARTNER_ID = 301
PARTNER_NAME = "Shaped"
ADMIN_SECRET = "shaped0admin0secret0000000000001"
USER_SECRET = "shaped0user0secret00000000000001"
ENTRIES = 2_000
CATEGORIES = 50
VIEWERS = 20_000
CHUNK_ROWS = 200_000  # beacons per ingest call
BATCH_LOADS = 2_000  # page loads planned at once
SEED = 9
MANIFEST = "shape.json"


@dataclass(frozen=True)
class Shape:
    """What the benchmark needs to know of a built size, kept in ``shape.json``."""

    duckdb: str  # the DuckDB store's path
    chdb: str  # the chDB directory
    partner_id: int
    secret: str
    room_partner_id: int
    room_secret: str
    room_partner_ks_version: int
    player_events: int  # stored for the shaped partner
    room_events: int  # stored for the demo school
    entries_played: int
    viewers: int  # distinct known users with a play
    top_entry: str
    top_entry_share: float  # of the VOD plays
    top_category: int
    top_category_share: float
    duckdb_mb: float
    chdb_mb: float
    seconds_rooms: float
    seconds_player: float
    seconds_copy: float

    @property
    def seconds(self) -> float:
        return self.seconds_rooms + self.seconds_player + self.seconds_copy


def load(where: Path) -> Shape | None:
    manifest = where / MANIFEST
    if not manifest.exists():
        return None
    return Shape(**json.loads(manifest.read_text()))


def build(where: Path, player_events: int, room_events: int) -> Shape:
    """Build both stores in ``where`` (emptied first); a few minutes per million events."""
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    store, chdb = where / "store.duckdb", where / "chdb"

    say(f"{where}: the demo school's {room_events:,} room events ...")
    began = time.perf_counter()
    subprocess.run(
        [VANTAGE, "--store", str(store), "demo", "--events", str(room_events)]
        + ["--player-events", "0", "--now", NOW.strftime("%Y-%m-%dT%H:%M:%SZ")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds_rooms = time.perf_counter() - began

    say(f"{where}: {player_events:,} player beacons of {ENTRIES:,} entries ...")
    began = time.perf_counter()
    with Store.open(Settings.load(engine=str(store))) as opened:
        write_customer(opened, player_events, progress)
    duckdb.connect(str(store)).close()  # folds the write-ahead log into the file
    seconds_player = time.perf_counter() - began

    say(f"{where}: vantage store copy --to chdb:{chdb} ...")
    began = time.perf_counter()
    subprocess.run(
        [VANTAGE, "--store", str(store), "store", "copy", "--to", f"chdb:{chdb}"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds_copy = time.perf_counter() - began

    shape = Shape(
        duckdb=str(store),
        chdb=str(chdb),
        partner_id=PARTNER_ID,
        secret=ADMIN_SECRET,
        **read_facts(store),
        duckdb_mb=store.stat().st_size / 2**20,
        chdb_mb=sum(f.stat().st_size for f in chdb.rglob("*") if f.is_file()) / 2**20,
        seconds_rooms=seconds_rooms,
        seconds_player=seconds_player,
        seconds_copy=seconds_copy,
    )
    (where / MANIFEST).write_text(json.dumps(asdict(shape), indent=2) + "\n")
    return shape


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def progress(written: int) -> None:
    say(f"  {written:,} beacons stored")


# --- the customer ------------------------------------------------------------------------------


def write_customer(store: Store, wanted: int, progress: Callable[[int], None]) -> int:
    """The shaped partner, its entities and about ``wanted`` beacons; returns those stored."""
    clock = Clock.at(NOW)
    rng = np.random.default_rng([SEED, 0])
    store.ingest.create_partner(
        PARTNER_NAME,
        partner_id=PARTNER_ID,
        admin_secret=ADMIN_SECRET,
        user_secret=USER_SECRET,
    ).result()
    library, categories = plan_library(rng, clock)
    users = [
        User(partner_id=PARTNER_ID, id=f"viewer-{u:05d}", first_name="Viewer", last_name=f"{u}")
        for u in range(VIEWERS)
    ]
    store.ingest.upsert(KINDS["categories"], categories).result()
    store.ingest.upsert(KINDS["entries"], library.entries).result()
    store.ingest.upsert(KINDS["users"], users).result()

    pools = audience(Enricher(geolite2.geolite2.filename))
    focus = rng.beta(6, 2, VIEWERS)  # chance the tab is focused, per viewer
    sound = rng.beta(9, 1, VIEWERS)
    user_ids = pa.array([u.id for u in users], pa.string())
    anonymous_ids = pa.array(_uuids(rng, ANONYMOUS_VIEWERS), pa.string())
    text = choices()
    produced = written = batch = 0
    chunk: list[pa.Table] = []
    pending: Future[AppendResult] | None = None

    def flush() -> None:
        nonlocal pending, written, chunk
        if pending is not None:  # at most one chunk stored while the next is made
            written += pending.result().stored
            pending = None
            progress(written)
        if chunk:
            pending = store.ingest.beacons(pa.concat_tables(chunk), dedupe=False)
            chunk = []

    while produced < wanted:
        brng = np.random.default_rng([SEED, 1, batch])
        w = plan_watches(brng, BATCH_LOADS, clock, library, pools, focus, sound)
        frame = BeaconFrame(text)
        add_beacons(np.random.default_rng([SEED, 2, batch]), w, frame)
        counts = frame.per_load(w.n)
        keep = int(np.searchsorted(np.cumsum(counts), wanted - produced)) + 1
        shared = _shared(w, brng, PARTNER_ID, library, pools, user_ids, anonymous_ids)
        late = delays(np.random.default_rng([SEED, 3, batch]), w.n)
        table = frame.table(shared, w.load_us, late, min(keep, w.n))
        chunk.append(table)
        produced += table.num_rows
        if sum(t.num_rows for t in chunk) >= CHUNK_ROWS:
            flush()
        batch += 1
    flush()
    flush()
    while store.ingest.maintain().result():  # the upkeep the server would do
        pass
    return written


def plan_library(rng: np.random.Generator, clock: Clock) -> tuple[Library, list[Category]]:
    """2,000 entries in 50 categories: 90% video, 8% audio, 2% live; added over the last year;
    played with a long tail."""
    categories = [
        Category(
            partner_id=PARTNER_ID,
            id=5_000 + c,
            name=f"Channel {c}",
            full_name=f"Shaped>Channel {c}",
        )
        for c in range(CATEGORIES)
    ]
    n = ENTRIES
    form = rng.choice([VIDEO, AUDIO, LIVE], n, p=[0.90, 0.08, 0.02])
    duration = np.clip(rng.lognormal(np.log(7 * 60), 0.9, n), 30, 3 * 3_600).round()
    duration = np.where(form == LIVE, np.inf, duration)
    # a third of the library is added within the 30 days, the rest over the year before
    age_days = np.where(rng.random(n) < 0.33, rng.uniform(1, 30, n), rng.uniform(30, 365, n))
    created_us = (clock.now_us - age_days * DAY).astype(np.int64)
    rank = rng.permutation(n)
    weight = 1.0 / (rank + 10.0) ** 1.1
    share = rng.lognormal(0, 1, CATEGORIES)  # some channels hold many more entries
    category = rng.choice(CATEGORIES, n, p=share / share.sum())
    kinds = {VIDEO: EntryKind.VIDEO, AUDIO: EntryKind.AUDIO, LIVE: EntryKind.LIVE_STREAM}
    media_type = {VIDEO: 1, AUDIO: 5, LIVE: 201}
    ids = [f"1_sh{e:06d}" for e in range(n)]
    entries = [
        Entry(
            partner_id=PARTNER_ID,
            id=ids[e],
            name=f"Shaped media {e}",
            kind=kinds[int(form[e])],
            created_at=int(created_us[e] // US),
            duration=None if form[e] == LIVE else int(duration[e]),
            media_type=media_type[int(form[e])],
            source_type=32 if form[e] == LIVE else 1,
            category_ids=[5_000 + int(category[e])],
        )
        for e in range(n)
    ]
    library = Library(
        entries=entries,
        ids=pa.array(ids, pa.string()),
        contexts=pa.array([str(5_000 + int(c)) for c in category], pa.string()),
        virtual_events=pa.nulls(n, pa.int64()),
        form=form,
        duration_s=duration.astype(np.float64),
        created_us=created_us,
        weight=weight,
    )
    return library, categories


# --- what the queries need ---------------------------------------------------------------------


def read_facts(store: Path) -> dict[str, object]:
    """The demo school's partner and the shaped partner's counts, top entry and category."""
    end = int(NOW.timestamp()) * 1_000_000
    start = end - 30 * 86_400 * 1_000_000
    span = f"bucket >= make_timestamp({start}) AND bucket < make_timestamp({end})"
    vod = f"partner_id = {PARTNER_ID} AND playback_type = 'vod' AND {span}"
    with duckdb.connect(str(store), read_only=True) as con:

        def one(sql: str) -> tuple:
            row = con.execute(sql).fetchone()
            assert row is not None, sql
            return row

        room_pid, room_secret, room_version = one(
            "SELECT p.id, p.admin_secrets[1], p.ks_version FROM partners p "
            "JOIN meta m ON m.key = 'demo_partner_id' AND p.id = m.value::BIGINT"
        )
        (rooms,) = one(f"SELECT count(*) FROM room_events WHERE partner_id = {room_pid}")
        (beacons,) = one(f"SELECT count(*) FROM player_events WHERE partner_id = {PARTNER_ID}")
        plays, entries, viewers = one(
            "SELECT sum(n_play), count(DISTINCT entry_id), count(DISTINCT user_id) "
            f"FROM player_facts WHERE {vod} AND n_play > 0"
        )
        entry, entry_plays = one(
            f"SELECT entry_id, sum(n_play) AS p FROM player_facts WHERE {vod} "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
        )
        category, category_plays = one(
            "SELECT c, sum(p) FROM (SELECT unnest(e.category_ids) AS c, f.p FROM "
            f"(SELECT entry_id, sum(n_play) AS p FROM player_facts WHERE {vod} GROUP BY 1) f "
            f"JOIN entries e ON e.partner_id = {PARTNER_ID} AND e.id = f.entry_id) "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
        )
    return {
        "room_partner_id": int(room_pid),
        "room_secret": str(room_secret),
        "room_partner_ks_version": int(room_version),
        "player_events": int(beacons),
        "room_events": int(rooms),
        "entries_played": int(entries),
        "viewers": int(viewers),
        "top_entry": str(entry),
        "top_entry_share": int(entry_plays) / int(plays),
        "top_category": int(category),
        "top_category_share": int(category_plays) / int(plays),
    }
