"""Properties of the params-string parser of report.getCsvFromStringParams."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vantage.reports.catalog import REPORTS, Filter
from vantage.reports.params import (
    MAX_IDS,
    ParamError,
    build_query,
    split_params,
)
from vantage.storable import EARLIEST_UNIX, LATEST_UNIX

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


@pytest.mark.parametrize(
    "value", ["inf", "-inf", "nan", "1e20", "-1e20", "99999999999999", "9" * 400, "1e400"]
)
def test_times_must_be_finite_and_within_years_1_to_9999(value: str) -> None:
    for name in ("from_date", "to_date"):
        pairs = {"from_date": "0", "to_date": "10", name: value}
        with pytest.raises(ParamError) as info:
            build_query(REPORTS[6000], list(pairs.items()), frozenset({1}))  # type: ignore[arg-type]
        assert info.value.name == name


@settings(max_examples=200)
@given(st.floats(EARLIEST_UNIX, LATEST_UNIX))
def test_any_time_within_the_bounds_is_read(seconds: float) -> None:
    pairs = [("from_date", repr(seconds)), ("to_date", str(LATEST_UNIX))]
    query = build_query(REPORTS[6000], pairs, frozenset({1}))  # type: ignore[arg-type]
    assert query.start_us == round(seconds * 1_000_000)


def test_id_lists_are_bounded() -> None:
    ids = ",".join(str(i) for i in range(MAX_IDS + 1))
    pairs = [("from_date", "0"), ("to_date", "10"), ("entryIds", ids)]
    with pytest.raises(ParamError) as info:
        build_query(REPORTS[6000], pairs, frozenset({1}))  # type: ignore[arg-type]
    assert info.value.name == "entryIds"
