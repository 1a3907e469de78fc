-- the progress of `vantage store copy`: batches of each table copied, per source store

-- One row per batch copied from a DuckDB store (vantage.store.copy): `source` is the source's
-- fingerprint, `batches` and `rows_copied` how far the copy of `table_name` has got with this
-- batch. Appended only; a resumed copy starts after the largest `batches` of its source.
CREATE TABLE IF NOT EXISTS copy_progress (
    source String,
    table_name String,
    batches UInt64,
    rows_copied UInt64,
    copied_at DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = MergeTree
ORDER BY (source, table_name, batches)
SETTINGS non_replicated_deduplication_window = 1000;
