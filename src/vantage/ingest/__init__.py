"""Everything Vantage writes to a store, as one interface (:class:`Ingest`) that each engine
implements: the embedded DuckDB store (vantage.ingest.duckdb, one writer thread with group
commit) and ClickHouse (vantage.ingest.clickhouse). The collectors, the admin API, the Kaltura
API's beacons, the CLI and the demo generator write only through it.

Every call hands its data over and returns a future that resolves once the write is durable
(DuckDB: committed; ClickHouse: inserted and acknowledged), or fails with what refused it
(``EntityError`` for entities, ``ValueError`` for rows a table cannot hold). Rows are Arrow
tables in the store's column layout: room events as vantage.events.arrow makes them, player
beacons as vantage.player.arrow makes them (without their derived columns: the ingest tier
derives play time, watched percentiles and the facts).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from typing import Protocol

import pyarrow as pa

from vantage.entities.model import Entity, Kind, Partner
from vantage.store.writer import AppendResult


class Ingest(Protocol):
    def room_events(self, rows: pa.Table, *, dedupe: bool = True) -> Future[AppendResult]:
        """Store room events; with ``dedupe``, an event whose (partner, ``eventId``, time) is
        stored already or comes earlier in the batch is dropped (counted as a duplicate). Session
        events keep the room's sessions current."""
        ...

    def beacons(self, rows: pa.Table, *, dedupe: bool = True) -> Future[AppendResult]:
        """Store player beacons with their derived columns and add them to the hourly facts;
        with ``dedupe``, a beacon already stored (same partner, session, entry, event index,
        event type and position, received within a day) is dropped. Without it the beacons are
        vouched new (the demo's): their plays start here."""
        ...

    def upsert(self, kind: Kind, items: Sequence[Entity]) -> Future[int]:
        """Insert or replace whole entities of one kind (entries also record their lifecycle);
        return how many were written."""
        ...

    def delete_entries(self, partner_id: int, ids: Sequence[str]) -> Future[tuple[int, int]]:
        """Mark entries deleted; return how many of ``ids`` are stored and how many were live."""
        ...

    def create_partner(
        self,
        name: str,
        *,
        partner_id: int | None = None,
        parent_partner_id: int | None = None,
        admin_secret: str | None = None,
        user_secret: str | None = None,
        next_free_if_taken: bool = False,
    ) -> Future[Partner]:
        """Store a new partner with fresh secrets (or the ones given); the id is the next free
        one unless given. A given id that is taken is an ``EntityError``, or with
        ``next_free_if_taken`` the next free id."""
        ...

    def set_meta(self, key: str, value: str) -> Future[None]:
        """Store a value of the store's own metadata."""
        ...

    def maintain(self) -> Future[bool]:
        """One bounded round of upkeep (DuckDB merges fragmented hourly facts); True when more
        is left for another round."""
        ...

    def close(self) -> None:
        """Finish every write handed over, then stop taking more."""
        ...


__all__ = ["AppendResult", "Ingest"]
