-- player beacons without a session; NaN and infinity removed from stored beacons

-- An empty sessionId is accepted from now on and stored as NULL.
ALTER TABLE player_events ALTER COLUMN session_id DROP NOT NULL;

-- Beacons stored before numbers were checked may hold NaN or ±infinity: those values become NULL
-- (not sent). The plays holding such a beacon are derived again, whole, from their beacons (as
-- version 5 derived every play), and the facts of every hour those plays touch are built again from
-- the stored beacons.
CREATE TEMP TABLE _plays AS
SELECT DISTINCT partner_id, session_id, entry_id
FROM player_events
WHERE (
    NOT isfinite(position)
    OR NOT isfinite(playback_speed)
    OR NOT isfinite(session_start_time)
    OR NOT isfinite(play_time_sum)
    OR NOT isfinite(buffer_time)
    OR NOT isfinite(buffer_time_sum)
    OR NOT isfinite(actual_bitrate)
    OR NOT isfinite(average_bitrate)
    OR NOT isfinite(forward_buffer_health)
    OR NOT isfinite(manifest_download_time)
    OR NOT isfinite(segment_download_time)
    OR NOT isfinite(bandwidth)
    OR NOT isfinite(dropped_frames_ratio)
    OR NOT isfinite(target_buffer)
    OR NOT isfinite(network_connection_overhead)
    OR NOT isfinite(player_js_load_time)
    OR NOT isfinite(join_time)
    OR NOT isfinite(can_play)
    OR NOT isfinite(target_position)
    OR NOT isfinite(play_time)
);

UPDATE player_events SET
    position = CASE WHEN isfinite(position) THEN position END,
    playback_speed = CASE WHEN isfinite(playback_speed) THEN playback_speed END,
    session_start_time = CASE WHEN isfinite(session_start_time) THEN session_start_time END,
    play_time_sum = CASE WHEN isfinite(play_time_sum) THEN play_time_sum END,
    buffer_time = CASE WHEN isfinite(buffer_time) THEN buffer_time END,
    buffer_time_sum = CASE WHEN isfinite(buffer_time_sum) THEN buffer_time_sum END,
    actual_bitrate = CASE WHEN isfinite(actual_bitrate) THEN actual_bitrate END,
    average_bitrate = CASE WHEN isfinite(average_bitrate) THEN average_bitrate END,
    forward_buffer_health = CASE WHEN isfinite(forward_buffer_health) THEN forward_buffer_health END,
    manifest_download_time = CASE WHEN isfinite(manifest_download_time) THEN manifest_download_time END,
    segment_download_time = CASE WHEN isfinite(segment_download_time) THEN segment_download_time END,
    bandwidth = CASE WHEN isfinite(bandwidth) THEN bandwidth END,
    dropped_frames_ratio = CASE WHEN isfinite(dropped_frames_ratio) THEN dropped_frames_ratio END,
    target_buffer = CASE WHEN isfinite(target_buffer) THEN target_buffer END,
    network_connection_overhead = CASE WHEN isfinite(network_connection_overhead) THEN network_connection_overhead END,
    player_js_load_time = CASE WHEN isfinite(player_js_load_time) THEN player_js_load_time END,
    join_time = CASE WHEN isfinite(join_time) THEN join_time END,
    can_play = CASE WHEN isfinite(can_play) THEN can_play END,
    target_position = CASE WHEN isfinite(target_position) THEN target_position END,
    play_time = CASE WHEN isfinite(play_time) THEN play_time END
WHERE (
    NOT isfinite(position)
    OR NOT isfinite(playback_speed)
    OR NOT isfinite(session_start_time)
    OR NOT isfinite(play_time_sum)
    OR NOT isfinite(buffer_time)
    OR NOT isfinite(buffer_time_sum)
    OR NOT isfinite(actual_bitrate)
    OR NOT isfinite(average_bitrate)
    OR NOT isfinite(forward_buffer_health)
    OR NOT isfinite(manifest_download_time)
    OR NOT isfinite(segment_download_time)
    OR NOT isfinite(bandwidth)
    OR NOT isfinite(dropped_frames_ratio)
    OR NOT isfinite(target_buffer)
    OR NOT isfinite(network_connection_overhead)
    OR NOT isfinite(player_js_load_time)
    OR NOT isfinite(join_time)
    OR NOT isfinite(can_play)
    OR NOT isfinite(target_position)
    OR NOT isfinite(play_time)
);

