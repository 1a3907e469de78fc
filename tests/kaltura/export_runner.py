"""The whole server (vantage.server.create_app: the Kaltura API, the job runner and its workers)
on an in-process uvicorn on 127.0.0.1, for the export tests; and what calling the export kind's
steps directly needs: a job record and a sink that writes a file."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from tests.integration.server import free_port
from vantage.config import Settings
from vantage.ingest.store import Store
from vantage.jobs.model import COMPLETED, DELIVERY_PENDING, PENDING, Job
from vantage.jobs.runner import Runner
from vantage.server import create_app


@dataclass
class FileSink:
    path: Path
    cancel: bool = False
    rows: int = 0

    def write(self, data: bytes) -> None:
        with self.path.open("ab") as out:
            out.write(data)

    def add_rows(self, n: int) -> None:
        self.rows += n

    def cancelled(self) -> bool:
        return self.cancel


def job_of(partner_id: int, request: dict[str, Any], **fields: Any) -> Job:
    """A job record as the runner hands one to a kind."""
    values: dict[str, Any] = {
        "id": "Jb_7-test",
        "partner_id": partner_id,
        "user_id": "",
        "kind": "export",
        "request": request,
        "format": "csv",
        "state": PENDING,
        "error": None,
        "rows_written": 0,
        "created_at": time.time(),
        "started_at": None,
        "finished_at": None,
        "file": None,
        "expires_at": None,
        "expired": False,
        "delivery": DELIVERY_PENDING,
        "delivery_attempts": 0,
        "delivery_error": None,
    }
    return Job(**{**values, **fields})


@dataclass(frozen=True)
class Api:
    url: str
    runner: Runner

    def wait(self, job_id: str, partner_id: int, timeout: float = 30) -> Job:
        """The job once it is done and its delivery is no longer pending."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.runner.get(job_id, partner_id)
            assert job is not None
            if job.done and (job.state != COMPLETED or job.delivery != DELIVERY_PENDING):
                return job
            assert time.monotonic() < deadline, f"job {job_id} is still {job.state}"
            time.sleep(0.05)


@contextmanager
def api_server(settings: Settings, store: Store) -> Iterator[Api]:
    """The app on 127.0.0.1 with its lifespan (the job workers run)."""
    app = create_app(settings, store)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.02)
    try:
        yield Api(f"http://127.0.0.1:{port}", app.state.jobs)
    finally:
        server.should_exit = True
        thread.join(30)
