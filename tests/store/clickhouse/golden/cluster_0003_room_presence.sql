-- One row per partner, hour of the event's time, room, session, person, virtual event and
-- engagement, with measures that re-aggregate exactly; background merges fold rows of the same
-- keys, and reads always GROUP BY again. DuckDB's room_presence_dirty (hours awaiting its
-- compaction) has no counterpart: ClickHouse merges parts by itself. On a cluster (see
-- cluster_0001_schema.sql): replicated shards under a Distributed table, sharded by partner as
-- room_events is, so each shard's view adds its own events' facts.
CREATE TABLE IF NOT EXISTS `analytics`.room_presence_local ON CLUSTER `vantage` (
    partner_id Int64,
    bucket DateTime64(6, 'UTC'),
    entry_id String,
    session_id Nullable(String),
    user_id String,
    virtual_event_id Nullable(Int64),
    engaged Bool,
    view_time SimpleAggregateFunction(sum, Nullable(Float64)),
    periods SimpleAggregateFunction(sum, Int64),
    first_time SimpleAggregateFunction(min, DateTime64(6, 'UTC')),
    last_time SimpleAggregateFunction(max, DateTime64(6, 'UTC'))
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(bucket)
PRIMARY KEY (partner_id, bucket, entry_id)
ORDER BY (partner_id, bucket, entry_id, session_id, user_id, virtual_event_id, engaged)
SETTINGS allow_nullable_key = 1, replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `analytics`.room_presence ON CLUSTER `vantage` AS `analytics`.room_presence_local
ENGINE = Distributed(`vantage`, `analytics`, room_presence_local, cityHash64(partner_id));

-- Each insert into a shard's room_events_local adds the facts of its presence periods to the
-- same shard's room_presence_local: room_presence.aggregate in ClickHouse's words, as the rule
-- stood at version 3 (engaged: the tab focused, full screen, the camera on or on stage).
CREATE MATERIALIZED VIEW IF NOT EXISTS `analytics`.room_presence_mv ON CLUSTER `vantage`
TO `analytics`.room_presence_local AS
SELECT partner_id,
       toDateTime64(toStartOfHour(time), 6, 'UTC') AS bucket,
       entry_id,
       session_id,
       user_id,
       virtual_event_id,
       coalesce(tab_focused OR full_screen OR camera_on OR on_stage, false) AS engaged,
       sumOrNull(view_time) AS view_time,
       toInt64(count()) AS periods,
       min(time) AS first_time,
       max(time) AS last_time
FROM `analytics`.room_events_local
WHERE event_type = 'viewPeriod'
GROUP BY partner_id, toDateTime64(toStartOfHour(time), 6, 'UTC'), entry_id, session_id, user_id,
         virtual_event_id, coalesce(tab_focused OR full_screen OR camera_on OR on_stage, false);

-- The events stored before this version, once, from the server that migrates (an INSERT runs
-- on no cluster): migrations run before the store takes writes, and a store whose facts hold
-- rows has been through this statement already.
INSERT INTO `analytics`.room_presence
SELECT partner_id,
       toDateTime64(toStartOfHour(time), 6, 'UTC') AS bucket,
       entry_id,
       session_id,
       user_id,
       virtual_event_id,
       coalesce(tab_focused OR full_screen OR camera_on OR on_stage, false) AS engaged,
       sumOrNull(view_time) AS view_time,
       toInt64(count()) AS periods,
       min(time) AS first_time,
       max(time) AS last_time
FROM `analytics`.room_events
WHERE event_type = 'viewPeriod' AND (SELECT count() FROM `analytics`.room_presence) = 0
GROUP BY partner_id, toDateTime64(toStartOfHour(time), 6, 'UTC'), entry_id, session_id, user_id,
         virtual_event_id, coalesce(tab_focused OR full_screen OR camera_on OR on_stage, false);
