-- the entry a recording was made from, and the client a person joined a session with: the DuckDB schema at version 13

-- The columns DuckDB's 0013_recordings_and_join_clients.sql adds. Each shard's local table gets
-- them, then the Distributed table, which does not follow its local table's columns by itself.
ALTER TABLE ${database}.entries_local ON CLUSTER ${cluster}
    ADD COLUMN IF NOT EXISTS root_entry_id Nullable(String);

ALTER TABLE ${database}.entries ON CLUSTER ${cluster}
    ADD COLUMN IF NOT EXISTS root_entry_id Nullable(String);

ALTER TABLE ${database}.room_events_local ON CLUSTER ${cluster}
    ADD COLUMN IF NOT EXISTS device Nullable(String);

ALTER TABLE ${database}.room_events ON CLUSTER ${cluster}
    ADD COLUMN IF NOT EXISTS device Nullable(String);
