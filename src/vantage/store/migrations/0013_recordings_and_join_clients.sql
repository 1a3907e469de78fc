-- the entry a recording was made from, and the client a person joined a session with

-- entries.root_entry_id: the entry this one was made from (Kaltura's rootEntryId), so a room's
-- recordings are found by the room. room_events.device: joinSession's device class, named as the
-- player enrichment names a viewer's; joinSession's country shares registered's column. NULL in
-- what was stored before: its senders did not say. One column per transaction, as 0012.
-- stepwise
ALTER TABLE entries ADD COLUMN IF NOT EXISTS root_entry_id VARCHAR;

ALTER TABLE room_events ADD COLUMN IF NOT EXISTS device VARCHAR;
