"""``write_player_events``: the school's media library watched over the last 30 days, written as
player beacons in batches of page loads, each batch with its own random streams.

Every batch spreads its loads over the whole 30 days, so a requested count keeps the window
and only sets how busy it is; the last batch is cut at a load, so the count is met to within one
page load. The stored rows look as the collector would have stored them: the address, agent and
referrer pools are enriched once, and each row takes its pool entry's columns.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from vantage.demo.audience import Audience, audience
from vantage.demo.beacon_frame import BeaconFrame
from vantage.demo.beacons import add_beacons, choices
from vantage.demo.delays import delays
from vantage.demo.media import Library
from vantage.demo.school import School
from vantage.demo.streams import AUDIENCE, BEACONS, DELAYS, WATCH, stream
from vantage.demo.watching import ANONYMOUS_VIEWERS, Watches, plan_watches
from vantage.ingest.store import Store
from vantage.player.enrich import Enricher
from vantage.store.writer import AppendResult

NATURAL_EVENTS = 400_000
BATCH_LOADS = 2_000  # page loads per batch: 50,000–200,000 beacons (recordings are long);
# larger batches store faster but peak memory grows with them (10,000: 2.2 GB for 10 million)
PLAYBACK_TYPES = pa.array(["vod", "live", "dvr"], pa.string())  # by watching.VOD …
CLIENT_VERSION = "3.17.21"
_DELAYS_INDEX = 1 << 40  # player batches' delay streams, apart from the room units' keys


@dataclass(frozen=True)
class PlayerSummary:
    events: int
    loads: int  # page loads (player sessions)
    first_us: int | None
    last_us: int | None


def write_player_events(
    store: Store,
    *,
    seed: int,
    partner_id: int,
    school: School,
    library: Library,
    events: int | None,
    enricher: Enricher,
    progress: Callable[[int], None] | None = None,
) -> PlayerSummary:
    """About ``events`` beacons (``NATURAL_EVENTS`` if None); 0 writes none."""
    wanted = NATURAL_EVENTS if events is None else events
    pools = audience(enricher)
    user_ids = pa.array(school.user_ids, pa.string())
    anonymous_ids = pa.array(_uuids(stream(seed, AUDIENCE), ANONYMOUS_VIEWERS), pa.string())
    text = choices()
    written = loads = produced = batch = 0
    first_us: int | None = None
    last_us: int | None = None
    pending: Future[AppendResult] | None = None

    def settle() -> None:
        """Wait for the previous batch to be stored: at most two batches are in memory."""
        nonlocal pending, written
        if pending is not None:
            written += pending.result().stored
            pending = None
            if progress is not None:
                progress(written)

    while produced < wanted:
        rng = stream(seed, WATCH, batch)
        w = plan_watches(
            rng,
            BATCH_LOADS,
            school.clock,
            library,
            pools,
            school.habits.focus,
            school.habits.sound,
        )
        frame = BeaconFrame(text)
        add_beacons(stream(seed, BEACONS, batch), w, frame)
        counts = frame.per_load(w.n)
        keep = int(np.searchsorted(np.cumsum(counts), wanted - produced)) + 1
        shared = _shared(w, rng, partner_id, library, pools, user_ids, anonymous_ids)
        rows = int(counts[:keep].sum())
        late = delays(stream(seed, DELAYS, _DELAYS_INDEX + batch), w.n)
        table = frame.table(shared, w.load_us, late, keep)
        times = table.column("received_at")
        lo, hi = times[0].value, times[-1].value
        first_us = lo if first_us is None else min(first_us, lo)
        last_us = hi if last_us is None else max(last_us, hi)
        settle()
        pending = store.ingest.beacons(table, dedupe=False)
        produced += rows
        loads += min(keep, w.n)
        batch += 1
    settle()
    # every batch spread its facts over the 30 days: the store's upkeep, as the server does it
    while store.ingest.maintain().result():
        pass
    return PlayerSummary(written, loads, first_us, last_us)


def _shared(
    w: Watches,
    rng: np.random.Generator,
    partner_id: int,
    library: Library,
    pools: Audience,
    user_ids: pa.Array,
    anonymous_ids: pa.Array,
) -> dict[str, pa.Array]:
    """What every beacon of a load carries, by load index."""
    entry = pa.array(w.entry)
    by_pool = [
        (pools.addresses.columns, pa.array(w.address)),
        (pools.agents.columns, pa.array(w.agent)),
        (pools.referrers.columns, pa.array(w.referrer)),
    ]
    zeros = pa.array(np.zeros(w.n, np.int64))
    return {
        "partner_id": pa.array(np.full(w.n, partner_id, np.int64)),
        "entry_id": library.ids.take(entry),
        "playback_context": library.contexts.take(entry),
        "virtual_event_id": library.virtual_events.take(entry),
        "session_id": pa.array(_uuids(rng, w.n), pa.string()),
        "user_id": user_ids.take(pa.array(w.user, mask=w.user < 0)),
        "persistent_session_id": anonymous_ids.take(pa.array(w.anonymous, mask=w.anonymous < 0)),
        "playback_type": PLAYBACK_TYPES.take(pa.array(w.playback)),
        "client_ver": pa.array([CLIENT_VERSION]).take(zeros),
        "client_tag": pa.array([f"html5:v{CLIENT_VERSION}"]).take(zeros),
        "player_skin": pa.array(["default"]).take(zeros),
    } | {name: values.take(index) for columns, index in by_pool for name, values in columns.items()}


def _uuids(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` random UUID-shaped ids, as the player makes its session ids."""
    return [
        f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"
        for h in (f"{a:016x}{b:016x}" for a, b in rng.integers(0, 1 << 63, (n, 2)).tolist())
    ]
