"""Report jobs benchmark: large Reports Microservice jobs through a real server.

    .venv/bin/python bench/jobs.py [--size 1000000] [--engines duckdb,chdb] [--rebuild]
    .venv/bin/python bench/jobs.py --quick          # a smoke run: 20,000 rows each

Builds (once, cached under ``var/bench/``) a conference store shaped like a large customer's:
2,000 rooms in 20 virtual events, 20,000 people, and ``size`` each of group chat messages (with
a like on one in five and a deletion on one in fifty), poll answers (100 per poll) and
attendee rows (sessions of 100 people, each joining once and sending one presence period).
``vantage store copy`` puts the same rows into embedded ClickHouse (chDB). Then, for each
engine in turn, ``vantage serve`` runs, with its default settings, one job at a time through
``POST /api/v1/report/generate``, polling ``/serve`` with ``statusOnly`` every 50 ms until it
completes, and downloads the file: ``groupChatTranscripts`` and ``pollsActivity`` over every
virtual event (a KS with ``virtualeventid:1/…/20``), and ``attendeesData`` (report 6001) for
the whole partner. It reports the time from the request to the completed file, the download,
the rows, and the server's resident memory: its peak during the job and the growth over the
idle server. Target: <= 10 s per job on 2 cores, memory flat (not growing with the rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import msgspec
import numpy as np
import pyarrow as pa

from _common import MB, VANTAGE, RssSampler, machine_facts, render_table, serving, temp_dir
from vantage.access import ks
from vantage.config import Settings
from vantage.entities import partners, repository
from vantage.entities.model import KINDS
from vantage.events.columns import ARROW_SCHEMA
from vantage.ingest.store import Store

TIME_TARGET_S = 10.0
ROOMS = 2_000
EVENTS = 20
PEOPLE = 20_000
ATTENDEES = 100  # per session, and answers per poll
NOW = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
DAYS = 30
CACHE = Path(__file__).resolve().parent.parent / "var" / "bench"
PARTNER = 101
JOBS = ("groupChatTranscripts", "pollsActivity", "attendeesData")


def _events(n: int, **columns: object) -> pa.Table:
    """``n`` room events: the given columns, every other one empty."""
    given = {name: pa.array(values) for name, values in columns.items()}
    received = pa.array(np.full(n, int(NOW.timestamp() * 1e6)), pa.timestamp("us"))
    arrays = [
        given[f.name].cast(f.type)
        if f.name in given
        else received
        if f.name == "received_at"
        else pa.nulls(n, f.type)
        for f in ARROW_SCHEMA
    ]
    return pa.Table.from_arrays(arrays, schema=ARROW_SCHEMA)


def _upsert(store: Store, kind: str, items: list[dict[str, object]]) -> None:
    k = KINDS[kind]
    objs = repository.decode_items(k, msgspec.json.encode(items))
    store.writer.submit(lambda tx: repository.upsert(tx, k, objs)).result()


def build(path: Path, size: int) -> None:
    """The conference store: entities, then the events in batches of a session's worth."""
    rng = np.random.default_rng(10)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    with Store.open(Settings.load(engine=str(partial))) as store:
        store.writer.submit(lambda tx: partners.create(tx, "Jobs", partner_id=PARTNER)).result()
        _upsert(
            store,
            "entries",
            [
                {
                    "partnerId": PARTNER,
                    "id": f"0_room{r}",
                    "name": f"Room {r}",
                    "kind": "room",
                    "virtualEventId": 1 + r % EVENTS,
                }
                for r in range(ROOMS)
            ],
        )
        _upsert(
            store,
            "users",
            [
                {
                    "partnerId": PARTNER,
                    "id": f"u{p}",
                    "firstName": f"First{p}",
                    "lastName": f"Last{p}",
                    "email": f"u{p}@org{p % 50}.example",
                }
                for p in range(PEOPLE)
            ],
        )
        sessions = max(1, size // ATTENDEES)
        start = int(NOW.timestamp()) - DAYS * 86_400
        s = np.arange(sessions)
        begins = start + rng.integers(0, DAYS * 86_400 - 7_200, sessions)
        rooms = np.char.add("0_room", (s % ROOMS).astype(str))
        ids = np.char.add("s", s.astype(str))
        per = np.repeat(s, ATTENDEES)
        seat = np.tile(np.arange(ATTENDEES), sessions)
        people = np.char.add("u", ((per * 131 + seat) % PEOPLE).astype(str))  # 100 different
        at = begins[per] + rng.integers(60, 3_600, len(per))
        micros = (at * 1_000_000).astype("datetime64[us]")
        common = {
            "partner_id": np.full(len(per), PARTNER),
            "entry_id": rooms[per],
            "session_id": ids[per],
            "user_id": people,
        }
        n = len(per)
        n_id = np.arange(n).astype(str)
        tables = [
            _events(n, event_type=np.full(n, "joinSession"), time=micros - 60_000_000, **common),
            _events(
                n,
                event_type=np.full(n, "viewPeriod"),
                time=micros,
                view_time=np.full(n, 10.0),
                tab_focused=rng.random(n) < 0.8,
                sound_on=np.full(n, True),
                mic_unmuted=np.full(n, False),
                camera_on=rng.random(n) < 0.3,
                full_screen=np.full(n, False),
                on_stage=np.full(n, False),
                **common,
            ),
            _events(
                n,
                event_type=np.full(n, "groupMessageSent"),
                time=micros + 1_000_000,
                message_id=np.char.add("m", n_id),
                text=np.char.add("a message to the room, number ", n_id),
                **common,
            ),
            _events(
                sessions,
                event_type=np.full(sessions, "pollLaunched"),
                time=((begins + 30) * 1_000_000).astype("datetime64[us]"),
                partner_id=np.full(sessions, PARTNER),
                entry_id=rooms,
                session_id=ids,
                user_id=np.full(sessions, "u0"),
                poll_id=np.char.add("p", s.astype(str)),
                question=np.full(sessions, "Which one, and why?"),
                poll_type=np.where(s % 2 == 0, "quiz", "poll"),
                correct_answer=np.array(["b" if i % 2 == 0 else None for i in s], dtype=object),
                visual_type=np.full(sessions, "bar"),
                scheduling_type=np.full(sessions, "manual"),
            ),
            _events(
                n,
                event_type=np.full(n, "pollAnswered"),
                time=micros + 2_000_000,
                poll_id=np.char.add("p", per.astype(str)),
                answer=rng.choice(np.array(["a", "b", "c"]), n),
                **common,
            ),
        ]
        liked = np.flatnonzero(rng.random(n) < 0.2)
        tables.append(
            _events(
                len(liked),
                event_type=np.full(len(liked), "messageLiked"),
                time=micros[liked] + 5_000_000,
                message_id=np.char.add("m", liked.astype(str)),
                **{k: v[liked] for k, v in common.items()},
            )
        )
        deleted = np.flatnonzero(rng.random(n) < 0.02)
        tables.append(
            _events(
                len(deleted),
                event_type=np.full(len(deleted), "groupMessageDeleted"),
                time=micros[deleted] + 9_000_000,
                message_id=np.char.add("m", deleted.astype(str)),
                **{k: v[deleted] for k, v in common.items()},
            )
        )
        for table in tables:
            for batch in table.to_batches(max_chunksize=200_000):
                store.writer.append_events(pa.Table.from_batches([batch]), dedupe=False).result()
    partial.replace(path)


def _post(base: str, token: str, path: str, body: object) -> tuple[int, bytes]:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=600) as resp:
        return resp.status, resp.read()


