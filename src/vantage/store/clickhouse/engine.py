"""The ClickHouse engines: embedded chDB on a directory, or a server / cluster over HTTP.

Both run the same SQL text with the same session settings and answer in the same Python types
as ``vantage.store.duckdb_engine`` does for the equivalent DuckDB column: ``query`` gives ints,
floats, strings, bools, lists, ``None`` and *naive UTC* ``datetime``s (ClickHouse's are
zone-aware), a ``UInt128`` as an int (as DuckDB gives a HUGEINT); ``query_batches`` gives Arrow
with timestamps as naive ``timestamp[us]`` and ``UInt128`` as ``decimal128(38, 0)``, DuckDB's
Arrow types for TIMESTAMP and HUGEINT. A 16-byte integer is read as unsigned: the schema's one
128-bit type is ``UInt128`` (queries must not produce ``Int128``). A time must be a
``DateTime64``: a plain ``DateTime`` (``toStartOfHour``, ``now()``) reaches Arrow as a bare
``uint32`` of unix seconds that nothing can tell from a number (``dateTrunc`` keeps
``DateTime64``).

Parameters are bound by ClickHouse, never pasted into the text: the i-th positional value fills
the placeholder ``{p<i>:Type}`` (``WHERE partner_id = {p0:Int64} AND entry_id IN
{p1:Array(String)}``), whose type says how ClickHouse reads it. Both engines send the same
parameter text (clickhouse-connect's formatting); a value without its placeholder is refused.

``insert`` is the one write: Arrow columns by name, with a deduplication token, so a retried
insert adds nothing, neither to the table nor to the rollups its materialized views feed.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC
from pathlib import Path
from typing import Any

import clickhouse_connect
import pyarrow as pa
from chdb.session import Session
from clickhouse_connect.driver.binding import bind_query, format_query_value, quote_identifier
from clickhouse_connect.driver.client import Client

from vantage.sql.clickhouse import ClickHouse
from vantage.sql.render import Dialect
from vantage.store.clickhouse import cluster as _cluster
from vantage.store.clickhouse.cluster import Cluster
from vantage.store.locator import ClickHouseLocator, parse_locator

VERSIONED_TABLES = frozenset(
    {"meta", "partners", "users", "entries", "categories", "virtual_events", "room_sessions"}
)
"""The schema's ReplacingMergeTree tables: a plan reads them as of each row's latest version."""
DIALECT: Dialect = ClickHouse(versioned=VERSIONED_TABLES)

SESSION_SETTINGS: dict[str, str | int] = {
    # A LEFT JOIN's missing side is NULL, as SQL says (ClickHouse's default: 0 and '').
    "join_use_nulls": 1,
    # count(DISTINCT x) is exact; ClickHouse's default is the approximate uniq.
    "count_distinct_implementation": "uniqExact",
    # sum, max, avg, groupBitOr over no rows are NULL, as in DuckDB (ClickHouse's default: 0);
    # count and uniqExact stay 0.
    "aggregate_functions_null_for_empty": 1,
    # CAST keeps NULL a NULL, as DuckDB does (ClickHouse's default refuses to cast a NULL).
    "cast_keep_nullable": 1,
    # Times are read, truncated and printed in UTC whatever the host's zone.
    "session_timezone": "UTC",
    # A name means the source's column before a select's alias of the same name, as standard
    # SQL reads it (``argMax(title, time) AS title`` reads the column).
    "prefer_column_name_to_alias": 1,
    # Plans write their values into the SQL text: a report filtered by many thousands of ids
    # is a long query (ClickHouse's default cap is 256 KiB). A request body is at most
    # max_body_bytes (16 MiB) and a plan repeats a filter's values a few times at most.
    "max_query_size": 256 * 1024 * 1024,
    # String columns come out as Arrow strings, not bytes.
    "output_format_arrow_string_as_string": 1,
}


def _insert_settings(token: str) -> dict[str, str | int]:
    return {
        "insert_deduplicate": 1,
        # The same token on a retry: the blocks are recognised and skipped (the tables keep the
        # last non_replicated_deduplication_window block ids, set in the schema).
        "insert_deduplication_token": token,
        # ... and the rollups that materialized views feed skip them too.
        "deduplicate_blocks_in_dependent_materialized_views": 1,
    }


_PLACEHOLDER = re.compile(r"\{(p\d+):")


def _named(sql: str, params: Sequence[Any]) -> dict[str, Any]:
    """Positional ``params`` as ClickHouse's named ones: the i-th is ``p<i>``."""
    named = {f"p{i}": value for i, value in enumerate(params)}
    unbound = named.keys() - set(_PLACEHOLDER.findall(sql))
    if unbound:
        raise ValueError(
            f"parameters {sorted(unbound)} have no {{pN:Type}} placeholder in the SQL text"
        )
    return named


