"""What the export tests need of the job runner (vantage.jobs, merged apart): a job record,
a sink that writes the result file, and a runner that writes then delivers each job in a
thread; plus the Kaltura API on an in-process uvicorn server wired to that runner.

It follows the agreed interface (vantage.kaltura.jobs_stand_in), no more: the runner's
durability, retries and restarts are tested in its own package.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette

from tests.integration.server import free_port
from vantage.access.directory import Directory
from vantage.config import Settings
from vantage.ingest.store import Store
from vantage.kaltura.jobs_stand_in import JobEnv, JobFailed
from vantage.kaltura.routes import KalturaApi
from vantage.kaltura.services.report_export_job import EXPORT_KIND
from vantage.kaltura.services.report_exports import JobFile
from vantage.server import kaltura_registry

KEEP_SECONDS = 7 * 86_400


@dataclass
class Job:
    id: int
    partner_id: int
    user_id: str | None
    kind: str
    request: dict[str, Any]
    state: str = "queued"
    error: str | None = None
    rows_written: int = 0
    file: str | None = None
    expires_at: float = 0.0


@dataclass
class FileSink:
    path: Path
    job: Job
    cancel: bool = False

    def write(self, data: bytes) -> None:
        with self.path.open("ab") as out:
            out.write(data)

    def add_rows(self, n: int) -> None:
        self.job.rows_written += n

    def cancelled(self) -> bool:
        return self.cancel


@dataclass
class Runner:
    env: JobEnv
    folder: Path
    jobs: list[Job] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1001))

    def submit(
        self, kind: str, partner_id: int, user_id: str | None, request: dict[str, Any]
    ) -> Job:
        assert kind == EXPORT_KIND.name
        stored = json.loads(json.dumps(request))  # a job's request is JSON
        job = Job(next(self._ids), partner_id, user_id, kind, stored)
        self.jobs.append(job)
        threading.Thread(target=self.run, args=(job,), daemon=True).start()
        return job

    def run(self, job: Job) -> None:
        name = f"export_{job.id}.csv"
        folder = self.folder / str(job.partner_id)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            EXPORT_KIND.write(self.env, job, FileSink(folder / name, job))
            job.file, job.state, job.expires_at = name, "written", time.time() + KEEP_SECONDS
            assert EXPORT_KIND.deliver is not None
            EXPORT_KIND.deliver(self.env, job)
            job.state = "done"
        except JobFailed as exc:
            job.state, job.error = "failed", str(exc)

    def job_files(self, partner_id: int, name: str) -> JobFile | None:
        for job in self.jobs:
            if job.partner_id == partner_id and job.file == name and job.state == "done":
                return JobFile(self.folder / str(partner_id) / name, job.expires_at)
        return None

    def wait(self, job_id: int, timeout: float = 30) -> Job:
        deadline = time.monotonic() + timeout
        job = next(j for j in self.jobs if j.id == job_id)
        while job.state not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.02)
        return job


@dataclass(frozen=True)
class Api:
    url: str
    runner: Runner


@contextmanager
def api_server(settings: Settings, store: Store, folder: Path) -> Iterator[Api]:
    """The Kaltura API with report.exportToCsv on 127.0.0.1, jobs run by a :class:`Runner`."""
    directory = Directory(store.engine)
    runner = Runner(JobEnv(settings, store, directory), folder)
    registry = kaltura_registry(runner.submit, runner.job_files)
    app = Starlette(routes=KalturaApi(settings, store, directory, registry).routes())
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield Api(f"http://127.0.0.1:{port}", runner)
    finally:
        server.should_exit = True
        thread.join(10)
