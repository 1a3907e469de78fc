"""Report benchmark: the KAVA dashboard multirequest through the Kaltura API of a real server.

    .venv/bin/python bench/reports.py [--events 1000000,10000000] [--repeat 30] [--warmup 3]
    .venv/bin/python bench/reports.py --quick          # a smoke run: 100,000 events, 5 requests

For each size it serves a store made by ``vantage demo --events 1000 --player-events N``
(player beacons over the 30 days before 2026-11-24; built once and cached under
``var/bench/``, ``--rebuild`` builds it again) with ``vantage serve`` and times, one request at
a time after a few untimed ones:

* (a) the dashboard's ONE ``POST /api_v3/service/multirequest?format=1``: ``report.getTotal``,
  ``report.getGraphs`` and ``report.getTable`` (25 rows) of report 1 (TOP_CONTENT) over the
  last 30 days (fromDate/toDate at UTC midnight and 23:59:59, days, timeZoneOffset 0), for the
  whole partner, with an admin KS from ``session.start``;
* (b) the same for the most played entry (``entryIdIn``);
* (c) the same for the category with the most plays (``categoriesIdsIn``);
* (d) one ``report.getTable`` with pageSize 10,000 of the first report that has at least
  10,000 rows (13 USER_TOP_CONTENT, 30 MAP_OVERLAY_CITY, 6 TOP_SYNDICATION drilled down to the
  top domain's referrers), else of the one with the most rows; the rows it returns are shown.

then the server's peak resident memory (the kernel's high-water mark, VmHWM). Targets: p95 of
(a) <= 150 ms at 10 million player events; server RSS < 1 GB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import os
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import psutil

from _common import MB, VANTAGE, RssSampler, Server, machine_facts, render_table, serving, temp_dir

P95_TARGET_MS = 150.0
RSS_TARGET = 1024 * MB
TARGET_EVENTS = 10_000_000
BIG_TABLE_ROWS = 10_000
DASHBOARD_PAGE = 25
ROOM_EVENTS = 1_000  # the smallest school `vantage demo` makes: the player beacons are measured
NOW = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)  # fixed, so a cached store keeps its 30 days
DAYS = 30
CACHE = Path(__file__).resolve().parent.parent / "var" / "bench"


# --- stores ------------------------------------------------------------------------------------


def store_path(cache: Path, player_events: int, room_events: int) -> Path:
    rooms = "" if room_events == ROOM_EVENTS else f"-rooms{room_events}"
    return cache / f"reports-{player_events}{rooms}.duckdb"


def ensure_store(path: Path, player_events: int, room_events: int, rebuild: bool) -> None:
    """Build the demo store unless it is cached; a store is only cached once it is complete."""
    if path.exists() and not rebuild:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for stale in (partial, partial.with_name(partial.name + ".wal")):
        stale.unlink(missing_ok=True)
    print(
        f"building {path} ({player_events:,} player events; several minutes at 10 million) ...",
        file=sys.stderr,
        flush=True,
    )
    began = time.perf_counter()
    subprocess.run(
        [
            VANTAGE,
            "--store",
            str(partial),
            "demo",
            "--events",
            str(room_events),
            "--player-events",
            str(player_events),
            "--now",
            NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    duckdb.connect(str(partial)).close()  # folds a leftover write-ahead log into the file
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    partial.rename(path)
    print(f"built in {time.perf_counter() - began:,.0f} s", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Demo:
    """What the queries need from a demo store, read before the server opens it."""

    partner_id: int
    secret: str
    player_events: int
    fact_rows: int
    plays: int
    entries: int
    users: int
    top_entry: str
    top_entry_plays: int
    top_category: int
    top_category_plays: int
    top_domain: str


def read_demo(store: Path, start: int, end: int) -> Demo:
    span = (
        f"bucket >= make_timestamp({start * 1_000_000}) "
        f"AND bucket < make_timestamp({end * 1_000_000})"
    )
    with duckdb.connect(str(store), read_only=True) as con:
        found = con.execute(
            "SELECT p.id, p.admin_secrets[1] FROM partners p "
            "JOIN meta m ON m.key = 'demo_partner_id' AND p.id = m.value::BIGINT"
        ).fetchone()
        if found is None:
            raise SystemExit(f"{store} holds no demo partner; build it with `vantage demo`")
        pid = int(found[0])

        def one(sql: str) -> tuple[Any, ...]:
            row = con.execute(sql).fetchone()
            assert row is not None, sql
            return row

        vod = f"partner_id = {pid} AND playback_type = 'vod' AND {span}"
        (events,) = one(f"SELECT count(*) FROM player_events WHERE partner_id = {pid}")
        facts, plays, entries, users = one(
            "SELECT count(*), sum(n_play), count(DISTINCT entry_id), count(DISTINCT user_id) "
            f"FROM player_facts WHERE {vod}"
        )
        entry, entry_plays = one(
            f"SELECT entry_id, sum(n_play) AS p FROM player_facts WHERE {vod} "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
        )
        category, category_plays = one(
            "SELECT c, sum(p) FROM (SELECT unnest(e.category_ids) AS c, f.p FROM "
            f"(SELECT entry_id, sum(n_play) AS p FROM player_facts WHERE {vod} GROUP BY 1) f "
            f"JOIN entries e ON e.partner_id = {pid} AND e.id = f.entry_id) "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
        )
        (domain,) = one(
            f"SELECT domain FROM player_facts WHERE {vod} AND domain IS NOT NULL "
            "GROUP BY 1 ORDER BY sum(n_play) DESC, 1 LIMIT 1"
        )
    return Demo(
        pid,
        str(found[1]),
        int(events),
        int(facts),
        int(plays),
        int(entries),
        int(users),
        str(entry),
        int(entry_plays),
        int(category),
        int(category_plays),
        str(domain),
    )


# --- requests ----------------------------------------------------------------------------------


class Client:
    """One keep-alive connection to the server; POSTs form-encoded bodies, answers as bytes."""

    def __init__(self, server: Server) -> None:
        self._conn = http.client.HTTPConnection(server.host, server.port, timeout=600)

    def post(self, path: str, fields: dict[str, str]) -> bytes:
        body = urllib.parse.urlencode(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        self._conn.request("POST", path, body, headers)
        resp = self._conn.getresponse()
        data = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"{path}: HTTP {resp.status} {data[:300]!r}")
        return data

    def close(self) -> None:
        self._conn.close()


def admin_ks(client: Client, demo: Demo) -> str:
    answer = json.loads(
        client.post(
            "/api_v3/service/session/action/start?format=1",
            {"type": "2", "partnerId": str(demo.partner_id), "secret": demo.secret},
        )
    )
    if not isinstance(answer, str):
        raise RuntimeError(f"session.start: {answer}")
    return answer


def input_filter(prefix: str, start: int, end: int, extra: dict[str, str]) -> dict[str, str]:
    values = {
        "objectType": "KalturaReportInputFilter",
        "fromDate": str(start),
        "toDate": str(end - 1),  # 23:59:59 of the last day, as the dashboards send
        "interval": "days",
        "timeZoneOffset": "0",
        **extra,
    }
    return {f"{prefix}reportInputFilter:{k}": v for k, v in values.items()}


def dashboard(ks: str, start: int, end: int, extra: dict[str, str]) -> dict[str, str]:
    """The multirequest of the analytics dashboard's top-content view."""
    fields = {"ks": ks}
    for n, action in enumerate(("getTotal", "getGraphs", "getTable"), start=1):
        p = f"{n}:"
        fields |= {f"{p}service": "report", f"{p}action": action, f"{p}reportType": "1"}
        fields |= input_filter(p, start, end, extra)
        if action == "getTable":
            fields |= {f"{p}pager:pageSize": str(DASHBOARD_PAGE), f"{p}pager:pageIndex": "1"}
    return fields


