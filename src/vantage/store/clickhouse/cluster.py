"""A ClickHouse cluster of replicated shards, as Vantage uses it (docs/scale-out.md).

Each table of the schema is a ``Replicated*MergeTree`` table ``<name>_local`` on every server,
under a ``Distributed`` table of the table's own name on every server: Vantage reads and writes
the public names, so its SQL is the single server's. The cluster's migrations
(``migrations/cluster_NNNN_*.sql``) are frozen text in which ``${cluster}`` and ``${database}``
stand for the cluster and the database the engine URL names; ``render`` puts them in.

Every table is sharded by its partner (``cityHash64(partner_id)``, a partner's own row by
``cityHash64(id)``), so all of a partner's rows, and every version of an entity, are on one
shard: ``FINAL`` on a shard sees all of a key's versions, and the materialized view of a shard's
``player_events_local`` adds its facts to the same shard's ``player_facts_local``.
"""

from __future__ import annotations

from dataclasses import dataclass

from clickhouse_connect.driver.binding import quote_identifier

SETTINGS: dict[str, str | int] = {
    # A join or IN whose other side reads a Distributed table runs that side once, on the server
    # that received the query, and sends its result to every shard (GLOBAL): right whichever
    # shard the other side's rows are on (ClickHouse's default refuses such a query).
    "distributed_product_mode": "global",
    # A query fails unless every shard answers: never a partial count.
    "skip_unavailable_shards": 0,
    # A query whose WHERE names its partners reads only the shards they are on.
    "optimize_skip_unused_shards": 1,
    # Inserts and reads both pick a shard's replica by this rule, the first live one in the
    # cluster's order (the server itself if it is one), so a read sees what the writer has
    # just inserted, though the other replica may not have fetched it yet.
    "load_balancing": "in_order",
}
"""Session settings of every query on a cluster, beside the single server's."""

INSERT_SETTINGS: dict[str, str | int] = {
    # An insert into a Distributed table is acknowledged once each shard it touches has stored
    # its rows (not when queued on the receiving server), and a failure reaches the writer,
    # which sends the insert again with the same deduplication token: each shard's replicated
    # table skips the blocks it has, by token (each shard's insert carries the query's
    # settings). Newer ClickHouse calls it distributed_foreground_insert; both know this name.
    "insert_distributed_sync": 1,
}
"""Settings of every insert on a cluster, beside the single server's."""


@dataclass(frozen=True)
class Cluster:
    """The cluster ``name`` of the servers' ``remote_servers``, holding Vantage's ``database``."""

    name: str
    database: str

    def render(self, statement: str) -> str:
        """A cluster migration's ``statement`` for this cluster and database."""
        return statement.replace("${cluster}", quote_identifier(self.name)).replace(
            "${database}", quote_identifier(self.database)
        )
