-- entry lifecycle: entries added, deleted and changed in length

-- No primary key: an event table, appended to by every entry write (vantage.store.lifecycle says
-- which rows a write makes).
CREATE TABLE entry_lifecycle (
    partner_id BIGINT NOT NULL,
    entry_id VARCHAR NOT NULL,
    time TIMESTAMP NOT NULL,
    event_type VARCHAR NOT NULL,
    delta BIGINT NOT NULL,
    duration DOUBLE NOT NULL,
    media_type BIGINT,
    source_type BIGINT,
    entry_source VARCHAR,
    creator_user_id VARCHAR,
    kind VARCHAR
);

-- The rows of every entry already stored, as if each were written now for the first time, with its
-- updatedAt (else now) as the time of the write: a physicalAdd at coalesce(createdAt, updatedAt,
-- now), and for a deleted entry a physicalDelete at its updatedAt (else now). Entries have no size
-- yet (version 7 adds sizes: 0 for the rows before it).
INSERT INTO entry_lifecycle BY NAME
WITH pairs AS (
    SELECT n.partner_id, n.id AS entry_id,
           o.id IS NOT NULL AS existed,
           o.id IS NOT NULL AND o.status <> 'deleted' AS was_live,
           n.status <> 'deleted' AS is_live,
           CAST(coalesce(o.duration, 0) AS DOUBLE) AS old_duration,
           CAST(coalesce(n.duration, 0) AS DOUBLE) AS new_duration,
           CAST(coalesce(n.updated_at, make_timestamp(epoch_us(now()))) AS TIMESTAMP) AS written,
           CASE WHEN o.id IS NULL THEN coalesce(n.created_at, CAST(coalesce(n.updated_at,
               make_timestamp(epoch_us(now()))) AS TIMESTAMP))
                ELSE CAST(coalesce(n.updated_at, make_timestamp(epoch_us(now()))) AS TIMESTAMP) END
                    AS added,
           n.media_type,
           n.source_type,
           n.creator_user_id,
           n.kind,
           coalesce(CASE list_filter(list_transform(n.admin_tags, lambda t: lower(trim(t, chr(32) ||
               chr(9) || chr(10) || chr(13) || chr(11)))), lambda t: t IN ('kalturaclassroom',
               'kalturacapture', 'videomessage', 'kms-webcast-event', 'raptentry', 'webexentry',
               'zoomentry', 'expressrecorder', 'kmsnativeandroid', 'kmsnativeios', 'kalturameeting',
               'onedrive', 'webexapi', 'teamsentry'))[1] WHEN 'kalturaclassroom' THEN
               'Classroom Capture' WHEN 'kalturacapture' THEN 'Kaltura Capture' WHEN 'videomessage'
               THEN 'Kaltura Pitch' WHEN 'kms-webcast-event' THEN 'Kaltura Webcast' WHEN 'raptentry'
               THEN 'Interactive Video' WHEN 'webexentry' THEN 'Webex' WHEN 'zoomentry' THEN 'Zoom'
               WHEN 'expressrecorder' THEN 'Express Recorder' WHEN 'kmsnativeandroid' THEN
               'KMS GO Android' WHEN 'kmsnativeios' THEN 'KMS GO iOS' WHEN 'kalturameeting' THEN
               'Kaltura Meeting' WHEN 'onedrive' THEN 'OneDrive' WHEN 'webexapi' THEN 'Webex API'
               WHEN 'teamsentry' THEN 'Teams Entry' END, CASE n.source_type WHEN 0 THEN 'Other' WHEN
               1 THEN 'Upload' WHEN 2 THEN 'Webcam' WHEN 3 THEN 'Flickr' WHEN 4 THEN 'Youtube' WHEN
               5 THEN 'Url' WHEN 6 THEN 'Text' WHEN 7 THEN 'Myspace' WHEN 8 THEN 'Photobucket' WHEN
               9 THEN 'Jamendo' WHEN 10 THEN 'Ccmixter' WHEN 11 THEN 'Nypl' WHEN 12 THEN 'Current'
               WHEN 13 THEN 'Commons' WHEN 20 THEN 'Kaltura' WHEN 21 THEN 'Kaltura user clips' WHEN
               22 THEN 'Archive org' WHEN 23 THEN 'Kaltura partner' WHEN 24 THEN 'Metacafe' WHEN 29
               THEN 'Live stream akamai legacy' WHEN 30 THEN 'Live stream manual' WHEN 31 THEN
               'Live stream akamai universal' WHEN 32 THEN 'Live stream' WHEN 33 THEN 'Live channel'
               WHEN 34 THEN 'Recorded live stream' WHEN 35 THEN 'Clip' WHEN 36 THEN
               'Recorded live stream' WHEN 37 THEN 'Classroom Capture' END) AS entry_source,
           CASE WHEN o.id IS NULL THEN n.media_type ELSE o.media_type END AS o_media_type,
           CASE WHEN o.id IS NULL THEN n.source_type ELSE o.source_type END AS o_source_type,
           CASE WHEN o.id IS NULL THEN n.creator_user_id ELSE o.creator_user_id END AS
               o_creator_user_id,
           CASE WHEN o.id IS NULL THEN n.kind ELSE o.kind END AS o_kind,
           coalesce(CASE list_filter(list_transform(CASE WHEN o.id IS NULL THEN n.admin_tags ELSE
               o.admin_tags END, lambda t: lower(trim(t, chr(32) || chr(9) || chr(10) || chr(13) ||
               chr(11)))), lambda t: t IN ('kalturaclassroom', 'kalturacapture', 'videomessage',
               'kms-webcast-event', 'raptentry', 'webexentry', 'zoomentry', 'expressrecorder',
               'kmsnativeandroid', 'kmsnativeios', 'kalturameeting', 'onedrive', 'webexapi',
               'teamsentry'))[1] WHEN 'kalturaclassroom' THEN 'Classroom Capture' WHEN
               'kalturacapture' THEN 'Kaltura Capture' WHEN 'videomessage' THEN 'Kaltura Pitch' WHEN
               'kms-webcast-event' THEN 'Kaltura Webcast' WHEN 'raptentry' THEN 'Interactive Video'
               WHEN 'webexentry' THEN 'Webex' WHEN 'zoomentry' THEN 'Zoom' WHEN 'expressrecorder'
               THEN 'Express Recorder' WHEN 'kmsnativeandroid' THEN 'KMS GO Android' WHEN
               'kmsnativeios' THEN 'KMS GO iOS' WHEN 'kalturameeting' THEN 'Kaltura Meeting' WHEN
               'onedrive' THEN 'OneDrive' WHEN 'webexapi' THEN 'Webex API' WHEN 'teamsentry' THEN
               'Teams Entry' END, CASE CASE WHEN o.id IS NULL THEN n.source_type ELSE o.source_type
               END WHEN 0 THEN 'Other' WHEN 1 THEN 'Upload' WHEN 2 THEN 'Webcam' WHEN 3 THEN
               'Flickr' WHEN 4 THEN 'Youtube' WHEN 5 THEN 'Url' WHEN 6 THEN 'Text' WHEN 7 THEN
               'Myspace' WHEN 8 THEN 'Photobucket' WHEN 9 THEN 'Jamendo' WHEN 10 THEN 'Ccmixter'
               WHEN 11 THEN 'Nypl' WHEN 12 THEN 'Current' WHEN 13 THEN 'Commons' WHEN 20 THEN
               'Kaltura' WHEN 21 THEN 'Kaltura user clips' WHEN 22 THEN 'Archive org' WHEN 23 THEN
               'Kaltura partner' WHEN 24 THEN 'Metacafe' WHEN 29 THEN 'Live stream akamai legacy'
               WHEN 30 THEN 'Live stream manual' WHEN 31 THEN 'Live stream akamai universal' WHEN 32
               THEN 'Live stream' WHEN 33 THEN 'Live channel' WHEN 34 THEN 'Recorded live stream'
               WHEN 35 THEN 'Clip' WHEN 36 THEN 'Recorded live stream' WHEN 37 THEN
               'Classroom Capture' END) AS o_entry_source
    FROM entries n
    LEFT JOIN (SELECT * FROM entries WHERE false) o ON o.partner_id = n.partner_id AND o.id = n.id
)
SELECT partner_id, entry_id, added AS time, 'physicalAdd' AS event_type, 1 AS delta,
       new_duration AS duration, entry_source, media_type, source_type, creator_user_id, kind
FROM pairs WHERE NOT was_live AND (is_live OR NOT existed)
UNION ALL
SELECT partner_id, entry_id, greatest(written, added) AS time,
       'physicalDelete' AS event_type, -1 AS delta,
       -(CASE WHEN existed THEN old_duration ELSE new_duration END) AS duration,
       o_entry_source AS entry_source,
       o_media_type AS media_type,
       o_source_type AS source_type,
       o_creator_user_id AS creator_user_id,
       o_kind AS kind
FROM pairs WHERE NOT is_live AND (was_live OR NOT existed)
UNION ALL
SELECT partner_id, entry_id, written AS time, 'durationChange' AS event_type, 0 AS delta,
       new_duration - old_duration AS duration,
       entry_source,
       media_type,
       source_type,
       creator_user_id,
       kind
FROM pairs WHERE was_live AND is_live AND new_duration <> old_duration;
