-- player view periods: each view beacon's play time and engagement class

-- A view (event 99) stands for the playback since the session's previous view: playTimeSum is
-- cumulative, so its play time is the difference, in send order. The first view of an analytics
-- session, one after a reset (playTimeSum starts again) or after a gap the beacons cannot account
-- for (over a minute) counts at most one 10-second period. Engagement classes are Kaltura's (sound,
-- tab, screen).
CREATE VIEW player_view_periods AS
WITH views AS (
    SELECT *,
           play_time_sum - lag(play_time_sum) OVER (
               PARTITION BY partner_id, session_id, entry_id
               ORDER BY received_at, event_index
           ) AS since_previous
    FROM player_events
    WHERE event_type_id = 99
)
SELECT * EXCLUDE (since_previous),
       CASE WHEN since_previous BETWEEN 0 AND 60 THEN since_previous
            ELSE least(coalesce(play_time_sum, 0), 10) END AS play_time,
       CASE WHEN sound_mode = 2 AND tab_mode = 2 AND screen_mode = 2 THEN 'high'
            WHEN sound_mode = 2 AND tab_mode = 2 THEN 'good'
            WHEN sound_mode = 2 THEN 'fair'
            WHEN tab_mode = 2 THEN 'low'
            ELSE 'none' END AS engagement,
       concat(
           CASE WHEN sound_mode = 2 THEN 'SoundOn' ELSE 'SoundOff' END,
           CASE WHEN tab_mode = 2 THEN 'TabFocused' ELSE 'TabNotFocused' END,
           CASE screen_mode WHEN 2 THEN 'FullScreen' WHEN 1 THEN 'FullScreenOff'
                ELSE '' END
       ) AS user_engagement
FROM views;
