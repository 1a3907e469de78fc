"""Writing to the embedded DuckDB store: every write is a job of the store's single writer
thread (vantage.store.writer), which commits queued jobs together (group commit) and resolves
each future once its commit is durable."""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from concurrent.futures import Future

import pyarrow as pa

from vantage.entities import partners, repository
from vantage.entities.model import Entity, Kind, Partner
from vantage.player import writes
from vantage.store import room_events, room_presence
from vantage.store.engine import WriteSession
from vantage.store.store import write_meta
from vantage.store.writer import AppendResult, Writer


class DuckDBIngest:
    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        # the store's one writer of beacons: it remembers the plays of the last hour
        self._beacons = writes.BeaconWrites(remember=True).target

    def room_events(self, rows: pa.Table, *, dedupe: bool = True) -> Future[AppendResult]:
        return self.writer.append_events(rows, target=room_events.TARGET, dedupe=dedupe)

    def beacons(self, rows: pa.Table, *, dedupe: bool = True) -> Future[AppendResult]:
        return self.writer.append_events(rows, target=self._beacons, dedupe=dedupe)

    def upsert(self, kind: Kind, items: Sequence[Entity]) -> Future[int]:
        return self.writer.submit(lambda tx: repository.upsert(tx, kind, items))

    def delete_entries(self, partner_id: int, ids: Sequence[str]) -> Future[tuple[int, int]]:
        return self.writer.submit(lambda tx: repository.delete_entries(tx, partner_id, ids))

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
        def create(tx: WriteSession) -> Partner:
            wanted = partner_id
            if next_free_if_taken and wanted is not None and partners.exists(tx, wanted):
                wanted = None
            return partners.create(
                tx,
                name,
                partner_id=wanted,
                parent_partner_id=parent_partner_id,
                admin_secret=admin_secret,
                user_secret=user_secret,
            )

        return self.writer.submit(create)

    def set_meta(self, key: str, value: str) -> Future[None]:
        return self.writer.submit(functools.partial(write_meta, key=key, value=value))

    def maintain(self) -> Future[bool]:
        this_hour = int(time.time()) // 3600 * 3600 * 1_000_000

        def merge(tx: WriteSession) -> bool:  # the player's and the rooms' hourly facts
            merged = writes.compact_facts(tx, this_hour)
            return merged + room_presence.compact(tx, this_hour) > 0

        return self.writer.submit(merge)

    def close(self) -> None:
        self.writer.close()
