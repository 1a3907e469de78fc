"""The report kind: what its job stores, and that the stored request alone runs the query."""

from __future__ import annotations

import json

import pytest

from tests.jobs.conftest import RunnerFactory
from vantage.analytics.catalog import CatalogError
from vantage.jobs import report


def test_the_request_holds_all_the_query_depends_on() -> None:
    request = report.request_of(
        "pollsActivity", {"virtual_event_ids": ["7"]}, frozenset({101}), frozenset({"7"}), True
    )
    assert (
        json.loads(json.dumps(request))
        == request
        == {
            "reportName": "pollsActivity",
            "reportParameters": {"virtual_event_ids": ["7"]},
            "partnerIds": [101],
            "virtualEvents": ["7"],
            "descriptiveHeaders": True,
        }
    )


def test_a_bad_request_is_refused_before_any_job() -> None:
    with pytest.raises(CatalogError) as refused:
        report.request_of("pollsActivity", {}, frozenset({101}), frozenset(), False)
    assert refused.value.code == "FORBIDDEN"


@pytest.mark.parametrize("descriptive", [False, True])
def test_a_job_writes_the_reports_csv(make_runner: RunnerFactory, descriptive: bool) -> None:
    runner = make_runner(report.KIND)
    request = report.request_of(
        "pollsActivity", {}, frozenset({101}), frozenset({"7"}), descriptive
    )
    job = runner.submit(report.NAME, 101, "", request)
    runner.run_once()
    done = runner.get(job.id, 101)
    assert done is not None and done.state == "completed" and done.rows_written == 0
    header = runner.path_of(done).read_text(encoding="utf-8-sig").splitlines()[0]
    assert ("userId" in header) is not descriptive


def test_a_stored_request_the_catalog_no_longer_takes_fails_the_job(
    make_runner: RunnerFactory,
) -> None:
    runner = make_runner(report.KIND)
    stale = {
        "reportName": "retiredReport",
        "reportParameters": {},
        "partnerIds": [101],
        "virtualEvents": [],
        "descriptiveHeaders": False,
    }
    job = runner.submit(report.NAME, 101, "", stale)
    runner.run_once()
    failed = runner.get(job.id, 101)
    assert failed is not None and failed.state == "failed"
    assert failed.error is not None and "retiredReport" in failed.error
