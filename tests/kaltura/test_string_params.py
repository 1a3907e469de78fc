"""Properties of the params-string parser of report.getCsvFromStringParams."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vantage.analytics.period import EARLIEST, LATEST, fix_offset
from vantage.analytics.room_reports import REPORTS, Filter
from vantage.kaltura.string_params import (
    MAX_IDS,
    ParamError,
    build_query,
    split_params,
)

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
    offset=st.integers(-2000, 2000),
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
    # the offset as Kaltura normalises it (vantage.analytics.period)
    assert query.start == int(midnight.timestamp()) + fix_offset(offset) * 60
    assert query.end - query.start == (days + 1) * 86_400


@given(st.lists(st.text("abc_123", min_size=1, max_size=6), min_size=1, max_size=5))
def test_id_lists_are_comma_separated_and_deduplicated(ids: list[str]) -> None:
    params = [("from_date", "0"), ("to_date", "10"), ("entry_ids", " , ".join(ids))]
    query = build_query(REPORTS[6001], params, frozenset({1}))  # type: ignore[arg-type]
    assert query.filters[Filter.ENTRY_IDS] == tuple(dict.fromkeys(ids))


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "9" * 400, "1e400", "soon"])
def test_times_must_be_finite_numbers(value: str) -> None:
    for name in ("from_date", "to_date"):
        pairs = {"from_date": "0", "to_date": "10", name: value}
        with pytest.raises(ParamError) as info:
            build_query(REPORTS[6000], list(pairs.items()), frozenset({1}))  # type: ignore[arg-type]
        assert info.value.name == name


@settings(max_examples=200)
@given(st.floats(-1e30, 1e30), st.floats(-1e30, 1e30))
def test_any_finite_time_is_read_and_cut_to_what_is_stored(first: float, last: float) -> None:
    pairs = [("from_date", repr(first)), ("to_date", repr(last))]
    query = build_query(REPORTS[6000], pairs, frozenset({1}))  # type: ignore[arg-type]
    # whole seconds, to_date's included, within what a store holds
    assert query.start == max(EARLIEST, min(LATEST, math.floor(first)))
    assert query.end == max(EARLIEST, min(LATEST, math.floor(last) + 1))


def test_id_lists_are_bounded() -> None:
    ids = ",".join(str(i) for i in range(MAX_IDS + 1))
    pairs = [("from_date", "0"), ("to_date", "10"), ("entryIds", ids)]
    with pytest.raises(ParamError) as info:
        build_query(REPORTS[6000], pairs, frozenset({1}))  # type: ignore[arg-type]
    assert info.value.name == "entryIds"
