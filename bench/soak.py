"""Soak benchmark: room events, player beacons and the dashboard at once, for minutes.

    .venv/bin/python bench/soak.py [--seconds 300]

Starts ``vantage serve`` on 127.0.0.1 with its default settings on a fresh store (one partner,
one room) and, for ``--seconds``, sends all at once:

* 1,000 room events/s: ``POST /api/v1/events`` batches of 100 ``viewPeriod`` events, 10 a second;
* 500 player beacons/s: ``analytics.trackEvent``, one 10-second view beacon per request as
  players send them, from 50 keep-alive connections (players);
* the dashboard's multirequest every second (``report.getTotal``, ``getGraphs`` and
  ``getTable`` of report 1 over the last 30 days, admin KS), over what is being ingested.

Each stream keeps its own schedule: a request goes out when it is due, or as soon as the one
before it on its connection has been answered if that is later; so a server that cannot keep up
shows as an achieved rate below the target, not as a queue in the load generator. Latency is
from sending a request to its whole answer; every answer is checked (events stored, beacon
stored, no API exception). Then the server's memory at the start, the end and its peak.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import math
import sys
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

import psutil

from _common import MB, RssSampler, Server, machine_facts, render_table, running_server, temp_dir
from ingest import ENTRY_ID, PlayerBeacons, RoomBatches, _read_response
from reports import Client, dashboard

ROOM_BATCH = 100
MINUTE = 60.0


@dataclass
class Stream:
    """What one stream of requests sends, at what rate, and how its answers are judged."""

    name: str
    rate: float  # requests/s
    connections: int
    request: Callable[[int], tuple[bytes, ...]]
    ok: Callable[[bytes], bool]
    unit: str = "req/s"
    per_request: int = 1  # events a request carries, for the achieved rate
    answered: list[tuple[float, float]] = field(default_factory=list)  # (when, latency)
    errors: int = 0
    first_error: str = ""


async def drive(server: Server, stream: Stream, t0: float, t1: float) -> None:
    interval = stream.connections / stream.rate
    numbers = itertools.count()

    async def connection(i: int) -> None:
        reader, writer = await asyncio.open_connection(server.host, server.port)
        try:
            for k in itertools.count():
                due = t0 + (k + i / stream.connections) * interval
                if due >= t1 or time.perf_counter() >= t1:  # what fell behind is not made up
                    return
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                sent = time.perf_counter()
                try:
                    writer.writelines(stream.request(next(numbers)))
                    await writer.drain()
                    status, answer = await _read_response(reader)
                except (OSError, asyncio.IncompleteReadError) as exc:
                    stream.errors += 1
                    stream.first_error = stream.first_error or repr(exc)
                    writer.close()
                    try:
                        reader, writer = await asyncio.open_connection(server.host, server.port)
                    except OSError:
                        return  # the server is gone: the table shows it
                    continue
                done = time.perf_counter()
                if status == 200 and stream.ok(answer):
                    stream.answered.append((done - t0, done - sent))
                else:
                    stream.errors += 1
                    stream.first_error = stream.first_error or f"{status} {answer[:200]!r}"
        finally:
            writer.close()

    await asyncio.gather(*(connection(i) for i in range(stream.connections)))


def dashboard_stream(server: Server) -> Stream:
    client = Client(server)
    try:
        ks = json.loads(
            client.post(
                "/api_v3/service/session/action/start?format=1",
                {"type": "2", "partnerId": str(server.partner_id), "secret": server.secret},
            )
        )
    finally:
        client.close()
    today = dt.datetime.now(dt.UTC).date()
    end = int(dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC).timestamp()) + 86_400
    body = urllib.parse.urlencode(dashboard(ks, end - 30 * 86_400, end, {})).encode()
    head = (
        f"POST /api_v3/service/multirequest?format=1 HTTP/1.1\r\n"
        f"Host: {server.host}:{server.port}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    return Stream(
        "dashboard multirequest (report 1)",
        1.0,
        1,
        lambda _: (head, body),
        lambda answer: b"KalturaAPIException" not in answer,
    )


def streams(server: Server) -> list[Stream]:
    rooms = RoomBatches(server, ROOM_BATCH)
    beacons = PlayerBeacons(server)
    return [
        Stream(
            f"room events, batches of {ROOM_BATCH}",
            1_000 / ROOM_BATCH,
            2,
            rooms.request,
            lambda answer: rooms.stored(answer)[0] == ROOM_BATCH,
            unit="events/s",
            per_request=ROOM_BATCH,
        ),
        Stream(
            "player beacons, one per request",
            500,
            50,
            beacons.request,
            lambda answer: beacons.stored(answer)[0] == 1,
            unit="beacons/s",
        ),
        dashboard_stream(server),
    ]


def percentile(latencies: list[float], p: float) -> str:
    """Nearest rank, in ms."""
    if not latencies:
        return "-"
    ordered = sorted(latencies)
    return f"{ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000:,.0f} ms"


def rows(stream: Stream, seconds: float) -> list[tuple[str, ...]]:
    target = stream.rate * stream.per_request
    # answers after the end (to requests sent before it) have latencies, not rate
    achieved = sum(at <= seconds for at, _ in stream.answered) * stream.per_request / seconds
    latencies = [lat for _, lat in stream.answered]
    found: list[tuple[str, ...]] = [
        (
            stream.name,
            f"{target:,.0f} {stream.unit}",
            f"{achieved:,.0f} {stream.unit}",
            f"{stream.errors:,}",
            percentile(latencies, 50),
            percentile(latencies, 95),
            percentile(latencies, 100),
        )
    ]
    if seconds >= 3 * MINUTE:  # does it hold up as the store grows?
        for label, lo, hi in (("first", 0, MINUTE), ("last", seconds - MINUTE, seconds)):
            window = [lat for at, lat in stream.answered if lo <= at < hi]
            found.append(
                (
                    f"  {label} minute",
                    "",
                    f"{len(window) * stream.per_request / MINUTE:,.0f} {stream.unit}",
                    "",
                    percentile(window, 50),
                    percentile(window, 95),
                    percentile(window, 100),
                )
            )
    return found


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--seconds", type=float, default=300.0, help="how long (default: 5 minutes)")
    args = p.parse_args()
    print(machine_facts(), flush=True)
    with temp_dir("vantage-soak-") as workdir, running_server(workdir) as server:
        server.post_json(
            "/api/v1/admin/entries",
            {"partnerId": server.partner_id, "id": ENTRY_ID, "name": "Soak", "kind": "room"},
        )
        proc = psutil.Process(server.pid)
        rss_start = proc.memory_info().rss
        load = streams(server)
        print(f"soaking for {args.seconds:,.0f} s ...", file=sys.stderr, flush=True)

        async def soak() -> None:
            t0 = time.perf_counter() + 0.5
            t1 = t0 + args.seconds
            await asyncio.gather(*(drive(server, s, t0, t1) for s in load))

        with RssSampler(server.pid) as rss:
            asyncio.run(soak())
        rss_end = proc.memory_info().rss
    header = ("stream", "target", "achieved", "errors", "p50", "p95", "max")
    print(render_table(header, [row for s in load for row in rows(s, args.seconds)]))
    print(
        f"{args.seconds:,.0f} s; server RSS {rss_start / MB:,.0f} MB at the start, "
        f"{rss_end / MB:,.0f} MB at the end, {rss.peak / MB:,.0f} MB at its peak"
    )
    for s in load:
        if s.first_error:
            print(f"first error of {s.name}: {s.first_error}")
    return 0  # a shortfall is a finding, not a broken benchmark


if __name__ == "__main__":
    sys.exit(main())
