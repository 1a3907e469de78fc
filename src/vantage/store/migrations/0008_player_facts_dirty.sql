-- hours whose player facts await compaction

CREATE TABLE player_facts_dirty (bucket TIMESTAMP PRIMARY KEY);

-- Every hour stored so far may hold rows of many commits.
INSERT INTO player_facts_dirty
SELECT DISTINCT date_trunc('hour', received_at) FROM player_events ON CONFLICT DO NOTHING;
