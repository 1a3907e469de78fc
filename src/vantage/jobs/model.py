"""A job: who asked for what, and how far it got. Frozen; the queue makes a new one per change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PENDING, IN_PROGRESS, COMPLETED, FAILED = "pending", "in_progress", "completed", "failed"
STATES = (PENDING, IN_PROGRESS, COMPLETED, FAILED)
"""The four statuses Kaltura's Reports Microservice documents; a cancelled job is ``failed``."""
CANCELLED = "cancelled"
"""The error of a cancelled job."""

NO_DELIVERY, DELIVERY_PENDING, DELIVERED, DELIVERY_FAILED = "none", "pending", "done", "failed"
"""The state of a kind's step after the file (an e-mail): none when the kind has no such step."""


@dataclass(frozen=True)
class Job:
    id: str
    """Random and URL-safe, 144 bits: knowing one is the only way to reach another's job."""
    partner_id: int
    user_id: str
    kind: str
    request: dict[str, Any]
    """What the kind needs to run the job again from scratch after a restart (JSON)."""
    format: str
    """The result file's extension (``csv``)."""
    state: str
    error: str | None
    rows_written: int
    created_at: float
    started_at: float | None
    finished_at: float | None
    file: str | None
    """The result file's name in the partner's folder once it is whole."""
    expires_at: float | None
    expired: bool
    """The result was deleted after ``expires_at``."""
    delivery: str
    delivery_attempts: int
    delivery_error: str | None

    @property
    def done(self) -> bool:
        return self.state in (COMPLETED, FAILED)
