"""Dashboard benchmark: p50 / p95 of each panel's fragment and of a whole page, at the issue's
shapes, on the demo school and (``--big``) on a store of 35 M room events.

    .venv/bin/python bench/dashboard.py [--events 300000] [--runs 20]
    .venv/bin/python bench/dashboard.py --big   # the issue's table: both stores

The three shapes of issue 11 (``bench/_rooms.py``): (a) a room with one session of 500
attendees (its room page, the session picked: the engagement table with its heatmaps), (b) a
room with 100 sessions of 30 attendees and (c) a category of 200 rooms of 3 sessions each (each
page over a custom range of the 50 days that hold every shape). They are added to a copy of

* the demo school (``vantage demo --events`` ``--events`` ``--player-events 0``), and
* with ``--big``, bench/engines.py's store of the demo school's 35 M room events (and 10 M
  player beacons), ``var/bench/engines/p10000000-r35000000/`` (built first if missing, about
  10 minutes; ``--engines-cache`` reads it from another checkout's ``var/bench/engines``),

each built once into ``var/bench/dashboard/<base>-<shapes>/`` (again with ``--rebuild``).
Here (2 cores, shared): the demo's store in about 2 minutes, the 35 M store's copy with the
shapes in 3; a run then takes about 3 minutes a store.

The dashboard is asked in process (Starlette's test client, so without the HTTP server's own
cost), on DuckDB with default settings. Each fragment is asked ``--runs`` times after one
warm-up; a whole page is the frame and then every panel at once (each in its own thread, as a
browser loads them), timed to the last answer. Target (issue 11): each fragment <= 200 ms p95,
the whole page <= 1 s (on the demo school).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from starlette.testclient import TestClient

import _rooms
import _shaped
from _common import machine_facts, render_table, temp_dir
from _rooms import Rooms
from vantage.access import ks
from vantage.config import Settings
from vantage.ingest.store import Store
from vantage.server import create_app
from vantage.web.panels import PANELS

FRAGMENT_TARGET_MS, PAGE_TARGET_MS = 200, 1000
VAR = Path(__file__).resolve().parent.parent / "var" / "bench"
BIG = "p10000000-r35000000"  # bench/engines.py's default size
BIG_SIZES = (10_000_000, 35_000_000)  # its player and room events


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--big", action="store_true", help="also the store of 35 M room events")
    parser.add_argument("--engines-cache", type=Path, default=VAR / "engines")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    load = f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    stores: list[tuple[str, Callable[[Path], None]]] = [
        (f"demo-e{args.events}", partial(_rooms.demo_store, events=args.events))
    ]
    if args.big:
        stores.append((BIG, _copy_of(_big_base(args.engines_cache))))
    rows, facts = [], []
    for base, make in stores:
        where = VAR / "dashboard" / f"{base}-{_rooms.SHAPES}"
        built = None if args.rebuild else _rooms.load(where)
        rooms = built or _rooms.build(where, make)
        name = "demo" if base.startswith("demo") else f"{BIG_SIZES[1] // 1_000_000} M"
        facts.append(
            f"{name}: {where}, {rooms.room_events:,} room events of the demo partner "
            f"({rooms.shape_events:,} of them the shapes')"
        )
        rows += measure(rooms, name, args.runs)
    load += f" before, {' '.join(f'{x:.2f}' for x in os.getloadavg())} after"
    print(f"{machine_facts()}\n{load}\n" + "\n".join(facts) + "\n")
    print(render_table(("store", "case", "what", "p50 ms", "p95 ms", "target"), rows))
    return 0


def _big_base(cache: Path) -> Path:
    where = cache / BIG
    shape = _shaped.load(where) or _shaped.build(where, *BIG_SIZES)
    return Path(shape.duckdb)


def _copy_of(base: Path) -> Callable[[Path], None]:
    def copy(store: Path) -> None:
        _shaped.say(f"copying {base} to {store} ...")
        shutil.copyfile(base, store)

    return copy


def measure(rooms: Rooms, store_name: str, runs: int) -> list[tuple[str, ...]]:
    """Every case's fragments and whole page on the store of ``rooms``."""
    span = {"preset": "custom", "from": rooms.first_day, "to": rooms.last_day}
    cases = [
        (
            f"(a) 1 session x {rooms.big_attendees} attendees",
            f"/analytics/rooms/{rooms.big_room}",
            {"session": rooms.big_session},
        ),
        (
            f"(b) room of {rooms.busy_sessions} sessions",
            f"/analytics/rooms/{rooms.busy_room}",
            span,
        ),
        (
            f"(c) category of {rooms.category_rooms} rooms",
            f"/analytics/categories/{rooms.category}",
            span,
        ),
    ]
    rows = []
    with temp_dir("dashboard") as work:
        settings = Settings.load(engine=rooms.store, jobs_dir=str(work / "jobs"))
        with Store.open(settings) as store:
            token = ks.generate(
                rooms.admin_secret, rooms.partner_id, version=rooms.ks_version, type=ks.ADMIN
            )
            client = TestClient(create_app(settings, store))
            client.get("/analytics", params={"ks": token}, follow_redirects=False)  # signs in
            for name, url, params in cases:
                _rooms.say(f"{store_name}: {name} ...")
                params = {**params, "tz": "UTC"}
                panels = [p.name for p in PANELS.values() if "rooms/" in url or not p.rooms_only]
                for panel in panels:
                    times = _timed(client, f"{url}/panels/{panel}", params, runs)
                    rows.append(_row(store_name, name, panel, times, FRAGMENT_TARGET_MS))
                whole = _pages(client, url, params, panels, runs)
                rows.append(_row(store_name, name, "whole page", whole, PAGE_TARGET_MS))
    return rows


def _timed(client: TestClient, url: str, params: dict[str, str], runs: int) -> list[float]:
    times = []
    for i in range(runs + 1):
        started = time.perf_counter()
        answer = client.get(url, params=params)
        assert answer.status_code == 200, (url, answer.status_code, answer.text[:300])
        if i:  # the first run warms the caches
            times.append(time.perf_counter() - started)
    return times


def _pages(
    client: TestClient, url: str, params: dict[str, str], panels: list[str], runs: int
) -> list[float]:
    times = []
    with ThreadPoolExecutor(len(panels)) as pool:
        for i in range(runs + 1):
            started = time.perf_counter()
            assert client.get(url, params=params).status_code == 200
            asked = [pool.submit(client.get, f"{url}/panels/{p}", params=params) for p in panels]
            assert all(f.result().status_code == 200 for f in asked)
            if i:
                times.append(time.perf_counter() - started)
    return times


def _ms(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def _row(store: str, case: str, what: str, times: list[float], target: int) -> tuple[str, ...]:
    p50, p95 = statistics.median(times) * 1000, _ms(times, 0.95)
    return (
        store,
        case,
        what,
        f"{p50:.0f}",
        f"{p95:.0f}",
        f"<= {target}" + ("" if p95 <= target else " MISSED"),
    )


if __name__ == "__main__":
    sys.exit(main())