CREATE TEMP TABLE _beacons AS
SELECT * EXCLUDE (play_time, coverage, new_percentiles), row_number() OVER () AS _row
FROM player_events
WHERE (partner_id, session_id, entry_id) IN (SELECT * FROM _plays);

DELETE FROM player_events WHERE (partner_id, session_id, entry_id) IN (SELECT * FROM _plays);

CREATE TEMP TABLE _derived AS
WITH numbered AS (SELECT * FROM _beacons),
views AS (
    SELECT partner_id,
    session_id,
    entry_id,
    received_at,
    event_index,
    play_time_sum,
    position,
    playback_type,
           playback_speed, _row, NULL::DOUBLE AS play_time, NULL::HUGEINT AS coverage,
           TRUE AS incoming, CASE WHEN session_id IS NULL THEN _row END AS lone
    FROM numbered WHERE event_type_id = 99
),
ordered AS (
    SELECT *,
           lag(received_at) OVER w AS previous_at,
           play_time_sum - lag(play_time_sum) OVER w AS since_previous
    FROM views
    WINDOW w AS (PARTITION BY partner_id, session_id, entry_id, lone ORDER BY received_at,
        event_index)
),
timed AS (
    SELECT o.*,
           CASE WHEN NOT incoming THEN o.play_time
                WHEN previous_at >= received_at - INTERVAL 3600 SECOND
                     AND since_previous BETWEEN 0 AND 60 THEN since_previous
                ELSE least(coalesce(play_time_sum, 0), 10) END AS period,
           sum(CASE WHEN previous_at >= received_at - INTERVAL 3600 SECOND THEN 0 ELSE 1 END) OVER (
               PARTITION BY partner_id,
               session_id,
               entry_id,
               lone ORDER BY received_at,
               event_index) AS play_number
    FROM ordered o
),
lasting AS (
    SELECT t.*, e.duration
    FROM timed t LEFT JOIN entries e ON e.partner_id = t.partner_id AND e.id = t.entry_id
),
bounds AS (
    SELECT *,
           least(100, greatest(0, floor(
               100 * (position - period * coalesce(playback_speed, 1)) / duration)))::INT AS lo,
           least(100, greatest(0, floor(100 * position / duration)))::INT AS hi
    FROM lasting
),
watched AS (
    SELECT *,
           CASE WHEN NOT incoming THEN coverage
                WHEN playback_type = 'vod' AND duration > 0 AND position IS NOT NULL
                THEN ((1::HUGEINT << (hi + 1)::HUGEINT) - 1) & ~((1::HUGEINT << lo::HUGEINT) - 1)
                END AS own
    FROM bounds
),
covered AS (
    SELECT *,
           bit_or(own) OVER (
               PARTITION BY partner_id,
               session_id,
               entry_id,
               lone,
               play_number ORDER BY received_at,
               event_index
               ROWS UNBOUNDED PRECEDING) AS so_far
    FROM watched
),
derived AS (
    SELECT _row, period AS play_time, so_far AS coverage,
           (coalesce(bit_count(so_far), 0) - coalesce(bit_count(lag(so_far) OVER (
               PARTITION BY partner_id,
               session_id,
               entry_id,
               lone,
               play_number ORDER BY received_at,
               event_index)),
               0)
           )::SMALLINT AS new_percentiles,
           incoming
    FROM covered
)
SELECT _row, play_time, coverage, new_percentiles FROM derived WHERE incoming
UNION ALL
SELECT n._row, e.duration / 4.0, NULL, NULL
FROM numbered n
JOIN entries e ON e.partner_id = n.partner_id AND e.id = n.entry_id
WHERE n.event_type_id IN (11, 12, 13, 14) AND n.playback_type = 'vod';

INSERT INTO player_events BY NAME
SELECT i.* EXCLUDE (_row), d.play_time, d.coverage, d.new_percentiles
FROM _beacons i LEFT JOIN _derived d ON d._row = i._row;

CREATE TEMP TABLE _hours AS
SELECT DISTINCT partner_id, date_trunc('hour', received_at) AS bucket FROM _beacons;

DELETE FROM player_facts WHERE (partner_id, bucket) IN (SELECT * FROM _hours);

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
WHERE (partner_id, date_trunc('hour', received_at)) IN (SELECT * FROM _hours)
GROUP BY ALL;

DROP TABLE _hours;

DROP TABLE _derived;

DROP TABLE _beacons;

DROP TABLE _plays;
