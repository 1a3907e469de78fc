"""The job runner's interface (``vantage.jobs.kinds``), as agreed, until that package is merged.

Report exports (vantage.kaltura.services.report_export_job) are a kind of job; the runner that
queues, runs, retries and keeps jobs is built apart. These stand-ins let the export kind be
written and tested now: once ``vantage.jobs`` is in the tree, its modules import
``JobEnv``, ``JobFailed``, ``Kind`` and ``Sink`` from ``vantage.jobs.kinds`` instead and this
file goes. ``Job`` is what the kind reads of the runner's job (a structural type: the runner's
own dataclass fits it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from vantage.access.directory import Directory
from vantage.config import Settings
from vantage.ingest.store import Store


class JobFailed(Exception):
    """A failure to show the caller (its message is the job's error)."""


@dataclass(frozen=True)
class JobEnv:
    settings: Settings
    store: Store
    directory: Directory


class Job(Protocol):
    @property
    def id(self) -> Any: ...
    @property
    def partner_id(self) -> int: ...
    @property
    def user_id(self) -> str | None: ...
    @property
    def request(self) -> Mapping[str, Any]: ...
    @property
    def file(self) -> str | None: ...


class Sink(Protocol):
    def write(self, data: bytes) -> None: ...
    def add_rows(self, n: int) -> None: ...
    def cancelled(self) -> bool: ...


@dataclass(frozen=True)
class Kind:
    name: str
    write: Callable[[JobEnv, Any, Sink], None]
    """Writes the result file; raises JobFailed."""
    deliver: Callable[[JobEnv, Any], None] | None = None
    """The step after the file is complete (e-mail), retried alone."""