def table_request(
    ks: str, report: int, start: int, end: int, size: int, object_ids: str | None
) -> dict[str, str]:
    fields = {"ks": ks, "reportType": str(report)}
    fields |= input_filter("", start, end, {})
    fields |= {"pager:pageSize": str(size), "pager:pageIndex": "1"}
    if object_ids:
        fields["objectIds"] = object_ids
    return fields


def _errors(answer: Any) -> list[str]:
    items = answer if isinstance(answer, list) else [answer]
    return [
        f"{item.get('code')}: {item.get('message')}"
        for item in items
        if isinstance(item, dict) and item.get("objectType") == "KalturaAPIException"
    ]


def dashboard_summary(answer: Any) -> str:
    """What the multirequest answered: table rows of total, graph points, plays."""
    total, graphs, table = answer
    plays = dict(zip(total["header"].split(","), total["data"].split(","), strict=True)).get(
        "count_plays", "?"
    )
    days = len(graphs[0]["data"].split(";")) - 1 if graphs else 0
    rows = len(table.get("data", "").split(";")) - 1
    return (
        f"{int(plays):,} plays; {len(graphs)} graphs x {days} days; "
        f"{rows} of {table.get('totalCount', 0):,} rows"
    )


def table_rows(answer: Any) -> tuple[int, int]:
    """(rows returned, totalCount) of a getTable answer."""
    return len(answer.get("data", "").split(";")) - 1, int(answer.get("totalCount") or 0)


