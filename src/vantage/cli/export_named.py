"""``vantage export NAME``: a report by name through the Reports Microservice — generate,
poll its status until completed, download — the seed guide's recipe as one command."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import click
import httpx

from vantage.exporter import download_report, generate_report, reports_root, wait_report

# The export command's filter options → the report parameters they are.
_PARAMETERS = {
    "entry_ids": "entries_ids",
    "user_ids": "user_ids",
    "virtual_event_ids": "virtual_event_ids",
    "cue_point_ids": "cue_point_ids",
    "parentEntryIds": "parentEntryIds",
}


@dataclass(frozen=True)
class Job:
    client: httpx.Client
    url: str
    ks: str
    name: str
    parameters: dict[str, object]


def parameters(
    start: int, end: int, filters: dict[str, str | None], extra: tuple[str, ...]
) -> dict[str, object]:
    """The report's parameters: the time range, the filters (comma-separated ids) and each
    ``--param key=value`` (a JSON value, else text)."""
    found: dict[str, object] = {"from_date": start, "to_date": end}
    found.update({_PARAMETERS[k]: v for k, v in filters.items() if v})
    for pair in extra:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"--param takes key=value, not {pair!r}")
        try:
            found[key] = json.loads(text)
        except ValueError:
            found[key] = text
    return found


def run(job: Job, out: BinaryIO, progress: Callable[[int, int], None] | None) -> int:
    """The report's rows, once its CSV is written to ``out``."""
    root = reports_root(job.url)
    session = generate_report(job.client, root, job.ks, job.name, job.parameters)

    def shown(status: dict[str, object]) -> None:
        if progress is not None:
            click.echo(
                f"\r{status.get('status')}: {status.get('rowsWritten')} rows", nl=False, err=True
            )

    wait_report(job.client, root, job.ks, session, on_status=shown)
    return download_report(job.client, root, job.ks, session, out, progress)
