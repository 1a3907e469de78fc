"""The ClickHouse store: embedded chDB or a ClickHouse server, the same schema and SQL for both.

Entity tables are ReplacingMergeTree: a row written again replaces the older one only when
parts merge, so every read of an entity table says ``FINAL``. ``player_facts`` is fed by a
materialized view and merged in the background: every read of it groups and re-aggregates
(``sum``, ``groupBitOr``). See ``migrations/0001_schema.sql``.
"""
