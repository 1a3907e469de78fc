"""The table of jobs, in SQLite: every statement on it, each its own durable transaction.

Why SQLite and not the analytics store: a job queue is a few small rows updated in place many
times (claimed, progress, finished), which ClickHouse is not built for, and the same file serves
both engines. WAL with ``synchronous=FULL``: a job is on disk before its caller hears of it.
One connection, shared by the worker threads under a lock: every statement is short.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from vantage.jobs.model import (
    COMPLETED,
    DELIVERED,
    DELIVERY_FAILED,
    DELIVERY_PENDING,
    FAILED,
    IN_PROGRESS,
    PENDING,
    Job,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    partner_id INTEGER NOT NULL,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    request TEXT NOT NULL,
    format TEXT NOT NULL,
    state TEXT NOT NULL,
    error TEXT,
    rows_written INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    file TEXT,
    expires_at REAL,
    expired INTEGER NOT NULL DEFAULT 0,
    delivery TEXT NOT NULL,
    delivery_attempts INTEGER NOT NULL DEFAULT 0,
    delivery_error TEXT,
    delivery_at REAL
);
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state);
"""
_COLUMNS = (
    "id, partner_id, user_id, kind, request, format, state, error, rows_written, created_at, "
    "started_at, finished_at, file, expires_at, expired, delivery, delivery_attempts, "
    "delivery_error"
)


def _job(row: tuple[Any, ...]) -> Job:
    values = list(row)
    values[4] = json.loads(values[4])
    values[14] = bool(values[14])
    return Job(*values)


