"""Properties of the params-string parser of report.getCsvFromStringParams."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from vantage.reports.catalog import REPORTS, Filter
from vantage.reports.params import build_query, split_params

keys = st.text(
    st.characters(exclude_characters=";=", exclude_categories=["Cs", "Z", "Cc"]),
    min_size=1,
    max_size=12,
)
values = st.text(
    st.characters(exclude_characters=";", exclude_categories=["Cs", "Z", "Cc"]), max_size=20
)


@given(st.lists(st.tuples(keys, values), max_size=8))
def test_split_reads_back_what_was_joined(pairs: list[tuple[str, str]]) -> None:
    text = ";".join(f"{k}={v}" for k, v in pairs)
    assert split_params(text) == pairs


def test_split_follows_kaltura() -> None:
    assert split_params(" a = 1 ;b=2=3;;c; ") == [("a", "1"), ("b", "2=3"), ("c", None)]


@given(
    day=st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)),
    days=st.integers(0, 400),
    offset=st.integers(-840, 840),
)
def test_day_ranges_cover_whole_local_days(day: dt.date, days: int, offset: int) -> None:
    last = day + dt.timedelta(days=days)
    params = [
        ("from_date_id", day.strftime("%Y%m%d")),
        ("to_date_id", last.strftime("%Y%m%d")),
        ("timezone_offset", str(offset)),
    ]
    query = build_query(REPORTS[6000], params, frozenset({1}))  # type: ignore[arg-type]
    midnight = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    assert query.start_us == (int(midnight.timestamp()) + offset * 60) * 1_000_000
    assert query.end_us - query.start_us == (days + 1) * 86_400 * 1_000_000


@given(st.lists(st.text("abc_123", min_size=1, max_size=6), min_size=1, max_size=5))
def test_id_lists_are_comma_separated_and_deduplicated(ids: list[str]) -> None:
    params = [("from_date", "0"), ("to_date", "10"), ("entry_ids", " , ".join(ids))]
    query = build_query(REPORTS[6001], params, frozenset({1}))  # type: ignore[arg-type]
    assert query.filters[Filter.ENTRY_IDS] == tuple(dict.fromkeys(ids))