def _like_duckdb(column: pa.Array) -> pa.Array:
    """``column`` as DuckDB's Arrow would give the equivalent column."""
    kind = column.type
    if pa.types.is_timestamp(kind) and kind.tz is not None:
        return column.cast(pa.timestamp("us"))  # the same instants, as naive UTC
    if pa.types.is_fixed_size_binary(kind) and kind.byte_width == 16:
        # UInt128 comes as 16 little-endian bytes: decimal128 stores the same bytes, and every
        # value below 2**127 (coverage uses bits 0 to 100) reads the same.
        return pa.Array.from_buffers(
            pa.decimal128(38, 0), len(column), column.buffers(), column.null_count, column.offset
        )
    return column


def _batch_like_duckdb(batch: pa.RecordBatch) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays(
        [_like_duckdb(c) for c in batch.columns], names=batch.schema.names
    )


def _python_values(column: pa.ChunkedArray) -> list[Any]:
    if pa.types.is_fixed_size_binary(column.type) and column.type.byte_width == 16:
        return [None if v is None else int.from_bytes(v, "little") for v in column.to_pylist()]
    if pa.types.is_timestamp(column.type) and column.type.tz is not None:
        return column.cast(pa.timestamp("us")).to_pylist()
    return column.to_pylist()


def _rows(table: pa.Table) -> list[tuple[Any, ...]]:
    return list(zip(*(_python_values(c) for c in table.columns), strict=True))


def _slices(batches: Iterator[pa.RecordBatch], rows: int) -> Iterator[pa.RecordBatch]:
    """``batches`` as DuckDB-typed batches of at most ``rows`` rows."""
    for batch in batches:
        for start in range(0, batch.num_rows, rows):
            yield _batch_like_duckdb(batch.slice(start, rows))


_claim = threading.Lock()
_open_directory: Path | None = None


class ChDBInUseError(RuntimeError):
    """This process already has a chDB store open: chDB runs one embedded engine per process."""


class ChDBEngine:
    """Embedded ClickHouse (chDB) on ``directory``.

    Several threads may query at once: chDB runs queries of different connections (sessions) in
    parallel, safely (tests/store/clickhouse/test_chdb_engine.py runs them so). Each thread
    has its own session, as DuckDB readers have their own cursor, and a stream gets one of its
    own: a session reading a stream cannot run another query meanwhile.
    """

    dialect = DIALECT
    cluster: Cluster | None = None  # one process, one server

    def __init__(self, directory: str | Path) -> None:
        global _open_directory
        # chDB compares directories as text: one spelling for one directory.
        path = Path(directory).resolve()
        with _claim:
            if _open_directory is not None:
                raise ChDBInUseError(
                    f"a chDB store is already open in this process ({_open_directory}); "
                    f"chDB runs one embedded engine per process, so close it before opening {path}"
                )
            path.mkdir(parents=True, exist_ok=True)
            _open_directory = path
        self.directory = path
        self._local = threading.local()
        self._sessions: list[Session] = []
        self._sessions_lock = threading.Lock()
        try:
            self._session()  # start the engine now: a directory it cannot use fails here
        except BaseException:
            self.close()
            raise

    def _open_session(self) -> Session:
        session = Session(str(self.directory))
        settings = ", ".join(f"{k} = {format_query_value(v)}" for k, v in SESSION_SETTINGS.items())
        session.query(f"SET {settings}")
        return session

    def _session(self) -> Session:
        session: Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._open_session()
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return _rows(self._session().query(sql, "ArrowTable", params=_bound(sql, params)))

    def query_batches(
        self, sql: str, params: Sequence[Any] = (), batch_rows: int = 65_536
    ) -> Iterator[pa.RecordBatch]:
        session = self._open_session()
        try:
            stream = session.send_query(sql, "Arrow", params=_bound(sql, params))
            try:
                yield from _slices(stream.record_batch(batch_rows), batch_rows)
            finally:
                stream.close()
        finally:
            session.close()

    def insert(self, table: str, data: pa.Table, token: str) -> int:
        """Insert ``data`` (columns by name) into ``table``; a retry with the same ``token``
        adds nothing. Return the rows given."""
        if not data.num_rows:
            return 0
        columns = ", ".join(quote_identifier(name) for name in data.column_names)
        settings = ", ".join(
            f"{k} = {format_query_value(v)}" for k, v in _insert_settings(token).items()
        )
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, data.schema) as writer:
            writer.write_table(data)
        statement = f"INSERT INTO {quote_identifier(table)} ({columns}) SETTINGS {settings}"
        with self._session().send_insert(statement, "ArrowStream") as inserter:
            inserter.append(sink.getvalue().to_pybytes())
            inserter.finish()
        return data.num_rows

    def command(self, sql: str) -> None:
        """Run a statement that answers nothing (DDL)."""
        self._session().query(sql)

    def close(self) -> None:
        """Close every session; the engine stops with the last, and another may be opened."""
        global _open_directory
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()
        with _claim:
            if _open_directory == self.directory:
                _open_directory = None


