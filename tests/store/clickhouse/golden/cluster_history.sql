CREATE TABLE IF NOT EXISTS `analytics`.schema_migrations_local ON CLUSTER `vantage` (
    version Int32,
    description String,
    checksum String,
    applied_at DateTime64(6, 'UTC') DEFAULT now64(6)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY version
SETTINGS replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `analytics`.schema_migrations ON CLUSTER `vantage`
AS `analytics`.schema_migrations_local
ENGINE = Distributed(`vantage`, `analytics`, schema_migrations_local, version);
