"""The engine setting's three forms, and a clear refusal of anything else."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vantage.store.locator import (
    ChDBLocator,
    ClickHouseLocator,
    DuckDBLocator,
    parse_locator,
)


def test_duckdb_forms_and_a_bare_path() -> None:
    assert parse_locator("duckdb:var/vantage.duckdb") == DuckDBLocator("var/vantage.duckdb")
    assert parse_locator("var/vantage.duckdb") == DuckDBLocator("var/vantage.duckdb")
    assert parse_locator("/srv/a:b.duckdb") == DuckDBLocator("/srv/a:b.duckdb")


def test_chdb_directory() -> None:
    assert parse_locator("chdb:var/chdb") == ChDBLocator("var/chdb")


def test_clickhouse_url_parts() -> None:
    got = parse_locator("clickhouse://vantage:s%40cret@ch1.example:8123/analytics")
    assert got == ClickHouseLocator(
        host="ch1.example",
        port=8123,
        database="analytics",
        username="vantage",
        password="s@cret",
        secure=False,
    )


def test_clickhouse_defaults_and_tls() -> None:
    assert parse_locator("clickhouse://ch1") == ClickHouseLocator(
        "ch1", 8123, "default", "default", "", secure=False
    )
    assert parse_locator("clickhouses://u:p@ch1/db") == ClickHouseLocator(
        "ch1", 8443, "db", "u", "p", secure=True
    )


def test_a_cluster_after_the_database() -> None:
    got = parse_locator("clickhouse://vantage:s@ch1:8123/analytics?cluster=vantage")
    assert got == ClickHouseLocator(
        "ch1", 8123, "analytics", "vantage", "s", secure=False, cluster="vantage"
    )
    assert parse_locator("clickhouses://ch1/db?cluster=eu_2-shards").cluster == "eu_2-shards"
    assert parse_locator("clickhouse://ch1/db").cluster is None


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("cluster=", "'' is no cluster name"),
        ("cluster=2shards", "'2shards' is no cluster name"),
        ("cluster=-a", "'-a' is no cluster name"),
        ("cluster=a.b", "'a.b' is no cluster name"),
        ("cluster=a%20b", "'a b' is no cluster name"),
        ("cluster=a`b", "is no cluster name"),
        ("cluster=a&cluster=b", "cluster is given twice"),
        ("cluster=a&shards=2", "unknown option 'shards'"),
        ("secure=1", "unknown option 'secure'"),
        ("vantage", "is not \\?cluster=NAME"),
    ],
)
def test_a_bad_cluster_is_refused_saying_why(query: str, why: str) -> None:
    with pytest.raises(ValueError, match=why) as refused:
        parse_locator(f"clickhouse://u:hunter2@ch1/db?{query}")
    assert "hunter2" not in str(refused.value)


def test_the_password_is_never_shown() -> None:
    locator = parse_locator("clickhouse://vantage:hunter2@ch1:8123/db")
    assert "hunter2" not in repr(locator) and "hunter2" not in str(locator)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "duckdb:",
        "chdb:  ",
        "postgres://u@h/db",
        "clickhouse:db",
        "clickhouse://:8123/db",
        "clickhouse://h:99999/db",
        "clickhouse://h:port/db",
        "clickhouse://h/a/b",
        "clickhouse://h/db?secure=1",
    ],
)
def test_anything_else_is_refused_naming_the_forms(value: str) -> None:
    with pytest.raises(ValueError, match="engine"):
        parse_locator(value)


def test_unknown_scheme_message_names_the_three_forms() -> None:
    with pytest.raises(ValueError) as refused:
        parse_locator("sqlite:x.db")
    assert all(form in str(refused.value) for form in ("duckdb:", "chdb:", "clickhouse://"))


@given(st.one_of(st.text(), st.text(alphabet="clickhouse:/@[]%?#.0123456789ab", max_size=40)))
def test_any_text_parses_or_raises_value_error(value: str) -> None:
    with contextlib.suppress(ValueError):
        parse_locator(value)
