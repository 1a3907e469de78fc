"""Every header a report prints has a title for people (vantage.analytics.titles)."""

from __future__ import annotations

from vantage.analytics import room_reports
from vantage.analytics.report_types import REPORTS, header_of
from vantage.analytics.titles import TITLES, title_of


def kava_headers() -> set[str]:
    """What the KAVA report types print: dimension columns (with objectIds, with friendly
    names), date columns, metric columns of tables, totals, graphs and base totals."""
    found = {"date_id", "month_id", "year_id"}
    for report in REPORTS.values():
        for dimension in (report.dimension, report.drilldown, report.friendly):
            if dimension is not None:
                found.update(dimension.headers)
        columns = (*report.table, *report.totals, *(report.graphs or ()), *report.base_total)
        found.update(header_of(c) for c in columns)
        if report.graph_name:
            found.add(report.graph_name)
    return found


def test_every_header_of_every_report_has_a_title() -> None:
    room = {h for r in room_reports.REPORTS.values() for h in r.headers}
    missing = sorted((kava_headers() | room) - set(TITLES))
    assert not missing, f"headers without a title in vantage/analytics/titles.py: {missing}"


def test_titles_are_for_people() -> None:
    assert title_of("count_plays") == "Plays"
    assert title_of("unique_known_users") == "Unique viewers"
    assert title_of("meeting_view_time") == "Minutes viewed"
    assert title_of("not_a_header") == "not_a_header"
    assert all(t.strip() == t and t for t in TITLES.values())
