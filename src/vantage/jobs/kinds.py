"""What a kind of job is: how it writes its result file, and what it does once the file is whole.

The runner knows kinds only through this interface, so a kind (a report of the catalog, an
export that is e-mailed) plugs in with one entry of the registry the server builds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from vantage.access.directory import Directory
from vantage.config import Settings
from vantage.ingest.store import Store
from vantage.jobs.model import Job


class JobFailed(Exception):
    """A failure to show the caller (its message is the job's error)."""


class DeliveryRefused(JobFailed):
    """A delivery that trying again cannot mend (the mail server refused the recipient)."""


@dataclass(frozen=True)
class JobEnv:
    """What a kind may use."""

    settings: Settings
    store: Store
    directory: Directory


class Sink(Protocol):
    def write(self, data: bytes) -> None:
        """Append to the result file."""

    def add_rows(self, n: int) -> None:
        """Progress: ``n`` more rows are written."""

    def cancelled(self) -> bool:
        """Whether to stop (the job was cancelled or the server stops); checked between
        batches, after which the kind returns or raises and the file is thrown away."""


@dataclass(frozen=True)
class Kind:
    name: str
    """The job kind (``report``, ``export``)."""
    write: Callable[[JobEnv, Job, Sink], None]
    """Writes the result file; raises :class:`JobFailed`."""
    deliver: Callable[[JobEnv, Job], None] | None = None
    """A step after the file is complete (an e-mail), retried on its own with back-off without
    writing the file again; recorded as the job's delivery state, so a restart never runs it
    again once it succeeded."""
    format: str = "csv"
    """The result file's extension."""
