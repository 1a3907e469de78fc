-- room-event fields the chat and collaboration reports read: poll visuals, groups and scheduling, thread labels, registration app and role

-- pollLaunched's visualType, visualIcon, groupPollId, groupPollName and schedulingType, then
-- questionThreadModerated's labels (set by the action labeled), then registered's and
-- unregistered's appGuid and registered's jobRole. NULL in the events stored before: their
-- senders could not say.
ALTER TABLE room_events ADD COLUMN visual_type VARCHAR;

ALTER TABLE room_events ADD COLUMN visual_icon VARCHAR;

ALTER TABLE room_events ADD COLUMN group_poll_id VARCHAR;

ALTER TABLE room_events ADD COLUMN group_poll_name VARCHAR;

ALTER TABLE room_events ADD COLUMN scheduling_type VARCHAR;

ALTER TABLE room_events ADD COLUMN labels VARCHAR[];

ALTER TABLE room_events ADD COLUMN app_guid VARCHAR;

ALTER TABLE room_events ADD COLUMN job_role VARCHAR;
