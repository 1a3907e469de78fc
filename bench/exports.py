"""Export benchmark: room reports as CSV through the Kaltura API of a real server.

    .venv/bin/python bench/exports.py [--store DEMO.duckdb | --events 35000000] [--repeat 3]

Fetches each report with the URL form of Kaltura's guides
(``/api_v3/service/report/action/getCsvFromStringParams/id/<id>/ks/<KS>/params/…``) over the
demo's whole date range and reads the streamed answer, timing it and sampling the server's
resident memory. Target for 6001 with at least 100,000 rows: <= 2 s and <= 200 MB growth.
Without ``--store`` it first builds the scaled demo (about 35 million events give the 100,000
attendee rows).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb

from _common import MB, VANTAGE, RssSampler, machine_facts, render_table, serving, temp_dir
from vantage.access import ks

TIME_TARGET_S = 2.0
GROWTH_TARGET = 200 * MB
ROWS_TARGET = 100_000
REPORTS = (6001, 6000, 6002, 4021)


def build_demo(store: Path, events: int) -> None:
    print(f"building the demo with {events:,} events ...", file=sys.stderr, flush=True)
    subprocess.run(
        [VANTAGE, "--store", str(store), "demo", "--events", str(events)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def demo_partner(store: Path) -> tuple[int, str, int]:
    """(partner id, admin secret, KS version) of the store's demo partner."""
    with duckdb.connect(str(store), read_only=True) as con:
        row = con.execute(
            "SELECT p.id, p.admin_secrets[1], p.ks_version FROM partners p "
            "JOIN meta m ON m.key = 'demo_partner_id' AND p.id = m.value::BIGINT"
        ).fetchone()
    if row is None:
        raise SystemExit(f"{store} holds no demo partner; build it with `vantage demo`")
    return int(row[0]), str(row[1]), int(row[2])


def fetch(url: str, pid: int) -> tuple[int, float, int, int]:
    """(rows, seconds, bytes, RSS growth) of one streamed download."""
    before = RssSampler(pid)
    before.sample()  # the baseline, just before the request
    with RssSampler(pid, interval=0.02) as sampler:
        started = time.perf_counter()
        size = lines = 0
        with urllib.request.urlopen(url, timeout=600) as resp:
            if resp.headers.get("X-Kaltura", "").startswith("error"):
                raise RuntimeError(resp.headers.get("X-Kaltura-App"))
            while chunk := resp.read(1 << 16):
                size += len(chunk)
                lines += chunk.count(b"\n")
        elapsed = time.perf_counter() - started
    return lines - 1, elapsed, size, max(0, sampler.peak - before.peak)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="an existing demo store (else one is built)")
    parser.add_argument("--events", type=int, default=35_000_000, help="size of a built demo")
    parser.add_argument("--repeat", type=int, default=3, help="downloads per report")
    args = parser.parse_args()
    print(machine_facts())
    with temp_dir("vantage-exports-") as workdir:
        store = args.store
        if store is None:
            store = workdir / "demo.duckdb"
            build_demo(store, args.events)
        partner_id, secret, version = demo_partner(store)
        token = ks.generate(secret, partner_id, version=version, type=ks.ADMIN, expiry=3600)
        params = f"from_date={int(time.time()) - 200 * 86_400};to_date={int(time.time()) + 86_400}"
        rows: list[tuple[str, ...]] = []
        with serving(store, partner_id, secret, workdir / "server.log") as server:
            for report_id in REPORTS:
                url = (
                    f"{server.base}/api_v3/service/report/action/getCsvFromStringParams"
                    f"/id/{report_id}/ks/{token}/params/{params}"
                )
                # The first download of a fresh server also fills DuckDB's block cache (up to
                # its memory_limit); later ones show what an export itself costs.
                cold, *warm = [fetch(url, server.pid) for _ in range(args.repeat)]
                count, _, size, cold_growth = cold
                seconds = statistics.median(r[1] for r in (cold, *warm))
                growth = max((r[3] for r in warm), default=cold_growth)
                verdict = "info"
                if report_id == 6001:
                    ok = count >= ROWS_TARGET and seconds <= TIME_TARGET_S
                    verdict = "PASS" if ok and growth <= GROWTH_TARGET else "FAIL"
                rows.append(
                    (
                        f"{report_id} CSV",
                        f"{count:,}",
                        f"{seconds:.2f} s",
                        f"{size / MB:.1f} MB",
                        f"{cold_growth / MB:.0f} MB",
                        f"{growth / MB:.0f} MB",
                        verdict,
                    )
                )
    header = (
        "report",
        "rows",
        "time (median)",
        "size",
        "RSS growth, cold server",
        "RSS growth, warm",
        "verdict",
    )
    print(render_table(header, rows))
    print(
        f"targets for 6001: >= {ROWS_TARGET:,} rows in <= {TIME_TARGET_S:.0f} s "
        f"with <= {GROWTH_TARGET // MB} MB growth (warm: the cache of a fresh server is "
        "bounded by the memory_limit setting)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
