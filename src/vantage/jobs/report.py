"""The ``report`` kind: a report of the analytics catalog as a CSV file.

Its request holds everything the query depends on — the report's name and parameters, the
partners and the virtual events the KS granted, whether the headers are people's names — so a
job run again after a restart runs the same query as the one its caller was promised.
"""

from __future__ import annotations

from typing import Any

from vantage.analytics import catalog
from vantage.jobs.csv_file import write_csv
from vantage.jobs.kinds import JobEnv, JobFailed, Kind, Sink
from vantage.jobs.model import Job

NAME = "report"


def request_of(
    name: str,
    parameters: object,
    partner_ids: frozenset[int],
    granted_virtual_events: frozenset[str],
    descriptive: bool,
) -> dict[str, Any]:
    """The job's request once the catalog accepts it; :class:`catalog.CatalogError` if not."""
    catalog.prepare(name, parameters, partner_ids, granted_virtual_events)
    return {
        "reportName": name,
        "reportParameters": parameters,
        "partnerIds": sorted(partner_ids),
        "virtualEvents": sorted(granted_virtual_events),
        "descriptiveHeaders": descriptive,
    }


def write(env: JobEnv, job: Job, sink: Sink) -> None:
    r = job.request
    try:
        prepared = catalog.prepare(
            r["reportName"],
            r["reportParameters"],
            frozenset(r["partnerIds"]),
            frozenset(r["virtualEvents"]),
        )
    except catalog.CatalogError as exc:  # accepted at submit: the catalog changed since
        raise JobFailed(str(exc)) from None
    found = catalog.rows(env.store.engine, prepared, bool(r["descriptiveHeaders"]))
    write_csv(found.headers, found.batches, sink)


KIND = Kind(NAME, write)