class JobQueue:
    def __init__(self, path: Path) -> None:
        # isolation_level=None: each statement commits at once (synchronous=FULL makes that
        # durable); claims are single UPDATE … RETURNING statements, so they are atomic.
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _all(self, sql: str, params: tuple[Any, ...] = ()) -> list[Job]:
        with self._lock:
            return [_job(r) for r in self._db.execute(sql, params).fetchall()]

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Job | None:
        found = self._all(sql, params)
        return found[0] if found else None

    def _run(self, sql: str, params: tuple[Any, ...]) -> bool:
        """Whether the statement changed a row."""
        with self._lock:
            return self._db.execute(sql, params).rowcount > 0

    def insert(self, job: Job) -> None:
        marks = ", ".join("?" * 18)
        with self._lock:
            self._db.execute(
                f"INSERT INTO jobs ({_COLUMNS}) VALUES ({marks})",
                (
                    job.id,
                    job.partner_id,
                    job.user_id,
                    job.kind,
                    json.dumps(job.request),
                    job.format,
                    job.state,
                    job.error,
                    job.rows_written,
                    job.created_at,
                    job.started_at,
                    job.finished_at,
                    job.file,
                    job.expires_at,
                    int(job.expired),
                    job.delivery,
                    job.delivery_attempts,
                    job.delivery_error,
                ),
            )

    def get(self, job_id: str) -> Job | None:
        return self._one(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,))

    def claim(self, now: float) -> Job | None:
        """The oldest pending job, now in progress (None: nothing waits)."""
        return self._one(
            "UPDATE jobs SET state = ?, started_at = ?, rows_written = 0 WHERE id = "
            "(SELECT id FROM jobs WHERE state = ? ORDER BY rowid LIMIT 1) "
            f"RETURNING {_COLUMNS}",
            (IN_PROGRESS, now, PENDING),
        )

    def progress(self, job_id: str, rows: int) -> None:
        self._run(
            "UPDATE jobs SET rows_written = ? WHERE id = ? AND state = ?",
            (rows, job_id, IN_PROGRESS),
        )

    def complete(
        self, job_id: str, file: str, rows: int, now: float, expires_at: float, delivery: str
    ) -> bool:
        """In progress → completed; False when it is no longer in progress (cancelled)."""
        return self._run(
            "UPDATE jobs SET state = ?, file = ?, rows_written = ?, finished_at = ?, "
            "expires_at = ?, delivery = ?, delivery_at = ? WHERE id = ? AND state = ?",
            (COMPLETED, file, rows, now, expires_at, delivery, now, job_id, IN_PROGRESS),
        )

    def fail(self, job_id: str, error: str, now: float, expires_at: float) -> bool:
        return self._run(
            "UPDATE jobs SET state = ?, error = ?, finished_at = ?, expires_at = ? "
            "WHERE id = ? AND state = ?",
            (FAILED, error, now, expires_at, job_id, IN_PROGRESS),
        )

    def release(self, job_id: str) -> None:
        """In progress → pending, to be run from scratch later (the server stops)."""
        self._run(
            "UPDATE jobs SET state = ?, started_at = NULL, rows_written = 0 "
            "WHERE id = ? AND state = ?",
            (PENDING, job_id, IN_PROGRESS),
        )

    def cancel(self, job_id: str, error: str, now: float, expires_at: float) -> bool:
        """Pending or in progress → failed with ``error``; False when it was done already."""
        return self._run(
            "UPDATE jobs SET state = ?, error = ?, finished_at = ?, expires_at = ? "
            "WHERE id = ? AND state IN (?, ?)",
            (FAILED, error, now, expires_at, job_id, PENDING, IN_PROGRESS),
        )

    def recover(self) -> list[Job]:
        """At start: the jobs a stopped process left in progress are pending again (their
        partial files are the caller's to delete), and deliveries it held are due now."""
        self._run("UPDATE jobs SET delivery_at = 0 WHERE delivery = ?", (DELIVERY_PENDING,))
        return self._all(
            "UPDATE jobs SET state = ?, started_at = NULL, rows_written = 0 WHERE state = ? "
            f"RETURNING {_COLUMNS}",
            (PENDING, IN_PROGRESS),
        )

    def active(self, partner_id: int) -> int:
        """How many of the partner's jobs are pending or in progress."""
        with self._lock:
            found = self._db.execute(
                "SELECT count(*) FROM jobs WHERE partner_id = ? AND state IN (?, ?)",
                (partner_id, PENDING, IN_PROGRESS),
            ).fetchone()
        return int(found[0])

    def unfinished(self) -> list[Job]:
        return self._all(f"SELECT {_COLUMNS} FROM jobs WHERE state = ?", (PENDING,))

    def claim_delivery(self, now: float, lease_until: float) -> Job | None:
        """A completed job whose delivery is due, leased to the caller until ``lease_until``
        (a process that dies holding it: :meth:`recover` makes it due again) and counted as
        an attempt."""
        return self._one(
            "UPDATE jobs SET delivery_attempts = delivery_attempts + 1, delivery_at = ? "
            "WHERE id = (SELECT id FROM jobs WHERE state = ? AND delivery = ? "
            "AND delivery_at <= ? ORDER BY rowid LIMIT 1) "
            f"RETURNING {_COLUMNS}",
            (lease_until, COMPLETED, DELIVERY_PENDING, now),
        )

    def delivered(self, job_id: str) -> None:
        self._run(
            "UPDATE jobs SET delivery = ?, delivery_error = NULL WHERE id = ?", (DELIVERED, job_id)
        )

    def delivery_failed(self, job_id: str, error: str, retry_at: float | None) -> None:
        """Another attempt at ``retry_at``, or none (None): the delivery failed for good."""
        state = DELIVERY_PENDING if retry_at is not None else DELIVERY_FAILED
        self._run(
            "UPDATE jobs SET delivery = ?, delivery_error = ?, delivery_at = ? WHERE id = ?",
            (state, error, retry_at, job_id),
        )

    def due_to_expire(self, now: float) -> list[Job]:
        return self._all(
            f"SELECT {_COLUMNS} FROM jobs WHERE expired = 0 AND expires_at <= ?", (now,)
        )

    def mark_expired(self, job_id: str) -> None:
        self._run("UPDATE jobs SET expired = 1 WHERE id = ?", (job_id,))
