"""Dashboard benchmark: p50 / p95 of each panel's fragment and of a whole page on a demo school.

    .venv/bin/python bench/dashboard.py [--events 300000] [--runs 20] [--preset 120]

Builds a demo school (``vantage demo``'s generator, room events only) in a temporary store and
asks the dashboard, in process (Starlette's test client, so without the HTTP server's own
cost), for three cases: the session with the most attendees (its room, the session picked), the
room with the most sessions (the range of ``--preset`` days), and the category with the most
rooms. Each fragment is asked ``--runs`` times after one warm-up; a whole page is the frame and
then every panel at once (each in its own thread, as a browser loads them), timed to the last
answer. Target (issue 11): each fragment <= 200 ms p95, the whole page <= 1 s. Not yet: the
issue's synthetic rooms (1 session x 500 attendees, 100 sessions, 200 rooms) and a 35 M event
store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from starlette.testclient import TestClient

from _common import machine_facts, render_table, temp_dir
from vantage.access import ks
from vantage.config import Settings
from vantage.demo import generate
from vantage.ingest.store import Store
from vantage.server import create_app
from vantage.web.panels import PANELS

FRAGMENT_TARGET_MS, PAGE_TARGET_MS = 200, 1000


def _ms(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def _cases(store: Store, partner: int, preset: str) -> list[tuple[str, str, dict[str, str]]]:
    q = store.engine.query
    session, room, people = q(
        "SELECT session_id, any_value(entry_id), count(DISTINCT user_id) FROM room_events "
        "WHERE partner_id = ? AND session_id IS NOT NULL GROUP BY 1 ORDER BY 3 DESC LIMIT 1",
        (partner,),
    )[0]
    busiest, sessions = q(
        "SELECT entry_id, count(*) FROM room_sessions WHERE partner_id = ? "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
        (partner,),
    )[0]
    category, rooms = q(
        "SELECT c, count(*) FROM (SELECT unnest(category_ids) AS c FROM entries "
        "WHERE partner_id = ? AND kind = 'room') GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
        (partner,),
    )[0]
    return [
        (f"1 session x {people} people", f"/analytics/rooms/{room}", {"session": session}),
        (f"room of {sessions} sessions", f"/analytics/rooms/{busiest}", {"preset": preset}),
        (f"category of {rooms} rooms", f"/analytics/categories/{category}", {"preset": preset}),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--preset", default="120", choices=("7", "30", "120", "365"))
    args = parser.parse_args()
    with temp_dir("dashboard") as work:
        settings = Settings.load(engine=str(Path(work) / "demo.duckdb"))
        with Store.open(settings) as store:
            now = dt.datetime.now(dt.UTC)
            demo = generate(store, seed=1, events=args.events, player_events=0, now=now)
            token = ks.generate(demo.admin_secret, demo.partner_id, version=2, type=ks.ADMIN)
            client = TestClient(create_app(settings, store))
            client.get("/analytics", params={"ks": token}, follow_redirects=False)  # signs in
            rows = []
            for name, url, params in _cases(store, demo.partner_id, args.preset):
                params = {**params, "tz": "UTC"}
                panels = [p.name for p in PANELS.values() if "rooms/" in url or not p.rooms_only]
                for panel in panels:
                    times = _timed(client, f"{url}/panels/{panel}", params, args.runs)
                    rows.append(_row(name, panel, times, FRAGMENT_TARGET_MS))
                whole = _pages(client, url, params, panels, args.runs)
                rows.append(_row(name, "whole page", whole, PAGE_TARGET_MS))
    print(f"{machine_facts()}\ndemo school: {demo.events:,} room events, {demo.rooms} rooms\n")
    print(render_table(("case", "what", "p50 ms", "p95 ms", "target"), rows))
    return 0


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


def _row(case: str, what: str, times: list[float], target: int) -> tuple[str, ...]:
    p50, p95 = statistics.median(times) * 1000, _ms(times, 0.95)
    return (
        case,
        what,
        f"{p50:.0f}",
        f"{p95:.0f}",
        f"<= {target}" + ("" if p95 <= target else " MISSED"),
    )


if __name__ == "__main__":
    sys.exit(main())
