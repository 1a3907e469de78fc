"""Report jobs on a real server: the seed guide's shell recipe run verbatim with bash, curl and
jq, and jobs that survive ``kill -9`` — each completed exactly once with a whole file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SAMPLE_FIELDS
from tests.integration.server import Server, create_partner, post_events
from vantage.access import ks
from vantage.jobs.queue import JobQueue
from vantage.jobs.runner import DATABASE, store_folder

RECIPE = """\
SESSION_ID=$(curl -s -X POST "$KALTURA_REPORTS_URL/api/v1/report/generate" \\
-H "Authorization: Bearer $KALTURA_KS" \\
-H "Content-Type: application/json" \\
-d '{
"reportName": "registration",
"reportParameters": {"appGuid": "'$APP_GUID'"}
}' | jq -r '.sessionId')
while true; do
STATUS=$(curl -s -X POST "$KALTURA_REPORTS_URL/api/v1/report/serve" \\
-H "Authorization: Bearer $KALTURA_KS" \\
-H "Content-Type: application/json" \\
-d '{"sessionId": "'$SESSION_ID'", "statusOnly": true}' \\
| jq -r '.status')
echo "Status: $STATUS"
[ "$STATUS" = "completed" ] && break
sleep 2
done
curl -s -X POST "$KALTURA_REPORTS_URL/api/v1/report/serve" \\
-H "Authorization: Bearer $KALTURA_KS" \\
-H "Content-Type: application/json" \\
-d '{"sessionId": "'$SESSION_ID'"}' > report.csv
"""
POLLS = RECIPE.replace(
    '"reportName": "registration",\n"reportParameters": {"appGuid": "\'$APP_GUID\'"}',
    '"reportName": "pollsActivity", "reportParameters": {"entries_ids": ["\'$ENTRY_ID\'"], '
    '"virtual_event_ids": ["\'$EVENT_ID\'"], "from_date_id": "2025-09-15", '
    '"to_date_id": "2025-09-16"}',
)
REGISTRATION = {"reportName": "registration", "reportParameters": {"appGuid": "app-1"}}


@dataclass
class Site:
    server: Server
    partner_id: int
    secret: str
    jobs: Path

    def ks(self, privileges: str = "") -> str:
        return ks.generate(
            self.secret, self.partner_id, version=2, type=ks.ADMIN, privileges=privileges
        )

    def post(self, path: str, body: dict[str, Any], privileges: str = "") -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.ks(privileges)}"}
        return httpx.post(f"{self.server.url}/api/v1/report/{path}", json=body, headers=headers)


SEPT_15 = int(dt.datetime(2025, 9, 15, 10, 0, tzinfo=dt.UTC).timestamp())


def _conference(pid: int) -> list[dict[str, Any]]:
    """A poll in virtual event 7's room on 2025-09-15 (the recipe's days), and registrations."""
    room = {"partnerId": pid, "entryId": "1_room", "sessionId": "s1"}
    launched = {**SAMPLE_FIELDS["pollLaunched"], "question": "Best day?", "pollType": "open"}
    return [
        {**room, "type": "pollLaunched", "userId": "prof", "time": SEPT_15, **launched},
        *(
            {
                **room,
                "type": "pollAnswered",
                "userId": user,
                "time": SEPT_15 + 5 + i,
                "pollId": "poll1",
                "answer": answer,
            }
            for i, (user, answer) in enumerate([("alice", "=Monday"), ("bob", "Tuesday, late")])
        ),
        {
            **room,
            "sessionId": None,
            "type": "registered",
            "userId": "alice",
            "time": SEPT_15 - 86_400,
            "appGuid": "app-1",
        },
    ]


@pytest.fixture(params=["duckdb", "chdb"])
def site(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Site]:
    """A server with a poll and a registration, on each engine (the job table is SQLite on
    both)."""
    store = tmp_path / "store.duckdb" if request.param == "duckdb" else f"chdb:{tmp_path / 'chdb'}"
    pid, secret = create_partner(store, "Jobs U")
    jobs = tmp_path / "jobs" / store_folder(str(store))  # this store's part of jobs_dir
    env = {"VANTAGE_JOBS_DIR": str(jobs.parent), "VANTAGE_MAX_EVENT_AGE_DAYS": "4000"}
    server = Server(store, env=env).start()
    try:
        with server.client(pid, secret) as client:
            room = {"partnerId": pid, "id": "1_room", "name": "Hall", "kind": "room"}
            entry = client.post("/api/v1/admin/entries", json={**room, "virtualEventId": 7})
            entry.raise_for_status()
            events = [{k: v for k, v in e.items() if v is not None} for e in _conference(pid)]
            post_events(client, events).raise_for_status()
        yield Site(server, pid, secret, jobs)
    finally:
        server.stop(signal.SIGKILL)


@pytest.mark.skipif(
    not (shutil.which("jq") and shutil.which("curl") and shutil.which("bash")),
    reason="the seed guide's recipe needs bash, curl and jq (apt-get install jq curl)",
)
@pytest.mark.parametrize(
    ("recipe", "privileges", "expected"),
    [
        (RECIPE, "", [["alice", "app-1", "7", "1_room"]]),
        (POLLS, "virtualeventid:7", [["alice", "'=Monday"], ["bob", "Tuesday, late"]]),
    ],
)
def test_the_seed_guides_recipe_runs_verbatim(
    site: Site, tmp_path: Path, recipe: str, privileges: str, expected: list[list[str]]
) -> None:
    env = {
        **os.environ,
        "KALTURA_REPORTS_URL": site.server.url,
        "KALTURA_KS": site.ks(privileges),
        "APP_GUID": "app-1",
        "ENTRY_ID": "1_room",
        "EVENT_ID": "7",
    }
    out = subprocess.run(
        ["bash", "-c", recipe], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "Status: completed"
    data = (tmp_path / "report.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), data[:200]
    rows = list(csv.reader(io.StringIO(data[3:].decode())))
    assert len(rows) == len(expected) + 1, rows
    for row, cells in zip(rows[1:], expected, strict=True):
        assert set(cells) <= set(row), (cells, row)


def _states(site: Site, sessions: list[str]) -> dict[str, dict[str, Any]]:
    return {s: site.post("serve", {"sessionId": s, "statusOnly": True}).json() for s in sessions}


def _wait(site: Site, sessions: list[str], until: str, seconds: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        states = _states(site, sessions)
        if all(s["status"] == until for s in states.values()) or time.monotonic() > deadline:
            return states
        time.sleep(0.2)


def test_jobs_survive_kill_9_and_complete_exactly_once(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    pid, secret = create_partner(store, "Crash U")
    jobs = tmp_path / "jobs" / store_folder(str(store))  # this store's part of jobs_dir
    slow = {
        "VANTAGE_JOBS_DIR": str(jobs.parent),
        "VANTAGE_JOB_WORKERS": "1",
        "VANTAGE_TEST_JOB_WRITE_DELAY": "3",
    }
    server = Server(store, env=slow).start()
    site = Site(server, pid, secret, jobs)
    sessions = [site.post("generate", REGISTRATION).json()["sessionId"] for _ in range(4)]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        states = [s["status"] for s in _states(site, sessions).values()]
        if "in_progress" in states:
            break
        time.sleep(0.05)
    assert states.count("in_progress") == 1 and states.count("pending") == 3, states
    while not list(jobs.glob("*/*.partial")) and time.monotonic() < deadline:
        time.sleep(0.01)  # the worker opens its file right after it claims the job
    assert list(jobs.glob("*/*.partial"))  # killed mid-file
    server.stop(signal.SIGKILL)

    server = Server(store, env={"VANTAGE_JOBS_DIR": str(jobs.parent)}).start()
    site.server = server
    try:
        done = _wait(site, sessions, "completed")
        assert {s["status"] for s in done.values()} == {"completed"}, done
        assert not list(jobs.glob("*/*.partial"))
        files = sorted(jobs.glob(f"{pid}/*.csv"))
        assert [f.stem for f in files] == sorted(sessions)
        first = {s: _download(site, s) for s in sessions}
        for s, body in first.items():
            assert body == (jobs / str(pid) / f"{s}.csv").read_bytes()
            rows = list(csv.reader(io.StringIO(body[3:].decode())))
            assert len(rows) - 1 == done[s]["rowsWritten"]
        assert len(set(first.values())) == 1  # the same report, whole each time
    finally:
        server.stop(signal.SIGKILL)

    server = Server(store, env={"VANTAGE_JOBS_DIR": str(jobs.parent)}).start()
    site.server = server
    try:
        again = _states(site, sessions)
        assert {s: a["completedAt"] for s, a in again.items()} == {
            s: d["completedAt"] for s, d in done.items()
        }  # never run a second time
        table = JobQueue(jobs / DATABASE)
        assert [table.get(s).state for s in sessions] == ["completed"] * 4  # type: ignore[union-attr]
        table.close()
    finally:
        server.stop()


def _download(site: Site, session: str) -> bytes:
    answer = site.post("serve", {"sessionId": session})
    assert answer.status_code == 200, answer.text
    return answer.content


def _export(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    path = {k: v for k, v in os.environ.items() if k == "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-m", "vantage.cli", "export", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **path, **env},
        timeout=120,
    )


def test_vantage_export_runs_a_report_by_name(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "polls.csv"
    days = ("--from", "2025-09-15", "--to", "2025-09-16")
    token = site.ks("virtualeventid:7")
    done = _export(
        "pollsActivity",
        "--service-url",
        site.server.url,
        "--ks",
        token,
        "--virtual-event-ids",
        "7",
        *days,
        "-o",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(out.read_bytes()[3:].decode())))
    assert [r[2] for r in rows[1:]] == ["alice", "bob"] and "'=Monday" in rows[1]
    assert "2 rows of report pollsActivity" in done.stderr

    by_env = _export(
        "registration",
        "--ks",
        site.ks(),
        "--param",
        "appGuid=app-1",
        "--from",
        "2025-09-01",
        "--to",
        "2025-09-30",
        KALTURA_REPORTS_URL=site.server.url,
    )
    assert by_env.returncode == 0, by_env.stderr
    assert "alice" in by_env.stdout and "app-1" in by_env.stdout

    refused = _export("pollsActivity", "--service-url", site.server.url, "--ks", site.ks(), *days)
    assert refused.returncode != 0
    assert "PERMISSION_DENIED" in refused.stderr and "virtualeventid" in refused.stderr


def test_a_stopped_server_puts_its_running_job_back_and_runs_it_after(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    pid, secret = create_partner(store, "Stop U")
    jobs = tmp_path / "jobs" / store_folder(str(store))  # this store's part of jobs_dir
    slow = {"VANTAGE_JOBS_DIR": str(jobs.parent), "VANTAGE_TEST_JOB_WRITE_DELAY": "1"}
    server = Server(store, env=slow).start()
    site = Site(server, pid, secret, jobs)
    session = site.post("generate", REGISTRATION).json()["sessionId"]
    assert _wait(site, [session], "in_progress", 30)[session]["status"] == "in_progress"
    started = time.monotonic()
    server.stop()  # SIGTERM: the job stops between writes and goes back to pending
    assert time.monotonic() - started < 15
    assert not list(jobs.glob("*/*"))  # no half file, no whole one
    table = JobQueue(jobs / DATABASE)
    assert table.get(session).state == "pending"  # type: ignore[union-attr]
    table.close()

    site.server = Server(store, env={"VANTAGE_JOBS_DIR": str(jobs.parent)}).start()
    try:
        assert _wait(site, [session], "completed")[session]["status"] == "completed"
        assert _download(site, session).startswith(b"\xef\xbb\xbf")
    finally:
        site.server.stop()
