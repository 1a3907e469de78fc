"""The ClickHouse migrations are frozen SQL files, one set for a single server and one for a
cluster: stores have run them as written."""

from __future__ import annotations

import hashlib
from importlib import resources

from vantage.store.clickhouse import migrations

# Never edit a migration that has shipped: stores have already run it (and refuse a changed
# text). Add the next version instead, to both sets, with its checksums here.
SHIPPED = {
    "0001_schema.sql": "914cdfb2396a8fa2dddd6050047887fa",
    "0002_copy_progress.sql": "10999f958991a5b9c8ad77c54fe5e531",
    "0003_room_presence.sql": "1d2bf1ad96c566858b2f3c0b0d9c46f4",
    "0004_chat_and_collaboration_fields.sql": "2334de68474064595835b111b32b5bf5",
    "0005_recordings_and_join_clients.sql": "1d3b6048ba426059c4c2e76cb635ce1f",
    "cluster_0001_schema.sql": "e58552d5f3a938b8b59aa4540aef7ef9",
    "cluster_0002_copy_progress.sql": "63c7b8a69e16e33c2b602cdc7789ad57",
    "cluster_0003_room_presence.sql": "8ec19d329a8695ae16bc9946c9cee6e5",
    "cluster_0004_chat_and_collaboration_fields.sql": "558090752e56bb4d2be8c7163d0348ff",
    "cluster_0005_recordings_and_join_clients.sql": "db8c3bb98bb7425828161a14ba1902dd",
}


def test_no_shipped_migration_has_changed() -> None:
    files = resources.files(migrations.__name__)
    got = {
        f.name: hashlib.sha256(f.read_text(encoding="utf-8").encode()).hexdigest()[:32]
        for f in files.iterdir()
        if f.name.endswith(".sql")
    }
    assert got == SHIPPED