def run_job(base: str, token: str, name: str, pid: int) -> tuple[float, float, int, int]:
    """(seconds to the completed file, seconds to download, rows, peak RSS during the job)."""
    with RssSampler(pid, interval=0.05) as sampler:
        began = time.perf_counter()
        _, body = _post(base, token, "/api/v1/report/generate", {"reportName": name})
        session = json.loads(body)["sessionId"]
        while True:
            _, body = _post(
                base, token, "/api/v1/report/serve", {"sessionId": session, "statusOnly": True}
            )
            status = json.loads(body)
            if status["status"] == "completed":
                break
            if status["status"] == "failed":
                raise SystemExit(f"{name} failed: {status}")
            time.sleep(0.05)
        done = time.perf_counter()
        _, data = _post(base, token, "/api/v1/report/serve", {"sessionId": session})
        fetched = time.perf_counter()
    rows = data.count(b"\n") - 1  # a header line; no value here holds a line break
    return done - began, fetched - done, rows, sampler.peak


def ensure_chdb(path: Path, rebuild: bool) -> str:
    """The same store copied into chDB (once; a copy is only kept once it is complete)."""
    folder = path.with_name(path.stem + "-chdb")
    if rebuild or not (folder / "complete").exists():
        subprocess.run(["rm", "-rf", str(folder)], check=True)
        print(f"copying into chdb:{folder} ...", file=sys.stderr, flush=True)
        subprocess.run(
            [VANTAGE, "--store", str(path), "store", "copy", "--to", f"chdb:{folder}"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (folder / "complete").touch()
    return f"chdb:{folder}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="rows of each report")
    parser.add_argument("--quick", action="store_true", help="20,000 rows each")
    parser.add_argument("--engines", default="duckdb,chdb", help="comma-separated: duckdb,chdb")
    parser.add_argument("--rebuild", action="store_true", help="build the store again")
    args = parser.parse_args()
    size = 20_000 if args.quick else args.size
    path = CACHE / f"jobs-{size}.duckdb"
    if args.rebuild or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"building {path} ...", file=sys.stderr, flush=True)
        began = time.perf_counter()
        build(path, size)
        print(f"built in {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    stores = {"duckdb": str(path)}
    if "chdb" in engines:
        stores["chdb"] = ensure_chdb(path, args.rebuild)
    with Store.open(Settings.load(engine=str(path))) as store:
        query = "SELECT admin_secrets[1] FROM partners WHERE id = ?"
        secret = store.engine.query(query, (PARTNER,))[0][0]
    token = ks.generate(
        secret,
        PARTNER,
        version=2,
        type=ks.ADMIN,
        expiry=86_400,
        privileges="virtualeventid:" + "/".join(str(e) for e in range(1, EVENTS + 1)),
    )
    print(machine_facts())
    print(f"store: {path.name}, {size:,} rows of each report, default settings\n")
    results: list[tuple[str, ...]] = []
    for engine in engines:
        with (
            temp_dir("vantage-jobs-") as work,
            serving(stores[engine], PARTNER, secret, work / "server.log") as server,
        ):
            idle = RssSampler(server.pid)
            idle.sample()
            for name in JOBS:
                seconds, download, rows, peak = run_job(server.base, token, name, server.pid)
                results.append(
                    (
                        engine,
                        name,
                        f"{rows:,}",
                        f"{seconds:.2f} s",
                        f"{download:.2f} s",
                        f"{peak / MB:,.0f} MB",
                        f"{(peak - idle.peak) / MB:+,.0f} MB",
                        "yes" if seconds <= TIME_TARGET_S else "NO",
                    )
                )
    header = (
        "engine",
        "job",
        "rows",
        "to completed file",
        "download",
        "server peak RSS",
        "over idle",
        "<= 10 s",
    )
    print(render_table(header, results))


if __name__ == "__main__":
    main()
