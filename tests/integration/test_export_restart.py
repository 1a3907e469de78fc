"""Export jobs survive ``kill -9``: a real server with the job runner (vantage.jobs) and a real
SMTP server; the server is killed while exports are queued or running, started again, and
every export's e-mail arrives exactly once, its link downloading the file.

Each write of a result file is slowed down (the runner's test delay), so the kill finds jobs
running and jobs pending.
"""

from __future__ import annotations

import re
import signal
import sqlite3
import time
from pathlib import Path

import httpx

from tests.integration.server import Server, create_partner
from tests.smtp_server import smtp_server
from vantage.jobs.runner import DATABASE, TEST_DELAY_ENV, store_folder
from vantage.kaltura.services.report_export_job import reference_of

EXPORTS = 6


def _export(http: httpx.Client, ks: str, n: int) -> dict[str, object]:
    now = int(time.time())
    form = {
        "ks": ks,
        "format": 1,
        "params[recipientEmail]": f"dean{n}@school.example",
        "params[reportItems][0][action]": 1,
        "params[reportItems][0][reportType]": 1,
        "params[reportItems][0][filter][fromDate]": now - 86_400,
        "params[reportItems][0][filter][toDate]": now,
    }
    answer = http.post("/api_v3/service/report/action/exportToCsv", data=form).json()
    assert isinstance(answer, dict)
    return answer


def _job_id(message_id: str, partner: int) -> str:
    found = re.fullmatch(rf"<export-{partner}-(\S+)@school\.example>", message_id)
    assert found is not None, message_id
    return found.group(1)


def test_kill_9_with_exports_pending_sends_each_mail_once(tmp_path: Path) -> None:
    store = tmp_path / "store.duckdb"
    partner, secret = create_partner(store, "Exports")
    with smtp_server() as inbox:
        env = {
            "VANTAGE_SMTP_HOST": "127.0.0.1",
            "VANTAGE_SMTP_PORT": str(inbox.port),
            "VANTAGE_SMTP_TLS": "none",
            "VANTAGE_SMTP_SENDER": "reports@school.example",
            "VANTAGE_JOBS_DIR": str(tmp_path / "jobs"),
            TEST_DELAY_ENV: "0.2",
        }
        server = Server(store, env=env).start()
        try:
            with httpx.Client(base_url=server.url, timeout=30) as http:
                ks = http.post(
                    "/api_v3/service/session/action/start",
                    data={"secret": secret, "partnerId": partner, "type": 2, "format": 1},
                ).json()
                answers = [_export(http, ks, n) for n in range(EXPORTS)]
            assert all("referenceJobId" in a for a in answers), answers
            time.sleep(0.5)  # the workers have started on the first ones
            server.stop(signal.SIGKILL)  # some pending, some running
            with sqlite3.connect(tmp_path / "jobs" / store_folder(str(store)) / DATABASE) as table:
                states = [r[0] for r in table.execute("SELECT state FROM jobs")]
            assert len(states) == EXPORTS and "pending" in states, states  # work was left
            server = Server(store, env=env, port=server.port).start()
            references = sorted(a["referenceJobId"] for a in answers)
            deadline = time.monotonic() + 120
            while len({m["Message-ID"] for m in inbox.messages}) < EXPORTS:
                assert time.monotonic() < deadline, "not every export was mailed"
                time.sleep(0.1)
            time.sleep(2)  # a second copy would come now
            assert len(inbox.messages) == EXPORTS, "an export was mailed twice"
            ids = [_job_id(m["Message-ID"], partner) for m in inbox.messages]
            assert sorted(reference_of(i) for i in ids) == references
            for message in inbox.messages:
                link = re.search(r"http://\S+/report\.csv", str(message.get_content()))
                assert link is not None
                got = httpx.get(link.group(0))
                assert got.status_code == 200 and got.content.startswith(b"\xef\xbb\xbf")
        finally:
            server.stop()