def big_table_summary(answer: Any) -> str:
    returned, count = table_rows(answer)
    return f"{returned:,} rows returned (totalCount {count:,})"


@dataclass
class Timing:
    label: str
    answer: str
    samples: list[float]
    server_cpu: float  # seconds of server CPU (user + system) per request
    targeted: bool = False  # the dashboard query the p95 target is about

    def percentile(self, p: float) -> float:
        """Nearest rank, in ms."""
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


def measure(
    client: Client,
    server: psutil.Process,
    label: str,
    path: str,
    fields: dict[str, str],
    summarise: Callable[[Any], str],
    warmup: int,
    repeat: int,
) -> Timing:
    print(f"  {label} ...", file=sys.stderr, flush=True)
    answer = json.loads(client.post(path, fields))  # checked once, then warm-up and timed runs
    if errors := _errors(answer):
        raise RuntimeError(f"{label}: {'; '.join(errors)}")
    for _ in range(warmup):
        client.post(path, fields)
    samples = []
    cpu_before = sum(server.cpu_times()[:2])
    for _ in range(repeat):
        began = time.perf_counter()
        body = client.post(path, fields)
        samples.append(time.perf_counter() - began)
        if b"KalturaAPIException" in body:
            raise RuntimeError(f"{label}: {body[:300]!r}")
    cpu = (sum(server.cpu_times()[:2]) - cpu_before) / repeat
    return Timing(label, summarise(answer), samples, cpu)


def pick_big_table(
    client: Client, ks: str, demo: Demo, start: int, end: int
) -> tuple[str, dict[str, str]]:
    """The first candidate with >= 10,000 rows, else the one with the most."""
    candidates = (
        ("report 13 USER_TOP_CONTENT", 13, None),
        ("report 30 MAP_OVERLAY_CITY", 30, None),
        (f"report 6 TOP_SYNDICATION, objectIds={demo.top_domain}", 6, demo.top_domain),
    )
    best: tuple[int, str, dict[str, str]] | None = None
    path = "/api_v3/service/report/action/getTable?format=1"
    for name, report, object_ids in candidates:
        fields = table_request(ks, report, start, end, BIG_TABLE_ROWS, object_ids)
        answer = json.loads(client.post(path, fields))
        if errors := _errors(answer):
            raise RuntimeError(f"{name}: {'; '.join(errors)}")
        count = table_rows(answer)[1]
        if best is None or count > best[0]:
            best = (count, name, fields)
        if count >= BIG_TABLE_ROWS:
            break
    assert best is not None
    return best[1], best[2]


# --- memory ------------------------------------------------------------------------------------


def high_water_rss(pid: int) -> int | None:
    """The kernel's peak RSS (VmHWM) of a process and its children, Linux only."""
    total = 0
    try:
        for proc in (psutil.Process(pid), *psutil.Process(pid).children(recursive=True)):
            status = Path(f"/proc/{proc.pid}/status").read_text()
            kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
            total += int(kb) * 1024
    except (OSError, StopIteration, psutil.Error):
        return None
    return total


# --- one store ---------------------------------------------------------------------------------


def ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 else f"{value:,.1f} ms"


def run_queries(
    server: Server, demo: Demo, args: argparse.Namespace, start: int, end: int
) -> list[Timing]:
    client = Client(server)
    proc = psutil.Process(server.pid)
    try:
        ks = admin_ks(client, demo)
        cases: list[tuple[str, dict[str, str]]] = [
            ("(a) dashboard, whole partner", {}),
            (f"(b) dashboard, entryIdIn={demo.top_entry}", {"entryIdIn": demo.top_entry}),
            (
                f"(c) dashboard, categoriesIdsIn={demo.top_category}",
                {"categoriesIdsIn": str(demo.top_category)},
            ),
        ]
        timings = [
            measure(
                client,
                proc,
                label,
                "/api_v3/service/multirequest?format=1",
                dashboard(ks, start, end, extra),
                dashboard_summary,
                args.warmup,
                args.repeat,
            )
            for label, extra in cases
        ]
        name, fields = pick_big_table(client, ks, demo, start, end)
        timings.append(
            measure(
                client,
                proc,
                f"(d) getTable pageSize {BIG_TABLE_ROWS:,}: {name}",
                "/api_v3/service/report/action/getTable?format=1",
                fields,
                big_table_summary,
                args.warmup,
                args.repeat,
            )
        )
    finally:
        client.close()
    timings[0].targeted = True
    return timings


