-- room presence facts: presence periods summed per hour (vantage.store.room_presence)

-- One row per partner, hour of the event's time, room, session, person, virtual event and
-- engagement; each append adds its own rows, and the server's upkeep merges the hours listed in
-- room_presence_dirty. No primary key: session and virtual event may be empty.
CREATE TABLE room_presence (
    partner_id BIGINT NOT NULL,
    bucket TIMESTAMP NOT NULL,
    entry_id VARCHAR NOT NULL,
    session_id VARCHAR,
    user_id VARCHAR NOT NULL,
    virtual_event_id BIGINT,
    engaged BOOLEAN NOT NULL,
    view_time DOUBLE,
    periods BIGINT NOT NULL,
    first_time TIMESTAMP NOT NULL,
    last_time TIMESTAMP NOT NULL
);

CREATE TABLE room_presence_dirty (bucket TIMESTAMP PRIMARY KEY);

-- The events stored so far, as the rule stood at version 11: engaged is the tab focused, full
-- screen, the camera on or on stage.
INSERT INTO room_presence
SELECT partner_id, date_trunc('hour', time) AS bucket, entry_id, session_id, user_id,
       virtual_event_id,
       coalesce(tab_focused OR full_screen OR camera_on OR on_stage, false) AS engaged,
       sum(view_time) AS view_time, count(*) AS periods, min(time) AS first_time,
       max(time) AS last_time
FROM room_events
WHERE event_type = 'viewPeriod'
GROUP BY ALL;
