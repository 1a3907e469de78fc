"""Inserting into ClickHouse so that a retry cannot double count.

Each write gets one deduplication token, made once and sent with every attempt: when an insert
reached ClickHouse but its acknowledgement was lost (a connection dropped), the next attempt
is recognised by its token and adds nothing, to the table or to the rollups its materialized
views feed. The token is unique to the write rather than a hash of its rows: rows that no
duplicate rule names (room events without an ``eventId``) may be sent twice on purpose, and
DuckDB stores them twice.

On a cluster the insert goes through the table's ``Distributed`` table synchronously
(vantage.store.clickhouse.cluster): each shard's part reaches that shard's replicated table
with the same token, so an attempt after a partial failure adds only what is missing.
"""

from __future__ import annotations

import uuid

import pyarrow as pa
from clickhouse_connect.driver.exceptions import OperationalError

from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine

ClickHouse = ChDBEngine | ClickHouseEngine

ATTEMPTS = 3
"""Tries of one insert before its write fails: a lost connection is retried, a refusal is not."""

RETRIED = (OSError, OperationalError)
"""What a lost connection raises (a refusal of the rows raises something else)."""


def insert(engine: ClickHouse, table: str, rows: pa.Table) -> None:
    """Insert ``rows`` into ``table`` once, however many attempts it takes."""
    token = f"vantage-ingest:{table}:{uuid.uuid4().hex}"
    for attempt in range(1, ATTEMPTS + 1):
        try:
            engine.insert(table, rows, token)
            return
        except RETRIED:
            if attempt == ATTEMPTS:
                raise
