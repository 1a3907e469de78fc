-- the entry a recording was made from, and the client a person joined a session with: the DuckDB schema at version 13

-- The columns DuckDB's 0013_recordings_and_join_clients.sql adds. entries' row_version is
-- MATERIALIZED and read by no insert, so root_entry_id may stand after it.
ALTER TABLE entries ADD COLUMN IF NOT EXISTS root_entry_id Nullable(String);

ALTER TABLE room_events ADD COLUMN IF NOT EXISTS device Nullable(String);
