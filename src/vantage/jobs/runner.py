"""The pool of worker threads that runs jobs, and the one door to them (submit, get, cancel).

A job is in the table before :meth:`Runner.submit` returns. Workers claim pending jobs oldest
first and write each result through a :class:`~vantage.jobs.result_file.ResultFile`; a job is
``completed`` only once its file is whole under its own name. At start, jobs a stopped process
left in progress are pending again and their files are deleted, so each is run again from
scratch, and a completed job is never run again. A kind's delivery (an e-mail) runs after the
file, attempts spaced out, and is recorded done the moment it succeeds.

Stopping asks the jobs in progress to stop between batches and puts them back to pending; a job
whose writer does not stop in time stays in progress in the table, which the next start
handles the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vantage.jobs import queue as job_queue
from vantage.jobs.kinds import DeliveryRefused, JobEnv, JobFailed, Kind
from vantage.jobs.model import CANCELLED, DELIVERY_PENDING, NO_DELIVERY, PENDING, Job
from vantage.jobs.result_file import PARTIAL, ResultFile, discard, partner_folder
from vantage.store.locator import ChDBLocator, DuckDBLocator, parse_locator

log = logging.getLogger(__name__)

DATABASE = "jobs.sqlite"
ID_BYTES = 18  # 144 bits
SWEEP_EVERY_S = 600.0
IDLE_WAIT_S = 1.0
DELIVERY_ATTEMPTS = 4
DELIVERY_BACKOFF_S = 30.0
"""The first retry of a delivery after this long, each next one after twice as long."""
DELIVERY_LEASE_S = 3600.0
STOP_WAIT_S = 20.0
TEST_DELAY_ENV = "VANTAGE_TEST_JOB_WRITE_DELAY"
"""Seconds each write of a result file sleeps: tests make a job slow with it."""


MAX_ACTIVE_PER_PARTNER = 100
"""Jobs one partner may have pending or in progress at once: one caller cannot fill the queue
for everyone."""


class UnknownKind(ValueError):
    pass


class TooManyJobs(Exception):
    pass


def store_folder(engine: str) -> str:
    """The folder of ``jobs_dir`` that holds one store's jobs: a job runs on the store it was
    asked of. Two servers on different stores started from one folder share the default
    ``jobs_dir``, and each ran the other's jobs on its own store (a header-only CSV,
    "completed")."""
    found = parse_locator(engine)
    if isinstance(found, DuckDBLocator):
        where = f"duckdb:{Path(found.path).resolve()}"
    elif isinstance(found, ChDBLocator):
        where = f"chdb:{Path(found.directory).resolve()}"
    else:  # a server: who is asked, never the password
        where = f"clickhouse:{found.host}:{found.port}/{found.database}?{found.cluster or ''}"
    return "store-" + hashlib.sha256(where.encode()).hexdigest()[:16]


class Runner:
    def __init__(
        self,
        env: JobEnv,
        kinds: Mapping[str, Kind],
        *,
        delivery_backoff_s: float = DELIVERY_BACKOFF_S,
        delivery_attempts: int = DELIVERY_ATTEMPTS,
    ) -> None:
        self.env = env
        self.kinds = dict(kinds)
        self.directory = Path(env.settings.jobs_dir) / store_folder(env.settings.engine)
        self._queue: job_queue.JobQueue | None = None
        self._keep_s = env.settings.job_keep_days * 86_400.0
        self._backoff_s = delivery_backoff_s
        self._attempts = delivery_attempts
        self._delay_s = float(os.environ.get(TEST_DELAY_ENV) or 0)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._cancelled: set[str] = set()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._next_sweep = 0.0

    @property
    def queue(self) -> job_queue.JobQueue:
        """The table, opened on first use (an app that is built but never serves touches no
        disk)."""
        with self._lock:
            if self._queue is None:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._queue = job_queue.JobQueue(self.directory / DATABASE)
            return self._queue

    # --- the door --------------------------------------------------------------------------

    def submit(self, kind: str, partner_id: int, user_id: str, request: dict[str, Any]) -> Job:
        """A new pending job, committed durably."""
        if kind not in self.kinds:
            raise UnknownKind(f"no job kind {kind!r}")
        if self.queue.active(partner_id) >= MAX_ACTIVE_PER_PARTNER:
            raise TooManyJobs(
                f"{MAX_ACTIVE_PER_PARTNER} jobs of this partner are waiting or running already"
            )
        job = Job(
            id=secrets.token_urlsafe(ID_BYTES),
            partner_id=partner_id,
            user_id=user_id,
            kind=kind,
            request=request,
            format=self.kinds[kind].format,
            state=PENDING,
            error=None,
            rows_written=0,
            created_at=time.time(),
            started_at=None,
            finished_at=None,
            file=None,
            expires_at=None,
            expired=False,
            delivery=NO_DELIVERY,
            delivery_attempts=0,
            delivery_error=None,
        )
        self.queue.insert(job)
        self._wake.set()
        return job

    def get(self, job_id: str, partner_id: int) -> Job | None:
        """The job, if it is this partner's (another's is as unknown as a made-up id)."""
        job = self.queue.get(job_id)
        return job if job is not None and job.partner_id == partner_id else None

    def cancel(self, job_id: str, partner_id: int) -> Job | None:
        """Fail the job with error "cancelled" unless it is done; its writer stops at its next
        batch and its file is thrown away."""
        job = self.get(job_id, partner_id)
        if job is None:
            return None
        with self._lock:
            self._cancelled.add(job_id)  # seen by its writer between batches
        self.queue.cancel(job_id, CANCELLED, time.time(), time.time() + self._keep_s)
        if job.state == PENDING:  # no writer to tell (one that claimed it since writes a file
            with self._lock:  # that its completion, refused, then deletes)
                self._cancelled.discard(job_id)
        return self.queue.get(job_id)

    def path_of(self, job: Job) -> Path:
        return partner_folder(self.directory, job.partner_id) / (job.file or _file_name(job))

    # --- the pool --------------------------------------------------------------------------

    def start(self, workers: int) -> None:
        for job in self.queue.recover():
            discard(partner_folder(self.directory, job.partner_id), _file_name(job))
        for job in self.queue.unfinished():  # a crash between a rename and its commit
            discard(partner_folder(self.directory, job.partner_id), _file_name(job))
        for stray in self.directory.glob(f"*/*{PARTIAL}"):
            stray.unlink(missing_ok=True)
        self._stopping.clear()
        self._threads = [
            threading.Thread(target=self._work, name=f"job-worker-{i}", daemon=True)
            for i in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, wait_s: float = STOP_WAIT_S) -> None:
        self._stopping.set()
        self._wake.set()
        deadline = time.monotonic() + wait_s
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        if self._queue is not None and not any(t.is_alive() for t in self._threads):
            self._queue.close()
            self._queue = None
        self._threads = []

    def _work(self) -> None:
        while not self._stopping.is_set():
            try:
                busy = self.run_once()
            except Exception:  # the table itself failed: say so, keep the thread
                log.exception("a job worker failed; it goes on")
                busy = False
            if not busy:
                self._wake.wait(IDLE_WAIT_S)
                self._wake.clear()

    def run_once(self) -> bool:
        """Sweep if due, then run one pending job or one due delivery; False: nothing to do."""
        now = time.time()
        with self._lock:
            sweep = now >= self._next_sweep
            if sweep:
                self._next_sweep = now + SWEEP_EVERY_S
        if sweep:
            self.sweep(now)
        job = self.queue.claim(now)
        if job is not None:
            self._run(job)
            return True
        job = self.queue.claim_delivery(now, now + DELIVERY_LEASE_S)
        if job is not None:
            self._deliver(job)
            return True
        return False

    def sweep(self, now: float | None = None) -> int:
        """Delete the results past their time; the jobs stay, saying they expired."""
        due = self.queue.due_to_expire(time.time() if now is None else now)
        for job in due:
            discard(partner_folder(self.directory, job.partner_id), _file_name(job))
            self.queue.mark_expired(job.id)
        return len(due)

    # --- one job ---------------------------------------------------------------------------

    def _run(self, job: Job) -> None:
        kind = self.kinds.get(job.kind)
        if kind is None:  # stored by a build that had the kind
            self._finish_failed(job, f"this server cannot run {job.kind!r} jobs")
            return
        path = self.path_of(job)
        try:
            sink = ResultFile(
                path,
                stop=lambda: self._stopping.is_set() or job.id in self._cancelled,
                report=lambda rows: self.queue.progress(job.id, rows),
                delay_s=self._delay_s,
            )
            self._write(kind, job, path, sink)
        except OSError:  # the disk (full, read-only): the job fails, the worker goes on
            log.exception("job %s: its result file could not be written", job.id)
            with contextlib.suppress(OSError):
                discard(path.parent, path.name)
            self._finish_failed(job, "the server could not write the result file")
        finally:
            with self._lock:
                self._cancelled.discard(job.id)
        self._wake.set()  # a delivery may be due now

    def _write(self, kind: Kind, job: Job, path: Path, sink: ResultFile) -> None:
        try:
            kind.write(self.env, job, sink)
        except Exception as exc:
            sink.abandon()
            if self._stopping.is_set() and job.id not in self._cancelled:
                self.queue.release(job.id)  # the store may be closing: run it again later
            elif isinstance(exc, OSError):
                raise
            elif isinstance(exc, JobFailed):
                self._finish_failed(job, str(exc))
            else:
                log.exception("job %s (%s) failed", job.id, job.kind)
                self._finish_failed(job, "the job failed on the server; see its log")
            return
        if sink.cancelled():
            sink.abandon()
            if job.id not in self._cancelled:
                self.queue.release(job.id)
            return
        sink.finish()
        now = time.time()
        delivery = DELIVERY_PENDING if kind.deliver is not None else NO_DELIVERY
        if not self.queue.complete(job.id, path.name, sink.rows, now, now + self._keep_s, delivery):
            path.unlink(missing_ok=True)  # cancelled while its file was being renamed

    def _finish_failed(self, job: Job, error: str) -> None:
        now = time.time()
        self.queue.fail(job.id, error, now, now + self._keep_s)

    def _deliver(self, job: Job) -> None:
        kind = self.kinds.get(job.kind)
        if kind is None or kind.deliver is None:
            self.queue.delivery_failed(job.id, f"this server cannot deliver {job.kind!r}", None)
            return
        try:
            kind.deliver(self.env, job)
        except Exception as exc:
            if not isinstance(exc, JobFailed):
                log.exception("delivering job %s failed", job.id)
            again = job.delivery_attempts < self._attempts and not isinstance(exc, DeliveryRefused)
            retry_at = time.time() + self._backoff_s * 2 ** (job.delivery_attempts - 1)
            self.queue.delivery_failed(
                job.id, str(exc) or type(exc).__name__, retry_at if again else None
            )
            return
        self.queue.delivered(job.id)


def _file_name(job: Job) -> str:
    return f"{job.id}.{job.format}"
