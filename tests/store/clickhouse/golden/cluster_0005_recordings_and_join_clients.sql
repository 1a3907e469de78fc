-- The columns DuckDB's 0013_recordings_and_join_clients.sql adds. Each shard's local table gets
-- them, then the Distributed table, which does not follow its local table's columns by itself.
ALTER TABLE `analytics`.entries_local ON CLUSTER `vantage`
    ADD COLUMN IF NOT EXISTS root_entry_id Nullable(String);

ALTER TABLE `analytics`.entries ON CLUSTER `vantage`
    ADD COLUMN IF NOT EXISTS root_entry_id Nullable(String);

ALTER TABLE `analytics`.room_events_local ON CLUSTER `vantage`
    ADD COLUMN IF NOT EXISTS device Nullable(String);

ALTER TABLE `analytics`.room_events ON CLUSTER `vantage`
    ADD COLUMN IF NOT EXISTS device Nullable(String);
