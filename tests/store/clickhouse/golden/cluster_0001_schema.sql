-- The single server's 0001_schema.sql on a cluster of replicated shards: the same tables, columns,
-- engines, partitions, orders and views (tests/store/clickhouse/test_cluster_migrations.py compares
-- them), each table as
--   <name>_local, a Replicated* table on every server, the replicas of a shard kept in step through
--     ClickHouse Keeper at /clickhouse/tables/{shard}/{database}/{table} ({shard} and {replica}
--     are each server's macros, {database} and {table} ClickHouse's own), and
--   <name>, a Distributed table over the shards' <name>_local, the table Vantage reads and writes.
-- The cluster's and the database's names are placeholders here, filled in from the engine URL by
-- vantage.store.clickhouse.cluster; every statement runs ON CLUSTER, on every server.
--
-- Sharding: a partner's rows are on one shard (cityHash64(partner_id); a partner's own row by
-- cityHash64(id), the same shard), so every version of an entity is on one shard and FINAL, which
-- each shard applies to its own rows, sees them all; meta by its key.
--
-- Each replicated table keeps the block ids of its last 1000 inserts in Keeper
-- (replicated_deduplication_window), so an insert retried with the same
-- insert_deduplication_token adds nothing, whichever replica of the shard it reaches.
--
-- Entities are ReplacingMergeTree: a row written again (same key) replaces the older one when
-- parts merge, the higher row_version winning; row_version is the write's time in microseconds
-- (MATERIALIZED: never written by a client, left out of SELECT *). Reads say FINAL. DuckDB deletes
-- no entity row (an entry deleted is marked so), so there is no is_deleted column.
-- Types: as 0001_schema.sql of the single server.

