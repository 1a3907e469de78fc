-- entry sizes and their lifecycle; player facts with the bytes the views delivered

-- Entries stored before have no size (unknown: 0 in the storage reports); their lifecycle rows
-- change no size.
ALTER TABLE entries ADD COLUMN size BIGINT;

ALTER TABLE entry_lifecycle ADD COLUMN size DOUBLE;

UPDATE entry_lifecycle SET size = 0;

-- The facts are built again from the stored beacons, the new delivered_bytes among their measures
-- (the table and its aggregation are vantage.player.facts as it stood at version 9, written out).
DROP TABLE player_facts;

CREATE TABLE player_facts (
    partner_id BIGINT,
    bucket TIMESTAMP,
    entry_id VARCHAR,
    user_id VARCHAR,
    playback_type VARCHAR,
    event_var1 VARCHAR,
    device VARCHAR,
    os_family VARCHAR,
    os VARCHAR,
    browser_family VARCHAR,
    browser VARCHAR,
    country_code VARCHAR,
    country VARCHAR,
    region VARCHAR,
    city VARCHAR,
    domain VARCHAR,
    canonical_url VARCHAR,
    custom_var1 VARCHAR,
    custom_var2 VARCHAR,
    custom_var3 VARCHAR,
    playback_context VARCHAR,
    playlist_id VARCHAR,
    application VARCHAR,
    application_ver VARCHAR,
    client_ver VARCHAR,
    ui_conf_id BIGINT,
    virtual_event_id BIGINT,
    n_playerImpression INTEGER,
    n_playRequested INTEGER,
    n_play INTEGER,
    n_resume INTEGER,
    n_playThrough25 INTEGER,
    n_playThrough50 INTEGER,
    n_playThrough75 INTEGER,
    n_playThrough100 INTEGER,
    n_shareClicked INTEGER,
    n_shared INTEGER,
    n_downloadClicked INTEGER,
    n_reportClicked INTEGER,
    n_reportSubmitted INTEGER,
    n_enterFullscreen INTEGER,
    n_exitFullscreen INTEGER,
    n_pauseClicked INTEGER,
    n_replay INTEGER,
    n_seek INTEGER,
    n_relatedClicked INTEGER,
    n_relatedSelected INTEGER,
    n_captions INTEGER,
    n_sourceSelected INTEGER,
    n_info INTEGER,
    n_speed INTEGER,
    n_flavorSwitch INTEGER,
    n_bufferStart INTEGER,
    n_error INTEGER,
    n_view INTEGER,
    n_playManifest INTEGER,
    n_buttonClicked INTEGER,
    n_pageLoad INTEGER,
    view_play_time DOUBLE,
    quartile_play_time DOUBLE,
    new_percentiles INTEGER,
    coverage HUGEINT,
    high_play_time DOUBLE,
    good_play_time DOUBLE,
    fair_play_time DOUBLE,
    low_play_time DOUBLE,
    none_play_time DOUBLE,
    n_view_engaged INTEGER,
    buffer_time DOUBLE,
    bitrate_sum DOUBLE,
    bitrate_count INTEGER,
    delivered_bytes DOUBLE,
    join_time_sum DOUBLE,
    join_time_count INTEGER
);