def _bound(sql: str, params: Sequence[Any]) -> dict[str, str]:
    """chDB's parameters: the text clickhouse-connect sends a server for the same values."""
    if not params:
        return {}
    _, bound = bind_query(sql, _named(sql, params), server_tz=UTC)
    return {name.removeprefix("param_"): text for name, text in bound.items()}


class ClickHouseEngine:
    """A ClickHouse server over HTTP, through a clickhouse-connect client; on a ``cluster``,
    every query and insert carries the cluster's settings too (vantage.store.clickhouse.cluster).

    The client keeps no server session (each request carries the settings), so threads may
    share it: clickhouse-connect pools the HTTP connections.
    """

    dialect = DIALECT

    def __init__(self, client: Client, cluster: Cluster | None = None) -> None:
        self._client = client
        self.cluster = cluster
        on_cluster = cluster is not None
        self._settings = {**SESSION_SETTINGS, **(_cluster.SETTINGS if on_cluster else {})}
        self._cluster_inserts = _cluster.INSERT_SETTINGS if on_cluster else {}

    @classmethod
    def connect(cls, url: str) -> ClickHouseEngine:
        """The engine of a ``clickhouse://user:pass@host:port/db[?cluster=NAME]`` (or
        ``clickhouses://``) URL."""
        locator = parse_locator(url)
        if not isinstance(locator, ClickHouseLocator):
            raise ValueError("a ClickHouse server is named by clickhouse:// or clickhouses://")
        client = clickhouse_connect.get_client(
            host=locator.host,
            port=locator.port,
            username=locator.username,
            password=locator.password,
            database=locator.database,
            secure=locator.secure,
            autogenerate_session_id=False,
        )
        if locator.cluster is None:
            return cls(client)
        return cls(client, Cluster(locator.cluster, locator.database))

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        table = self._client.query_arrow(
            sql, parameters=_named(sql, params), settings=self._settings, use_strings=True
        )
        return _rows(table)

    def query_batches(
        self, sql: str, params: Sequence[Any] = (), batch_rows: int = 65_536
    ) -> Iterator[pa.RecordBatch]:
        with self._client.query_arrow_stream(
            sql, parameters=_named(sql, params), settings=self._settings, use_strings=True
        ) as stream:
            yield from _slices(iter(stream), batch_rows)

    def insert(self, table: str, data: pa.Table, token: str) -> int:
        """Insert ``data`` (columns by name) into ``table``; a retry with the same ``token``
        adds nothing. Return the rows given."""
        if not data.num_rows:
            return 0
        settings = {**self._settings, **_insert_settings(token), **self._cluster_inserts}
        self._client.insert_arrow(table, data, settings=settings)
        return data.num_rows

    def command(self, sql: str) -> None:
        """Run a statement that answers nothing: DDL, or a migration's ``INSERT … SELECT``, which
        on a cluster is acknowledged once the shards have its rows, as every insert is."""
        self._client.command(sql, settings={**self._settings, **self._cluster_inserts})

    def close(self) -> None:
        self._client.close()
