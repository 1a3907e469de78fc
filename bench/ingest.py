"""Ingest benchmark: the HTTP collector, direct store appends, and memory, against the targets.

    .venv/bin/python bench/ingest.py [--seconds 15] [--connections 8] [--demo-events N]

Measures, each on a fresh temporary store:

* events/s through ``POST /api/v1/events`` of a ``vantage serve`` process on 127.0.0.1, in
  batches of 100 and of 1,000 ``viewPeriod`` events. Only 200 answers count, and the server
  answers 200 only after the batch is durably committed;
* player beacons/s through ``analytics.trackEvent``, one view beacon per request as players
  send them (also answered only once stored, with derived columns and hourly facts);
* the server's peak resident memory (RSS) while it ingests at full rate;
* events/s appended in-process with ``store.writer.append_events`` (plain and deduplicating);
* the peak RSS of ``vantage demo --events N``.

The load generator is asyncio over raw keep-alive sockets with request bodies encoded before
timing starts, so the client costs little CPU next to the server it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import psutil
import pyarrow as pa
import pyarrow.compute as pc

from _common import (
    MB,
    VANTAGE,
    RssSampler,
    Server,
    machine_facts,
    render_table,
    running_server,
    stop,
    temp_dir,
)
from vantage.config import Settings
from vantage.events.columns import ARROW_SCHEMA
from vantage.ingest.store import Store

HTTP_TARGET = 50_000  # events/s, 1,000-event batches
APPEND_TARGET = 1_000_000  # events/s, direct append
SERVER_RSS_TARGET = 500 * MB
DEMO_RSS_TARGET = 1024 * MB
DEMO_TARGET_EVENTS = 10_000_000

ENTRY_ID = "bench-room"
USERS = 5_000
SESSIONS = 4
# Bodies are encoded once as templates; per request only these fixed-width markers are replaced
# (two bytes.replace, ~0.2 ms for 1,000 events), so every event id is unique and every time
# current.
ID_MARK = b"@@@@@@@@@@"
TIME_MARK = b"9999999999"  # the integer part of the unix time; keeps the template valid JSON
TIME_LAG_S = 120  # events are two minutes old: well inside the accepted window, never future


@dataclass
class Figure:
    """One line of the table (and of --json)."""

    measurement: str
    value: float | None
    unit: str
    result: str
    target: str = ""
    verdict: str = "info"
    details: dict[str, Any] = field(default_factory=dict)


# --- HTTP collector ----------------------------------------------------------------------------


def body_template(partner_id: int, batch: int, seed: int) -> bytes:
    """A JSON array of ``batch`` viewPeriod heartbeats from many users in a few sessions."""
    rng = np.random.default_rng(seed)
    flags = ("tabFocused", "soundOn", "micUnmuted", "cameraOn", "fullScreen", "onStage")
    odds = (0.9, 0.95, 0.1, 0.3, 0.2, 0.05)
    events = []
    for i in range(batch):
        state = ",".join(
            f'"{name}":{"true" if rng.random() < p else "false"}'
            for name, p in zip(flags, odds, strict=True)
        )
        events.append(
            f'{{"type":"viewPeriod","eventId":"{ID_MARK.decode()}-{i:05d}",'
            f'"partnerId":{partner_id},"entryId":"{ENTRY_ID}",'
            f'"sessionId":"bench-session-{rng.integers(SESSIONS)}",'
            f'"userId":"user-{rng.integers(USERS):05d}",'
            f'"time":{TIME_MARK.decode()}.{rng.integers(1000):03d},"viewTime":10.0,{state}}}'
        )
    body = ("[" + ",".join(events) + "]").encode()
    json.loads(body)  # the template must be valid JSON as it stands
    return body


class RoomBatches:
    """``POST /api/v1/events`` of ``batch`` heartbeats; the answer counts what was stored."""

    label = "HTTP collector, {batch:,}-event batches ({connections} connections)"

    def __init__(self, server: Server, batch: int) -> None:
        self.batch = batch
        self.template = body_template(server.partner_id, batch, seed=batch)
        self.head = (
            f"POST /api/v1/events HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
            f"Authorization: {server.auth_header}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(self.template)}\r\n\r\n"
        ).encode()

    def request(self, number: int) -> tuple[bytes, ...]:
        body = self.template.replace(ID_MARK, b"%010d" % number).replace(
            TIME_MARK, b"%d" % (int(time.time()) - TIME_LAG_S)
        )
        return self.head, body

    def stored(self, answer: bytes) -> tuple[int, int]:
        counts = json.loads(answer)
        return counts["stored"], counts["duplicates"]


class PlayerBeacons:
    """``analytics.trackEvent`` as the web player sends it: one 10-second view beacon per
    request, key fields in the query string and the rest as JSON; each of ``sessions`` players
    sends its views in order. The answer says only that the beacon was stored."""

    label = "HTTP player beacons, one per request ({connections} connections)"
    batch = 1

    def __init__(self, server: Server, sessions: int = 2_000) -> None:
        self.host = f"{server.host}:{server.port}"
        self.partner_id = server.partner_id
        self.sessions = sessions

    def request(self, number: int) -> tuple[bytes, ...]:
        session, view = number % self.sessions, number // self.sessions + 1
        body = json.dumps(
            {
                "eventIndex": view,
                "position": 10.0 * view,
                "playTimeSum": 10.0 * view,
                "playbackType": "vod",
                "soundMode": 2,
                "tabMode": 2,
                "averageBitrate": 1500,
            }
        ).encode()
        head = (
            f"POST /api_v3/index.php?service=analytics&action=trackEvent&eventType=99"
            f"&partnerId={self.partner_id}&entryId={ENTRY_ID}&sessionId=bench-{session:05d}"
            f" HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        return head, body

    def stored(self, answer: bytes) -> tuple[int, int]:
        return (1, 0) if b"viewEventsEnabled" in answer else (0, 0)


Requests = RoomBatches | PlayerBeacons


@dataclass
class HttpRun:
    label: str
    batch: int
    connections: int
    seconds: float
    ok: int = 0
    errors: int = 0
    stored: int = 0
    duplicates: int = 0
    latencies: list[float] = field(default_factory=list)
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    first_error: str = ""


async def _http_load(
    server: Server, requests: Requests, connections: int, warmup: float, seconds: float
) -> HttpRun:
    label = requests.label.format(batch=requests.batch, connections=connections)
    run = HttpRun(label, requests.batch, connections, seconds)
    numbers = itertools.count()
    start = time.perf_counter()
    t0, t1 = start + warmup, start + warmup + seconds

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(server.host, server.port)
        try:
            while (sent := time.perf_counter()) < t1:
                writer.writelines(requests.request(next(numbers)))
                await writer.drain()
                status, answer = await _read_response(reader)
                done = time.perf_counter()
                if not t0 <= done <= t1:  # warm-up, or finished after the window
                    continue
                if status != 200:
                    run.errors += 1
                    run.first_error = run.first_error or f"{status} {answer[:300]!r}"
                    continue
                stored, duplicates = requests.stored(answer)
                run.ok += 1
                run.stored += stored
                run.duplicates += duplicates
                run.latencies.append(done - sent)
        finally:
            writer.close()

    async def cpu_meter() -> None:
        # Server and client CPU seconds over the timed window: who is the bottleneck?
        srv, me = psutil.Process(server.pid), psutil.Process()
        await asyncio.sleep(max(0.0, t0 - time.perf_counter()))
        s0, c0 = sum(srv.cpu_times()[:2]), sum(me.cpu_times()[:2])
        await asyncio.sleep(max(0.0, t1 - time.perf_counter()))
        run.server_cpu_s = sum(srv.cpu_times()[:2]) - s0
        run.client_cpu_s = sum(me.cpu_times()[:2]) - c0

    await asyncio.gather(cpu_meter(), *(connection() for _ in range(connections)))
    return run


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)


def run_http(
    server: Server, requests: Requests, connections: int, warmup: float, seconds: float
) -> HttpRun:
    try:  # the server runs on uvloop; so does the client, to keep its share of the CPU small
        import uvloop

        factory: Callable[[], asyncio.AbstractEventLoop] | None = uvloop.new_event_loop
    except ImportError:
        factory = None
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(_http_load(server, requests, connections, warmup, seconds))


def _sub(measurement: str, value: float, unit: str, result: str) -> Figure:
    """A detail line under a figure: no target of its own."""
    return Figure(measurement, value, unit, result, verdict="")


def http_figures(run: HttpRun, target: int | None) -> list[Figure]:
    events = run.ok * run.batch
    rate = events / run.seconds
    lat = sorted(run.latencies) or [float("nan")]
    p50 = statistics.median(lat) * 1000
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
    verdict = "info" if target is None else ("PASS" if rate >= target else "FAIL")
    main = Figure(
        run.label,
        rate,
        "events/s",
        f"{rate:,.0f} events/s",
        f">= {target:,} events/s" if target else "",
        verdict,
        {
            "requests_per_s": run.ok / run.seconds,
            "p50_ms": p50,
            "p99_ms": p99,
            "ok_requests": run.ok,
            "error_requests": run.errors,
            "stored": run.stored,
            "duplicates": run.duplicates,
            "server_cpu_cores": run.server_cpu_s / run.seconds,
            "client_cpu_cores": run.client_cpu_s / run.seconds,
        },
    )
    d = main.details
    subs = [
        _sub("  requests/s", d["requests_per_s"], "req/s", f"{d['requests_per_s']:,.1f} req/s"),
        _sub("  latency p50 / p99", p50, "ms", f"{p50:,.1f} / {p99:,.1f} ms"),
        _sub(
            "  CPU used: server / load generator",
            d["server_cpu_cores"],
            "cores",
            f"{d['server_cpu_cores']:.2f} / {d['client_cpu_cores']:.2f} cores",
        ),
    ]
    if run.errors or run.duplicates or run.stored != events:
        main.verdict = "FAIL"
        subs.append(
            _sub(
                "  errors / duplicates",
                run.errors,
                "requests",
                f"{run.errors} failed, {run.duplicates} dup, {run.stored:,} stored "
                f"{run.first_error}",
            )
        )
    return [main, *subs]


# --- direct store append -----------------------------------------------------------------------


def table_maker(rows: int, partner_id: int = 1) -> Callable[[int], pa.Table]:
    """Tables of ``rows`` viewPeriod events in the store's schema; table ``k`` has its own
    event ids and the next 10 s of event time, as a live stream of heartbeats would."""
    rng = np.random.default_rng(7)
    n = rows
    users = pa.array([f"user-{u:05d}" for u in range(USERS)]).take(rng.integers(0, USERS, n))
    sessions = pa.array([f"bench-session-{s}" for s in range(SESSIONS)])
    fixed: dict[str, pa.Array] = {
        "event_type": pa.repeat(pa.scalar("viewPeriod"), n),
        "partner_id": pa.repeat(pa.scalar(partner_id, pa.int64()), n),
        "entry_id": pa.repeat(pa.scalar(ENTRY_ID), n),
        "session_id": sessions.take(rng.integers(0, SESSIONS, n)),
        "user_id": users,
        "view_time": pa.repeat(pa.scalar(10.0), n),
    }
    for name, p in (("tab_focused", 0.9), ("sound_on", 0.95), ("mic_unmuted", 0.1)):
        fixed[name] = pa.array(rng.random(n) < p)
    for name, p in (("camera_on", 0.3), ("full_screen", 0.2), ("on_stage", 0.05)):
        fixed[name] = pa.array(rng.random(n) < p)
    suffixes = pa.array([f"-{i:06d}" for i in range(n)])
    offsets = np.sort(rng.integers(0, 10_000_000, n))  # microseconds within the table's 10 s
    start_us = (int(time.time()) - 3_600) * 1_000_000

    def make(k: int) -> pa.Table:
        base = start_us + k * 10_000_000
        values = dict(fixed)
        values["event_id"] = pc.binary_join_element_wise(f"t{k:07d}", suffixes, "")
        values["time"] = pa.array(base + offsets).cast(pa.timestamp("us"))
        values["received_at"] = pa.repeat(pa.scalar(base + 10_000_000, pa.timestamp("us")), n)
        columns = [values.get(f.name, pa.nulls(n, f.type)) for f in ARROW_SCHEMA]
        return pa.Table.from_arrays(columns, schema=ARROW_SCHEMA)

    return make


def run_append(workdir: Path, rows: int, dedupe: bool, seconds: float) -> Figure:
    make = table_maker(rows)
    store = Store.open(Settings.load(engine=str(workdir / f"append-{dedupe}.duckdb")))
    try:
        store.writer.append_events(make(0), dedupe=dedupe).result()  # warm-up, not timed
        appended, busy, k = 0, 0.0, 1
        while busy < seconds:
            table = make(k)  # building the table is the caller's cost, not the store's
            began = time.perf_counter()
            result = store.writer.append_events(table, dedupe=dedupe).result()
            busy += time.perf_counter() - began
            appended += result.stored
            k += 1
    finally:
        store.close()
    rate = appended / busy
    label = "dedupe=True, unique event ids" if dedupe else "dedupe=False"
    target = None if dedupe else APPEND_TARGET
    return Figure(
        f"Direct append, {rows:,}-row tables, {label}",
        rate,
        "events/s",
        f"{rate:,.0f} events/s ({k - 1} commits)",
        f">= {target:,} events/s" if target else "",
        "info" if target is None else ("PASS" if rate >= target else "FAIL"),
        {"events": appended, "seconds": busy, "commits": k - 1},
    )


# --- memory ------------------------------------------------------------------------------------


def rss_figure(peak: int) -> Figure:
    return Figure(
        "Server peak RSS while ingesting (both runs)",
        peak / MB,
        "MB",
        f"{peak / MB:,.0f} MB",
        f"< {SERVER_RSS_TARGET // MB} MB",
        "PASS" if peak < SERVER_RSS_TARGET else "FAIL",
    )


def run_demo(workdir: Path, events: int) -> Figure:
    measurement = f"`vantage demo --events {events:,}` peak RSS"
    target = f"< 1 GB at {DEMO_TARGET_EVENTS:,} events"
    log_path = workdir / "demo.log"
    cmd = [VANTAGE, "--store", str(workdir / "demo.duckdb"), "demo", "--events", str(events)]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        began = time.perf_counter()
        with RssSampler(proc.pid) as rss:
            code = proc.wait()
        elapsed = time.perf_counter() - began
    finally:
        stop(proc)
    if code != 0:
        lines = [ln for ln in log_path.read_text(errors="replace").splitlines() if ln.strip()]
        why = lines[-1][:80] if lines else f"exit status {code}"
        return Figure(measurement, None, "MB", f"skipped: {why}", target, "SKIP")
    if rss.peak >= DEMO_RSS_TARGET:
        verdict = "FAIL"
    else:  # below 1 GB at fewer events does not show it stays below at 10M
        verdict = "PASS" if events >= DEMO_TARGET_EVENTS else f"n/a (< {DEMO_TARGET_EVENTS:,})"
    return Figure(
        measurement,
        rss.peak / MB,
        "MB",
        f"{rss.peak / MB:,.0f} MB ({elapsed:,.1f} s, {events / elapsed:,.0f} events/s)",
        target,
        verdict,
        {"seconds": elapsed},
    )


# --- main --------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--seconds", type=float, default=15.0, help="timed seconds per measurement")
    p.add_argument("--warmup", type=float, default=2.0, help="untimed seconds before each HTTP run")
    p.add_argument("--connections", type=int, default=8, help="concurrent keep-alive connections")
    p.add_argument(
        "--append-rows", type=int, default=500_000, help="rows per direct append (a bulk load)"
    )
    p.add_argument("--demo-events", type=int, default=1_000_000, help="events for `vantage demo`")
    p.add_argument("--skip-demo", action="store_true", help="do not run `vantage demo`")
    p.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return p.parse_args()


def main() -> int:
    args = parse_args()
    facts = machine_facts()
    print(facts, flush=True)
    figures: list[Figure] = []
    with temp_dir("vantage-bench-") as workdir:
        with running_server(workdir) as server:
            server.post_json(
                "/api/v1/admin/entries",
                {"partnerId": server.partner_id, "id": ENTRY_ID, "name": "Bench", "kind": "room"},
            )
            with RssSampler(server.pid) as rss:
                for batch, target in ((100, None), (1_000, HTTP_TARGET)):
                    print(f"HTTP, {batch:,}-event batches ...", file=sys.stderr, flush=True)
                    rooms = RoomBatches(server, batch)
                    run = run_http(server, rooms, args.connections, args.warmup, args.seconds)
                    figures += http_figures(run, target)
            print("HTTP, player beacons ...", file=sys.stderr, flush=True)
            beacons = PlayerBeacons(server)
            connections = args.connections * 4  # players each send one beacon at a time
            run = run_http(server, beacons, connections, args.warmup, args.seconds)
            figures += http_figures(run, None)
            figures.append(rss_figure(rss.peak))
        for dedupe in (False, True):
            print(f"direct append, dedupe={dedupe} ...", file=sys.stderr, flush=True)
            figures.append(run_append(workdir, args.append_rows, dedupe, args.seconds))
        if not args.skip_demo:
            print(f"vantage demo --events {args.demo_events:,} ...", file=sys.stderr, flush=True)
            figures.append(run_demo(workdir, args.demo_events))
    rows = [(f.measurement, f.result, f.target, f.verdict) for f in figures]
    print(render_table(("measurement", "result", "target", "verdict"), rows))
    if args.json:
        report = {"machine": facts, "figures": [asdict(f) for f in figures]}
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0  # a FAIL is a finding, not a broken benchmark


if __name__ == "__main__":
    sys.exit(main())