CREATE TABLE IF NOT EXISTS `analytics`.meta_local ON CLUSTER `vantage` (
    key String,
    value String,
    row_version UInt64 MATERIALIZED toUnixTimestamp64Micro(now64(6))
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', row_version)
ORDER BY (key)
SETTINGS replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `analytics`.meta ON CLUSTER `vantage` AS `analytics`.meta_local
ENGINE = Distributed(`vantage`, `analytics`, meta_local, cityHash64(key));

CREATE TABLE IF NOT EXISTS `analytics`.partners_local ON CLUSTER `vantage` (
    id Int64,
    name String,
    admin_secrets Array(String),
    user_secret String,
    parent_partner_id Nullable(Int64),
    ks_version Int64,
    ks_max_expiry Int64,
    roles String,
    status String,
    created_at Nullable(DateTime64(6, 'UTC')),
    row_version UInt64 MATERIALIZED toUnixTimestamp64Micro(now64(6))
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', row_version)
ORDER BY (id)
SETTINGS replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `analytics`.partners ON CLUSTER `vantage` AS `analytics`.partners_local
ENGINE = Distributed(`vantage`, `analytics`, partners_local, cityHash64(id));

CREATE TABLE IF NOT EXISTS `analytics`.users_local ON CLUSTER `vantage` (
    partner_id Int64,
    id String,
    first_name Nullable(String),
    last_name Nullable(String),
    email Nullable(String),
    title Nullable(String),
    company Nullable(String),
    industry Nullable(String),
    country Nullable(String),
    role Nullable(String),
    created_at Nullable(DateTime64(6, 'UTC')),
    row_version UInt64 MATERIALIZED toUnixTimestamp64Micro(now64(6))
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', row_version)
ORDER BY (partner_id, id)
SETTINGS replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `analytics`.users ON CLUSTER `vantage` AS `analytics`.users_local
ENGINE = Distributed(`vantage`, `analytics`, users_local, cityHash64(partner_id));

CREATE TABLE IF NOT EXISTS `analytics`.entries_local ON CLUSTER `vantage` (
    partner_id Int64,
    id String,
    name String,
    kind String,
    creator_user_id Nullable(String),
    created_at Nullable(DateTime64(6, 'UTC')),
    updated_at Nullable(DateTime64(6, 'UTC')),
    duration Nullable(Int64),
    media_type Nullable(Int64),
    source_type Nullable(Int64),
    admin_tags Array(String),
    tags Array(String),
    category_ids Array(Int64),
    status String,
    parent_entry_id Nullable(String),
    virtual_event_id Nullable(Int64),
    size Nullable(Int64),
    entry_source Nullable(String),
    row_version UInt64 MATERIALIZED toUnixTimestamp64Micro(now64(6))
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', row_version)
ORDER BY (partner_id, id)
SETTINGS replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `analytics`.entries ON CLUSTER `vantage` AS `analytics`.entries_local
ENGINE = Distributed(`vantage`, `analytics`, entries_local, cityHash64(partner_id));

CREATE TABLE IF NOT EXISTS `analytics`.categories_local ON CLUSTER `vantage` (
    partner_id Int64,
    id Int64,
    name String,
    full_name Nullable(String),
    parent_id Nullable(Int64),
    row_version UInt64 MATERIALIZED toUnixTimestamp64Micro(now64(6))
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', row_version)
ORDER BY (partner_id, id)
SETTINGS replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `analytics`.categories ON CLUSTER `vantage` AS `analytics`.categories_local
ENGINE = Distributed(`vantage`, `analytics`, categories_local, cityHash64(partner_id));

CREATE TABLE IF NOT EXISTS `analytics`.virtual_events_local ON CLUSTER `vantage` (
    partner_id Int64,
    id Int64,
    name String,
    description Nullable(String),
    starts_at Nullable(DateTime64(6, 'UTC')),
    ends_at Nullable(DateTime64(6, 'UTC')),
    row_version UInt64 MATERIALIZED toUnixTimestamp64Micro(now64(6))
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', row_version)
ORDER BY (partner_id, id)
SETTINGS replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `analytics`.virtual_events ON CLUSTER `vantage` AS `analytics`.virtual_events_local
ENGINE = Distributed(`vantage`, `analytics`, virtual_events_local, cityHash64(partner_id));

CREATE TABLE IF NOT EXISTS `analytics`.room_sessions_local ON CLUSTER `vantage` (
    partner_id Int64,
    id String,
    entry_id String,
    start_time Nullable(DateTime64(6, 'UTC')),
    end_time Nullable(DateTime64(6, 'UTC')),
    host_user_id Nullable(String),
    row_version UInt64 MATERIALIZED toUnixTimestamp64Micro(now64(6))
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', row_version)
ORDER BY (partner_id, id)
SETTINGS replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `analytics`.room_sessions ON CLUSTER `vantage` AS `analytics`.room_sessions_local
ENGINE = Distributed(`vantage`, `analytics`, room_sessions_local, cityHash64(partner_id));

-- Events are appended, never changed: MergeTree by month, ordered for reading one partner over
-- days, then one entry within them.
-- Room events, as sent (vantage.events).
CREATE TABLE IF NOT EXISTS `analytics`.room_events_local ON CLUSTER `vantage` (
    event_type String,
    event_id Nullable(String),
    partner_id Int64,
    entry_id String,
    session_id Nullable(String),
    user_id String,
    time DateTime64(6, 'UTC'),
    virtual_event_id Nullable(Int64),
    role Nullable(String),
    view_time Nullable(Float64),
    tab_focused Nullable(Bool),
    sound_on Nullable(Bool),
    mic_unmuted Nullable(Bool),
    camera_on Nullable(Bool),
    full_screen Nullable(Bool),
    on_stage Nullable(Bool),
    reaction Nullable(String),
    message_id Nullable(String),
    text Nullable(String),
    reply_to_message_id Nullable(String),
    context_id Nullable(String),
    recipient_user_id Nullable(String),
    thread_id Nullable(String),
    action Nullable(String),
    poll_id Nullable(String),
    question Nullable(String),
    poll_type Nullable(String),
    options Array(String),
    correct_answer Nullable(String),
    answer Nullable(String),
    is_correct Nullable(Bool),
    attachment_id Nullable(String),
    attachment_title Nullable(String),
    first_name Nullable(String),
    last_name Nullable(String),
    email Nullable(String),
    title Nullable(String),
    company Nullable(String),
    industry Nullable(String),
    country Nullable(String),
    received_at DateTime64(6, 'UTC')
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(time)
ORDER BY (partner_id, toDate(time), entry_id, time)
SETTINGS replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `analytics`.room_events ON CLUSTER `vantage` AS `analytics`.room_events_local
ENGINE = Distributed(`vantage`, `analytics`, room_events_local, cityHash64(partner_id));

-- Entries added, deleted and resized (vantage.store.lifecycle).
CREATE TABLE IF NOT EXISTS `analytics`.entry_lifecycle_local ON CLUSTER `vantage` (
    partner_id Int64,
    entry_id String,
    time DateTime64(6, 'UTC'),
    event_type String,
    delta Int64,
    duration Float64,
    media_type Nullable(Int64),
    source_type Nullable(Int64),
    entry_source Nullable(String),
    creator_user_id Nullable(String),
    kind Nullable(String),
    size Nullable(Float64)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(time)
ORDER BY (partner_id, toDate(time), entry_id, time)
SETTINGS replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `analytics`.entry_lifecycle ON CLUSTER `vantage` AS `analytics`.entry_lifecycle_local
ENGINE = Distributed(`vantage`, `analytics`, entry_lifecycle_local, cityHash64(partner_id));

-- Player beacons with their derived play_time, coverage and new_percentiles, set by the ingest tier.
CREATE TABLE IF NOT EXISTS `analytics`.player_events_local ON CLUSTER `vantage` (
    event_type String,
    event_type_id Int64,
    partner_id Int64,
    entry_id String,
    session_id Nullable(String),
    event_index Nullable(Int64),
    referrer Nullable(String),
    delivery_type Nullable(String),
    playback_type Nullable(String),
    client_ver Nullable(String),
    client_tag Nullable(String),
    position Nullable(Float64),
    playback_speed Nullable(Float64),
    player_skin Nullable(String),
    caption Nullable(String),
    session_start_time Nullable(Float64),
    virtual_event_id Nullable(Int64),
    ui_conf_id Nullable(Int64),
    playlist_id Nullable(String),
    custom_var1 Nullable(String),
    custom_var2 Nullable(String),
    custom_var3 Nullable(String),
    playback_context Nullable(String),
    application Nullable(String),
    application_ver Nullable(String),
    kaltura_application Nullable(Int64),
    kaltura_application_ver Nullable(String),
    user_id Nullable(String),
    persistent_session_id Nullable(String),
    hosting_kaltura_application Nullable(Int64),
    hosting_kaltura_application_version Nullable(String),
    play_time_sum Nullable(Float64),
    buffer_time Nullable(Float64),
    buffer_time_sum Nullable(Float64),
    actual_bitrate Nullable(Float64),
    average_bitrate Nullable(Float64),
    audio_language Nullable(String),
    sound_mode Nullable(Int64),
    tab_mode Nullable(Int64),
    viewability_mode Nullable(Int64),
    screen_mode Nullable(Int64),
    forward_buffer_health Nullable(Float64),
    manifest_download_time Nullable(Float64),
    segment_download_time Nullable(Float64),
    bandwidth Nullable(Float64),
    dropped_frames_ratio Nullable(Float64),
    target_buffer Nullable(Float64),
    network_connection_type Nullable(String),
    network_connection_overhead Nullable(Float64),
    flavor_params_id Nullable(Int64),
    playback_mode Nullable(String),
    source_entry_id Nullable(String),
    player_js_load_time Nullable(Float64),
    loaded_plugins Array(String),
    join_time Nullable(Float64),
    can_play Nullable(Float64),
    social_network Nullable(String),
    report_type Nullable(String),
    target_position Nullable(Float64),
    language Nullable(String),
    error_code Nullable(Int64),
    error_details Nullable(String),
    error_position Nullable(Int64),
    server_node_ids Nullable(String),
    client_internal_ip Nullable(String),
    feature Nullable(String),
    button_name Nullable(String),
    button_type Nullable(String),
    button_value Nullable(String),
    button_info Nullable(String),
    page_name Nullable(String),
    page_type Nullable(String),
    page_value Nullable(String),
    page_info Nullable(String),
    received_at DateTime64(6, 'UTC'),
    client_ip Nullable(String),
    user_agent Nullable(String),
    country_code Nullable(String),
    country Nullable(String),
    region Nullable(String),
    city Nullable(String),
    device Nullable(String),
    os_family Nullable(String),
    os Nullable(String),
    browser_family Nullable(String),
    browser Nullable(String),
    domain Nullable(String),
    play_time Nullable(Float64),
    coverage Nullable(UInt128),
    new_percentiles Nullable(Int16)
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(received_at)
ORDER BY (partner_id, toDate(received_at), entry_id, received_at)
SETTINGS replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `analytics`.player_events ON CLUSTER `vantage` AS `analytics`.player_events_local
ENGINE = Distributed(`vantage`, `analytics`, player_events_local, cityHash64(partner_id));

-- Version 4's view of views with their engagement class, over all shards.
CREATE VIEW IF NOT EXISTS `analytics`.player_view_periods ON CLUSTER `vantage` AS
SELECT *,
       CASE WHEN sound_mode = 2 AND tab_mode = 2 AND screen_mode = 2 THEN 'high'
            WHEN sound_mode = 2 AND tab_mode = 2 THEN 'good'
            WHEN sound_mode = 2 THEN 'fair'
            WHEN tab_mode = 2 THEN 'low'
            ELSE 'none' END AS engagement,
       concat(
           CASE WHEN sound_mode = 2 THEN 'SoundOn' ELSE 'SoundOff' END,
           CASE WHEN tab_mode = 2 THEN 'TabFocused' ELSE 'TabNotFocused' END,
           CASE screen_mode WHEN 2 THEN 'FullScreen' WHEN 1 THEN 'FullScreenOff' ELSE '' END
       ) AS user_engagement
FROM `analytics`.player_events WHERE event_type_id = 99;

-- The hourly player facts (vantage.player.facts at version 9): one row per hour and keys, each
-- measure an exact state merged by its own function (counts and sums add, coverage ORs bits), so
-- any whole hours re-aggregate to what the raw beacons give. Background merges fold rows of the
-- same keys; reads always GROUP BY and sum / groupBitOr. A key is Nullable when its beacon column
-- is; partner_id, bucket and entry_id never are. DuckDB's player_facts_dirty (hours awaiting its
-- compaction) has no counterpart: ClickHouse merges parts by itself.
CREATE TABLE IF NOT EXISTS `analytics`.player_facts_local ON CLUSTER `vantage` (
    partner_id Int64,
    bucket DateTime64(6, 'UTC'),
    entry_id String,
    user_id Nullable(String),
    playback_type Nullable(String),
    event_var1 Nullable(String),
    device Nullable(String),
    os_family Nullable(String),
    os Nullable(String),
    browser_family Nullable(String),
    browser Nullable(String),
    country_code Nullable(String),
    country Nullable(String),
    region Nullable(String),
    city Nullable(String),
    domain Nullable(String),
    canonical_url Nullable(String),
    custom_var1 Nullable(String),
    custom_var2 Nullable(String),
    custom_var3 Nullable(String),
    playback_context Nullable(String),
    playlist_id Nullable(String),
    application Nullable(String),
    application_ver Nullable(String),
    client_ver Nullable(String),
    ui_conf_id Nullable(Int64),
    virtual_event_id Nullable(Int64),
    n_playerImpression SimpleAggregateFunction(sum, Int64),
    n_playRequested SimpleAggregateFunction(sum, Int64),
    n_play SimpleAggregateFunction(sum, Int64),
    n_resume SimpleAggregateFunction(sum, Int64),
    n_playThrough25 SimpleAggregateFunction(sum, Int64),
    n_playThrough50 SimpleAggregateFunction(sum, Int64),
    n_playThrough75 SimpleAggregateFunction(sum, Int64),
    n_playThrough100 SimpleAggregateFunction(sum, Int64),
    n_shareClicked SimpleAggregateFunction(sum, Int64),
    n_shared SimpleAggregateFunction(sum, Int64),
    n_downloadClicked SimpleAggregateFunction(sum, Int64),
    n_reportClicked SimpleAggregateFunction(sum, Int64),
    n_reportSubmitted SimpleAggregateFunction(sum, Int64),
    n_enterFullscreen SimpleAggregateFunction(sum, Int64),
    n_exitFullscreen SimpleAggregateFunction(sum, Int64),
    n_pauseClicked SimpleAggregateFunction(sum, Int64),
    n_replay SimpleAggregateFunction(sum, Int64),
    n_seek SimpleAggregateFunction(sum, Int64),
    n_relatedClicked SimpleAggregateFunction(sum, Int64),
    n_relatedSelected SimpleAggregateFunction(sum, Int64),
    n_captions SimpleAggregateFunction(sum, Int64),
    n_sourceSelected SimpleAggregateFunction(sum, Int64),
    n_info SimpleAggregateFunction(sum, Int64),
    n_speed SimpleAggregateFunction(sum, Int64),
    n_flavorSwitch SimpleAggregateFunction(sum, Int64),
    n_bufferStart SimpleAggregateFunction(sum, Int64),
    n_error SimpleAggregateFunction(sum, Int64),
    n_view SimpleAggregateFunction(sum, Int64),
    n_playManifest SimpleAggregateFunction(sum, Int64),
    n_buttonClicked SimpleAggregateFunction(sum, Int64),
    n_pageLoad SimpleAggregateFunction(sum, Int64),
    view_play_time SimpleAggregateFunction(sum, Nullable(Float64)),
    quartile_play_time SimpleAggregateFunction(sum, Nullable(Float64)),
    new_percentiles SimpleAggregateFunction(sum, Nullable(Int64)),
    coverage SimpleAggregateFunction(groupBitOr, Nullable(UInt128)),
    high_play_time SimpleAggregateFunction(sum, Nullable(Float64)),
    good_play_time SimpleAggregateFunction(sum, Nullable(Float64)),
    fair_play_time SimpleAggregateFunction(sum, Nullable(Float64)),
    low_play_time SimpleAggregateFunction(sum, Nullable(Float64)),
    none_play_time SimpleAggregateFunction(sum, Nullable(Float64)),
    n_view_engaged SimpleAggregateFunction(sum, Int64),
    buffer_time SimpleAggregateFunction(sum, Nullable(Float64)),
    bitrate_sum SimpleAggregateFunction(sum, Nullable(Float64)),
    bitrate_count SimpleAggregateFunction(sum, Int64),
    delivered_bytes SimpleAggregateFunction(sum, Nullable(Float64)),
    join_time_sum SimpleAggregateFunction(sum, Nullable(Float64)),
    join_time_count SimpleAggregateFunction(sum, Int64)
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(bucket)
PRIMARY KEY (partner_id, bucket, entry_id)
ORDER BY (partner_id, bucket, entry_id, user_id, playback_type, event_var1, device, os_family, os, browser_family, browser, country_code, country, region, city, domain, canonical_url, custom_var1, custom_var2, custom_var3, playback_context, playlist_id, application, application_ver, client_ver, ui_conf_id, virtual_event_id)
SETTINGS allow_nullable_key = 1, replicated_deduplication_window = 1000;

CREATE TABLE IF NOT EXISTS `analytics`.player_facts ON CLUSTER `vantage` AS `analytics`.player_facts_local
ENGINE = Distributed(`vantage`, `analytics`, player_facts_local, cityHash64(partner_id));

-- Each insert into a shard's player_events_local adds its facts to the same shard's
-- player_facts_local: facts.aggregate_sql('player_events') in ClickHouse's words. Every server has
-- the view; a replica that fetches a part from another does not run it again, the facts
-- replicate themselves. A sum over no non-NULL value is NULL, as in DuckDB (the summed columns are
-- Nullable); counts are 0.
CREATE MATERIALIZED VIEW IF NOT EXISTS `analytics`.player_facts_mv ON CLUSTER `vantage`
TO `analytics`.player_facts_local AS
WITH CASE WHEN sound_mode = 2 AND tab_mode = 2 AND screen_mode = 2 THEN 'high'
         WHEN sound_mode = 2 AND tab_mode = 2 THEN 'good'
         WHEN sound_mode = 2 THEN 'fair'
         WHEN tab_mode = 2 THEN 'low'
         ELSE 'none' END AS engagement
SELECT partner_id,
       toDateTime64(toStartOfHour(received_at), 6, 'UTC') AS bucket,
       entry_id,
       user_id,
       playback_type,
       CASE event_type_id WHEN 41 THEN replaceRegexpOne(toString(playback_speed), '\\.0$', '')
           WHEN 98 THEN toString(error_code) WHEN 25 THEN report_type END AS event_var1,
       device,
       os_family,
       os,
       browser_family,
       browser,
       country_code,
       country,
       region,
       city,
       domain,
       nullIf(replaceRegexpOne(referrer, '[?#].*$', ''), '') AS canonical_url,
       custom_var1,
       custom_var2,
       custom_var3,
       playback_context,
       playlist_id,
       application,
       application_ver,
       client_ver,
       ui_conf_id,
       virtual_event_id,
       toInt64(countIf(event_type_id = 1)) AS n_playerImpression,
       toInt64(countIf(event_type_id = 2)) AS n_playRequested,
       toInt64(countIf(event_type_id = 3)) AS n_play,
       toInt64(countIf(event_type_id = 4)) AS n_resume,
       toInt64(countIf(event_type_id = 11)) AS n_playThrough25,
       toInt64(countIf(event_type_id = 12)) AS n_playThrough50,
       toInt64(countIf(event_type_id = 13)) AS n_playThrough75,
       toInt64(countIf(event_type_id = 14)) AS n_playThrough100,
       toInt64(countIf(event_type_id = 21)) AS n_shareClicked,
       toInt64(countIf(event_type_id = 22)) AS n_shared,
       toInt64(countIf(event_type_id = 23)) AS n_downloadClicked,
       toInt64(countIf(event_type_id = 24)) AS n_reportClicked,
       toInt64(countIf(event_type_id = 25)) AS n_reportSubmitted,
       toInt64(countIf(event_type_id = 31)) AS n_enterFullscreen,
       toInt64(countIf(event_type_id = 32)) AS n_exitFullscreen,
       toInt64(countIf(event_type_id = 33)) AS n_pauseClicked,
       toInt64(countIf(event_type_id = 34)) AS n_replay,
       toInt64(countIf(event_type_id = 35)) AS n_seek,
       toInt64(countIf(event_type_id = 36)) AS n_relatedClicked,
       toInt64(countIf(event_type_id = 37)) AS n_relatedSelected,
       toInt64(countIf(event_type_id = 38)) AS n_captions,
       toInt64(countIf(event_type_id = 39)) AS n_sourceSelected,
       toInt64(countIf(event_type_id = 40)) AS n_info,
       toInt64(countIf(event_type_id = 41)) AS n_speed,
       toInt64(countIf(event_type_id = 43)) AS n_flavorSwitch,
       toInt64(countIf(event_type_id = 45)) AS n_bufferStart,
       toInt64(countIf(event_type_id = 98)) AS n_error,
       toInt64(countIf(event_type_id = 99)) AS n_view,
       toInt64(countIf(event_type_id = 100)) AS n_playManifest,
       toInt64(countIf(event_type_id = 10002)) AS n_buttonClicked,
       toInt64(countIf(event_type_id = 10003)) AS n_pageLoad,
       sumIf(play_time, event_type_id = 99) AS view_play_time,
       sumIf(play_time, event_type_id IN (11, 12, 13, 14)) AS quartile_play_time,
       sumIf(new_percentiles, event_type_id = 99) AS new_percentiles,
       groupBitOrIf(coverage, event_type_id = 99) AS coverage,
       sumIf(play_time, event_type_id = 99 AND engagement = 'high') AS high_play_time,
       sumIf(play_time, event_type_id = 99 AND engagement = 'good') AS good_play_time,
       sumIf(play_time, event_type_id = 99 AND engagement = 'fair') AS fair_play_time,
       sumIf(play_time, event_type_id = 99 AND engagement = 'low') AS low_play_time,
       sumIf(play_time, event_type_id = 99 AND engagement = 'none') AS none_play_time,
       toInt64(countIf(event_type_id = 99 AND engagement IN ('high', 'good'))) AS n_view_engaged,
       sumIf(buffer_time, event_type_id = 99) AS buffer_time,
       sumIf(average_bitrate, event_type_id = 99 AND average_bitrate > 0) AS bitrate_sum,
       toInt64(countIf(event_type_id = 99 AND average_bitrate > 0)) AS bitrate_count,
       sumIf(average_bitrate * 125 * play_time, event_type_id = 99 AND average_bitrate > 0) AS delivered_bytes,
       sumIf(join_time, event_type_id = 3 AND join_time IS NOT NULL) AS join_time_sum,
       toInt64(countIf(event_type_id = 3 AND join_time IS NOT NULL)) AS join_time_count
FROM `analytics`.player_events_local
GROUP BY ALL;
