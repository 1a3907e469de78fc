-- room-event fields the chat and collaboration reports read: poll visuals, groups and scheduling, thread labels, registration app and role

-- pollLaunched's visualType, visualIcon, groupPollId, groupPollName and schedulingType, then
-- questionThreadModerated's labels (set by the action labeled), then registered's and
-- unregistered's appGuid and registered's jobRole. NULL in the events stored before: their
-- senders could not say. One column at a time: adding them in one transaction held all eight
-- for 35 million events in memory at once.
-- stepwise
ALTER TABLE room_events ADD COLUMN IF NOT EXISTS visual_type VARCHAR;

ALTER TABLE room_events ADD COLUMN IF NOT EXISTS visual_icon VARCHAR;

ALTER TABLE room_events ADD COLUMN IF NOT EXISTS group_poll_id VARCHAR;

ALTER TABLE room_events ADD COLUMN IF NOT EXISTS group_poll_name VARCHAR;

ALTER TABLE room_events ADD COLUMN IF NOT EXISTS scheduling_type VARCHAR;

ALTER TABLE room_events ADD COLUMN IF NOT EXISTS labels VARCHAR[];

ALTER TABLE room_events ADD COLUMN IF NOT EXISTS app_guid VARCHAR;

ALTER TABLE room_events ADD COLUMN IF NOT EXISTS job_role VARCHAR;