INSERT INTO player_facts BY NAME
SELECT partner_id AS partner_id,
       date_trunc('hour', received_at) AS bucket,
       entry_id AS entry_id,
       user_id AS user_id,
       playback_type AS playback_type,
       CASE event_type_id WHEN 41 THEN regexp_replace(CAST(playback_speed AS VARCHAR), '\.0$', '')
           WHEN 98 THEN CAST(error_code AS VARCHAR) WHEN 25 THEN report_type END AS event_var1,
       device AS device,
       os_family AS os_family,
       os AS os,
       browser_family AS browser_family,
       browser AS browser,
       country_code AS country_code,
       country AS country,
       region AS region,
       city AS city,
       domain AS domain,
       nullif(regexp_replace(referrer, '[?#].*$', ''), '') AS canonical_url,
       custom_var1 AS custom_var1,
       custom_var2 AS custom_var2,
       custom_var3 AS custom_var3,
       playback_context AS playback_context,
       playlist_id AS playlist_id,
       application AS application,
       application_ver AS application_ver,
       client_ver AS client_ver,
       ui_conf_id AS ui_conf_id,
       virtual_event_id AS virtual_event_id,
       count(*) FILTER (event_type_id = 1) AS n_playerImpression,
       count(*) FILTER (event_type_id = 2) AS n_playRequested,
       count(*) FILTER (event_type_id = 3) AS n_play,
       count(*) FILTER (event_type_id = 4) AS n_resume,
       count(*) FILTER (event_type_id = 11) AS n_playThrough25,
       count(*) FILTER (event_type_id = 12) AS n_playThrough50,
       count(*) FILTER (event_type_id = 13) AS n_playThrough75,
       count(*) FILTER (event_type_id = 14) AS n_playThrough100,
       count(*) FILTER (event_type_id = 21) AS n_shareClicked,
       count(*) FILTER (event_type_id = 22) AS n_shared,
       count(*) FILTER (event_type_id = 23) AS n_downloadClicked,
       count(*) FILTER (event_type_id = 24) AS n_reportClicked,
       count(*) FILTER (event_type_id = 25) AS n_reportSubmitted,
       count(*) FILTER (event_type_id = 31) AS n_enterFullscreen,
       count(*) FILTER (event_type_id = 32) AS n_exitFullscreen,
       count(*) FILTER (event_type_id = 33) AS n_pauseClicked,
       count(*) FILTER (event_type_id = 34) AS n_replay,
       count(*) FILTER (event_type_id = 35) AS n_seek,
       count(*) FILTER (event_type_id = 36) AS n_relatedClicked,
       count(*) FILTER (event_type_id = 37) AS n_relatedSelected,
       count(*) FILTER (event_type_id = 38) AS n_captions,
       count(*) FILTER (event_type_id = 39) AS n_sourceSelected,
       count(*) FILTER (event_type_id = 40) AS n_info,
       count(*) FILTER (event_type_id = 41) AS n_speed,
       count(*) FILTER (event_type_id = 43) AS n_flavorSwitch,
       count(*) FILTER (event_type_id = 45) AS n_bufferStart,
       count(*) FILTER (event_type_id = 98) AS n_error,
       count(*) FILTER (event_type_id = 99) AS n_view,
       count(*) FILTER (event_type_id = 100) AS n_playManifest,
       count(*) FILTER (event_type_id = 10002) AS n_buttonClicked,
       count(*) FILTER (event_type_id = 10003) AS n_pageLoad,
       sum(play_time) FILTER (event_type_id = 99) AS view_play_time,
       sum(play_time) FILTER (event_type_id IN (11, 12, 13, 14)) AS quartile_play_time,
       sum(new_percentiles) FILTER (event_type_id = 99) AS new_percentiles,
       bit_or(coverage) FILTER (event_type_id = 99) AS coverage,
       sum(play_time) FILTER (event_type_id = 99 AND (CASE WHEN sound_mode = 2 AND tab_mode = 2 AND
           screen_mode = 2 THEN 'high'
     WHEN sound_mode = 2 AND tab_mode = 2 THEN 'good'
     WHEN sound_mode = 2 THEN 'fair'
     WHEN tab_mode = 2 THEN 'low'
     ELSE 'none' END) = 'high') AS high_play_time,
       sum(play_time) FILTER (event_type_id = 99 AND (CASE WHEN sound_mode = 2 AND tab_mode = 2 AND
           screen_mode = 2 THEN 'high'
     WHEN sound_mode = 2 AND tab_mode = 2 THEN 'good'
     WHEN sound_mode = 2 THEN 'fair'
     WHEN tab_mode = 2 THEN 'low'
     ELSE 'none' END) = 'good') AS good_play_time,
       sum(play_time) FILTER (event_type_id = 99 AND (CASE WHEN sound_mode = 2 AND tab_mode = 2 AND
           screen_mode = 2 THEN 'high'
     WHEN sound_mode = 2 AND tab_mode = 2 THEN 'good'
     WHEN sound_mode = 2 THEN 'fair'
     WHEN tab_mode = 2 THEN 'low'
     ELSE 'none' END) = 'fair') AS fair_play_time,
       sum(play_time) FILTER (event_type_id = 99 AND (CASE WHEN sound_mode = 2 AND tab_mode = 2 AND
           screen_mode = 2 THEN 'high'
     WHEN sound_mode = 2 AND tab_mode = 2 THEN 'good'
     WHEN sound_mode = 2 THEN 'fair'
     WHEN tab_mode = 2 THEN 'low'
     ELSE 'none' END) = 'low') AS low_play_time,
       sum(play_time) FILTER (event_type_id = 99 AND (CASE WHEN sound_mode = 2 AND tab_mode = 2 AND
           screen_mode = 2 THEN 'high'
     WHEN sound_mode = 2 AND tab_mode = 2 THEN 'good'
     WHEN sound_mode = 2 THEN 'fair'
     WHEN tab_mode = 2 THEN 'low'
     ELSE 'none' END) = 'none') AS none_play_time,
       count(*) FILTER (event_type_id = 99 AND (CASE WHEN sound_mode = 2 AND tab_mode = 2 AND
           screen_mode = 2 THEN 'high'
     WHEN sound_mode = 2 AND tab_mode = 2 THEN 'good'
     WHEN sound_mode = 2 THEN 'fair'
     WHEN tab_mode = 2 THEN 'low'
     ELSE 'none' END) IN ('high', 'good')) AS n_view_engaged,
       sum(buffer_time) FILTER (event_type_id = 99) AS buffer_time,
       sum(average_bitrate) FILTER (event_type_id = 99 AND average_bitrate > 0) AS bitrate_sum,
       count(*) FILTER (event_type_id = 99 AND average_bitrate > 0) AS bitrate_count,
       sum(average_bitrate * 125 * play_time) FILTER (event_type_id = 99 AND average_bitrate > 0) AS
           delivered_bytes,
       sum(join_time) FILTER (event_type_id = 3 AND join_time IS NOT NULL) AS join_time_sum,
       count(*) FILTER (event_type_id = 3 AND join_time IS NOT NULL) AS join_time_count
FROM player_events
GROUP BY ALL;