def run_store(
    store: Path, n: int, args: argparse.Namespace, workdir: Path
) -> list[tuple[str, ...]]:
    end = int(NOW.timestamp())
    start = end - DAYS * 86_400
    demo = read_demo(store, start, end)
    print(
        f"{store}: {demo.player_events:,} player events, {demo.fact_rows:,} VOD fact rows, "
        f"{store.stat().st_size / MB:,.0f} MB; {demo.plays:,} VOD plays of {demo.entries} "
        f"entries by {demo.users} known users; entry {demo.top_entry} has "
        f"{demo.top_entry_plays / demo.plays:.0%} of the plays, category {demo.top_category} "
        f"{demo.top_category_plays / demo.plays:.0%}",
        flush=True,
    )
    load_before = os.getloadavg()[0]
    with serving(store, demo.partner_id, demo.secret, workdir / f"server-{n}.log") as server:
        with RssSampler(server.pid) as sampler:
            timings = run_queries(server, demo, args, start, end)
            sampler.sample()
        hwm = high_water_rss(server.pid)
    load_after = os.getloadavg()[0]
    label = f"{n:,}"
    out: list[tuple[str, ...]] = []
    for t in timings:
        p50, p95 = t.percentile(50), t.percentile(95)
        target, verdict = "", "info"
        if t.targeted:
            target = f"p95 <= {P95_TARGET_MS:.0f} ms at {TARGET_EVENTS:,}"
            verdict = _verdict(p95 <= P95_TARGET_MS, n)
        worst = max(t.samples) * 1000
        cpu = t.server_cpu * 1000
        out.append(
            (label, t.label, t.answer, ms(p50), ms(p95), ms(worst), ms(cpu), target, verdict)
        )
    peak = hwm if hwm is not None else sampler.peak
    kind = "VmHWM" if hwm is not None else "sampled"
    out.append(
        (
            label,
            f"server peak RSS ({kind}) after the runs",
            f"{peak / MB:,.0f} MB (sampled every 0.1 s: {sampler.peak / MB:,.0f} MB)",
            *("",) * 4,
            f"< {RSS_TARGET // MB:,} MB",
            _verdict(peak < RSS_TARGET, n),
        )
    )
    # The host may be shared: latencies only compare between runs on an otherwise idle machine.
    out.append(
        (
            label,
            "machine load average (1 min), before / after",
            f"{load_before:.1f} / {load_after:.1f} on {os.cpu_count()} cores",
            *("",) * 6,
        )
    )
    return out


def _verdict(ok: bool, n: int) -> str:
    if not ok:
        return "FAIL"  # missing a target below its scale misses it at scale too
    return "PASS" if n >= TARGET_EVENTS else f"n/a (< {TARGET_EVENTS:,})"


# --- main --------------------------------------------------------------------------------------


def sizes(text: str) -> list[int]:
    try:
        found = [int(v.replace("_", "")) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not found or min(found) < 1:
        raise argparse.ArgumentTypeError("give at least one positive number of events")
    return found


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--events",
        "--player-events",
        dest="events",
        type=sizes,
        help="player events of each demo store, comma-separated (default: 1000000,10000000)",
    )
    p.add_argument("--repeat", type=int, help="timed requests per query (default: 30)")
    p.add_argument("--warmup", type=int, help="untimed requests per query first (default: 3)")
    p.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 100,000 player events, 1 warm-up and 5 timed requests per query",
    )
    p.add_argument(
        "--room-events", type=int, default=ROOM_EVENTS, help="room events of the demo school"
    )
    p.add_argument("--cache", type=Path, default=CACHE, help="where the demo stores are kept")
    p.add_argument("--rebuild", action="store_true", help="build the demo stores again")
    args = p.parse_args()
    quick = args.quick
    args.events = args.events or ([100_000] if quick else [1_000_000, TARGET_EVENTS])
    args.repeat = args.repeat or (5 if quick else 30)
    args.warmup = args.warmup if args.warmup is not None else (1 if quick else 3)
    return args


def main() -> int:
    args = parse_args()
    print(machine_facts(), flush=True)
    rows: list[tuple[str, ...]] = []
    with temp_dir("vantage-reports-") as workdir:
        for n in args.events:
            store = store_path(args.cache, n, args.room_events)
            ensure_store(store, n, args.room_events, args.rebuild)
            rows += run_store(store, n, args, workdir)
    header = (
        "player events",
        "query",
        "answer",
        "p50",
        "p95",
        "max",
        "server CPU/req",
        "target",
        "verdict",
    )
    print(render_table(header, rows))
    print(
        f"{args.repeat} timed requests per query, one at a time over a keep-alive connection, "
        f"after {args.warmup} untimed; last {DAYS} days before {NOW:%Y-%m-%d}, days, UTC"
    )
    return 0  # a FAIL is a finding, not a broken benchmark


if __name__ == "__main__":
    sys.exit(main())
