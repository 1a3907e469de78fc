-- player beacons enriched: location, user agent, referrer domain

-- Rows stored before have none of these; they stay NULL (unknown), as for a beacon whose address or
-- user agent says nothing.
ALTER TABLE player_events ADD COLUMN country_code VARCHAR;

ALTER TABLE player_events ADD COLUMN country VARCHAR;

ALTER TABLE player_events ADD COLUMN region VARCHAR;

ALTER TABLE player_events ADD COLUMN city VARCHAR;

ALTER TABLE player_events ADD COLUMN device VARCHAR;

ALTER TABLE player_events ADD COLUMN os_family VARCHAR;

ALTER TABLE player_events ADD COLUMN os VARCHAR;

ALTER TABLE player_events ADD COLUMN browser_family VARCHAR;

ALTER TABLE player_events ADD COLUMN browser VARCHAR;

ALTER TABLE player_events ADD COLUMN domain VARCHAR;
