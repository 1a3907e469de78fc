-- room-event fields the chat and collaboration reports read: the DuckDB schema at version 12

-- The columns DuckDB's 0012_chat_and_collaboration_fields.sql adds, in its order (after
-- received_at); labels is an Array, empty where DuckDB holds NULL. Each shard's local table gets
-- them, then the Distributed table, which does not follow its local table's columns by itself.
-- room_presence_mv names the columns it reads, so it reads on as before.
ALTER TABLE ${database}.room_events_local ON CLUSTER ${cluster}
    ADD COLUMN IF NOT EXISTS visual_type Nullable(String),
    ADD COLUMN IF NOT EXISTS visual_icon Nullable(String),
    ADD COLUMN IF NOT EXISTS group_poll_id Nullable(String),
    ADD COLUMN IF NOT EXISTS group_poll_name Nullable(String),
    ADD COLUMN IF NOT EXISTS scheduling_type Nullable(String),
    ADD COLUMN IF NOT EXISTS labels Array(String),
    ADD COLUMN IF NOT EXISTS app_guid Nullable(String),
    ADD COLUMN IF NOT EXISTS job_role Nullable(String);

ALTER TABLE ${database}.room_events ON CLUSTER ${cluster}
    ADD COLUMN IF NOT EXISTS visual_type Nullable(String),
    ADD COLUMN IF NOT EXISTS visual_icon Nullable(String),
    ADD COLUMN IF NOT EXISTS group_poll_id Nullable(String),
    ADD COLUMN IF NOT EXISTS group_poll_name Nullable(String),
    ADD COLUMN IF NOT EXISTS scheduling_type Nullable(String),
    ADD COLUMN IF NOT EXISTS labels Array(String),
    ADD COLUMN IF NOT EXISTS app_guid Nullable(String),
    ADD COLUMN IF NOT EXISTS job_role Nullable(String);
