-- the progress of `vantage store copy`: batches of each table copied, per source store

-- One row per batch copied from a DuckDB store (vantage.store.copy): `source` is the source's
-- fingerprint, `batches` and `rows_copied` how far the copy of `table_name` has got with this
-- batch. Appended only; a resumed copy starts after the largest `batches` of its source.
-- On a cluster (see cluster_0001_schema.sql): replicated shards under a Distributed table, a
-- source's rows on one shard.
CREATE TABLE IF NOT EXISTS ${database}.copy_progress_local ON CLUSTER ${cluster} (
    source String,
    table_name String,
    batches UInt64,
    rows_copied UInt64,
    copied_at DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY (source, table_name, batches)
SETTINGS replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS ${database}.copy_progress ON CLUSTER ${cluster} AS ${database}.copy_progress_local
ENGINE = Distributed(${cluster}, ${database}, copy_progress_local, cityHash64(source));
