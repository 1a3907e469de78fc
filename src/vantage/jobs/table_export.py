"""What the dashboard's e-mail export asks report.exportToCsv's job for: one report type's
table, e-mailed. Named here, below the web layer that asks and the Kaltura layer that queues
the job, so that neither repeats the other's signature."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple


class TableExport(NamedTuple):
    partner_id: int
    report_type: int
    values: Mapping[str, Any]  # the report input filter, by Kaltura's names
    title: str  # the item's title, and the e-mail's subject
    emails: tuple[str, ...]
    descriptive: bool  # people's names as column headers
    time_zone_offset: int  # minutes, Kaltura's sign
    server_url: str  # where the e-mail's link points


QueueTable = Callable[[TableExport], str]
"""Queues a TableExport and answers the job's id; raises jobs.runner.TooManyJobs when the
partner's queue is full."""
