"""The entry lifecycle: one row per entry added, deleted or changed in length or size (Kaltura's
``entry-lifecycle`` data source, which reports 17, 38, 39, 41 and 60 read, and its
``storage-usage`` one, which reports 17, 60 and 201 read).

Rows are written in the same transaction as the entity write that causes them
(:func:`record_entry_writes`, called by ``vantage.entities.repository``), one batch statement
per write. Comparing the entries as written with the entries as stored:

================================================  ==================  =====  ==================
what the write does                               ``event_type``      delta  ``duration`` (s),
                                                                             ``size`` (bytes)
================================================  ==================  =====  ==================
stores an entry id not stored before              ``physicalAdd``     +1     its duration, size
… with status ``deleted`` (an import of history)  ``physicalAdd`` and +1, −1 ± each
                                                  ``physicalDelete``
makes a stored entry ``deleted``                  ``physicalDelete``  −1     −its stored ones
makes a ``deleted`` entry live again              ``physicalAdd``     +1     its duration, size
changes a live entry's duration                   ``durationChange``  0      new − old; size 0
changes a live entry's size                       ``sizeChange``      0      duration 0; new − old
================================================  ==================  =====  ==================

``durationChange`` and ``sizeChange`` are Vantage's own (Kaltura has no such events): with
them, Σ ``delta`` over an entry's rows is 1 while it is live and 0 once deleted, and Σ
``duration`` and Σ ``size`` are its current duration and size while live and 0 once deleted,
whatever happened in between. A missing duration or size counts as 0. ``pending`` and
``ready`` are both live; Kaltura's ``status`` event is not written. Anything else an upsert
changes (name, tags, …) writes no row.

``time`` is when it happened: for an add of a new entry its ``createdAt`` when given, else the
time of the write; for everything else the time of the write (a delete of an entry stored
already deleted is never before its add). The other columns describe the entry: as written for
adds and changes, as it was stored (and counted) for deletes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pyarrow as pa

from vantage.store.engine import WriteSession

TABLE = "entry_lifecycle"

COLUMNS: tuple[tuple[str, str], ...] = (
    ("partner_id", "BIGINT"),
    ("entry_id", "VARCHAR"),
    ("time", "TIMESTAMP"),
    ("event_type", "VARCHAR"),
    ("delta", "BIGINT"),
    ("duration", "DOUBLE"),
    ("media_type", "BIGINT"),
    ("source_type", "BIGINT"),
    ("entry_source", "VARCHAR"),
    ("creator_user_id", "VARCHAR"),
    ("kind", "VARCHAR"),
    ("size", "DOUBLE"),
)
"""The table's columns and SQL types, in order (migration 6 creates it, migration 7 adds
``size``; a test compares)."""

PHYSICAL_ADD = "physicalAdd"
PHYSICAL_DELETE = "physicalDelete"
DURATION_CHANGE = "durationChange"
SIZE_CHANGE = "sizeChange"
EVENT_TYPES = (PHYSICAL_ADD, PHYSICAL_DELETE, DURATION_CHANGE, SIZE_CHANGE)

# --- entry source names ---------------------------------------------------------------------

TAG_SOURCES: dict[str, str] = {
    "kalturaclassroom": "Classroom Capture",
    "kalturacapture": "Kaltura Capture",
    "videomessage": "Kaltura Pitch",
    "kms-webcast-event": "Kaltura Webcast",
    "raptentry": "Interactive Video",
    "webexentry": "Webex",
    "zoomentry": "Zoom",
    "expressrecorder": "Express Recorder",
    "kmsnativeandroid": "KMS GO Android",
    "kmsnativeios": "KMS GO iOS",
    "kalturameeting": "Kaltura Meeting",
    "onedrive": "OneDrive",
    "webexapi": "Webex API",
    "teamsentry": "Teams Entry",
}
"""Admin tags (lower case) that name the application an entry came from."""

SOURCE_TYPES: dict[int, str] = {
    0: "Other",
    1: "Upload",
    2: "Webcam",
    3: "Flickr",
    4: "Youtube",
    5: "Url",
    6: "Text",
    7: "Myspace",
    8: "Photobucket",
    9: "Jamendo",
    10: "Ccmixter",
    11: "Nypl",
    12: "Current",
    13: "Commons",
    20: "Kaltura",
    21: "Kaltura user clips",
    22: "Archive org",
    23: "Kaltura partner",
    24: "Metacafe",
    29: "Live stream akamai legacy",
    30: "Live stream manual",
    31: "Live stream akamai universal",
    32: "Live stream",
    33: "Live channel",
    34: "Recorded live stream",
    35: "Clip",
    36: "Recorded live stream",
    37: "Classroom Capture",
}
"""Kaltura's entry source type numbers and their names."""

_BLANKS = " \t\n\r\x0b"  # what PHP's trim() strips around a tag (NUL aside)


def entry_source(admin_tags: Iterable[str], source_type: int | None) -> str | None:
    """Kaltura's entry source name (kaltura-report-service §8.4, KAVA ``getEntrySourceType``).

    The entry's first admin tag (in the entry's order, trimmed, case-insensitive) that names
    an application (:data:`TAG_SOURCES`), else the name of its source type
    (:data:`SOURCE_TYPES`); ``None`` when neither says anything. Kaltura's third rule (custom
    data ``externalSource`` "YouTube" → "External Youtube") has no Vantage field.
    It is worked out when an entry is written and stored with it (``entries.entry_source``).
    """
    for tag in admin_tags:
        name = TAG_SOURCES.get(tag.strip(_BLANKS).lower())
        if name is not None:
            return name
    return SOURCE_TYPES.get(source_type) if source_type is not None else None


def with_entry_sources(entries: pa.Table) -> pa.Table:
    """Entries as written, with each one's :func:`entry_source` (stored with the entry, so that
    reports on any engine read it as a column)."""
    sources = [
        entry_source(tags or (), source_type)
        for tags, source_type in zip(
            entries.column("admin_tags").to_pylist(),
            entries.column("source_type").to_pylist(),
            strict=True,
        )
    ]
    return entries.append_column("entry_source", pa.array(sources, pa.string()))


# --- the rows a write makes -----------------------------------------------------------------

_ATTRIBUTES = ("media_type", "source_type", "creator_user_id", "kind")


def _changes_sql(incoming: str, stored: str, written: str) -> str:
    """INSERT of the lifecycle rows that writing the entries ``incoming`` (all columns of
    ``entries``, one row per key) over the entries ``stored`` makes; ``written`` is the time
    of the write, an expression that may use ``n`` (the incoming row)."""
    new = ", ".join(f"n.{a}" for a in _ATTRIBUTES)
    # The entry as it was counted: as stored, or as written when it is new.
    counted = ", ".join(
        f"CASE WHEN o.id IS NULL THEN n.{a} ELSE o.{a} END AS o_{a}" for a in _ATTRIBUTES
    )
    o_source = "CASE WHEN o.id IS NULL THEN n.entry_source ELSE o.entry_source END"
    as_new = ", ".join(_ATTRIBUTES)
    as_counted = ", ".join(f"o_{a} AS {a}" for a in _ATTRIBUTES)
    return f"""
INSERT INTO {TABLE} BY NAME
WITH pairs AS (
    SELECT n.partner_id, n.id AS entry_id,
           o.id IS NOT NULL AS existed,
           o.id IS NOT NULL AND o.status <> 'deleted' AS was_live,
           n.status <> 'deleted' AS is_live,
           CAST(coalesce(o.duration, 0) AS DOUBLE) AS old_duration,
           CAST(coalesce(n.duration, 0) AS DOUBLE) AS new_duration,
           CAST(coalesce(o.size, 0) AS DOUBLE) AS old_size,
           CAST(coalesce(n.size, 0) AS DOUBLE) AS new_size,
           CAST({written} AS TIMESTAMP) AS written,
           CASE WHEN o.id IS NULL THEN coalesce(n.created_at, CAST({written} AS TIMESTAMP))
                ELSE CAST({written} AS TIMESTAMP) END AS added,
           {new}, n.entry_source,
           {counted}, {o_source} AS o_entry_source
    FROM {incoming} n
    LEFT JOIN {stored} o ON o.partner_id = n.partner_id AND o.id = n.id
)
SELECT partner_id, entry_id, added AS time, '{PHYSICAL_ADD}' AS event_type, 1 AS delta,
       new_duration AS duration, new_size AS size, entry_source, {as_new}
FROM pairs WHERE NOT was_live AND (is_live OR NOT existed)
UNION ALL
SELECT partner_id, entry_id, greatest(written, added) AS time,
       '{PHYSICAL_DELETE}' AS event_type, -1 AS delta,
       -(CASE WHEN existed THEN old_duration ELSE new_duration END) AS duration,
       -(CASE WHEN existed THEN old_size ELSE new_size END) AS size,
       o_entry_source AS entry_source, {as_counted}
FROM pairs WHERE NOT is_live AND (was_live OR NOT existed)
UNION ALL
SELECT partner_id, entry_id, written AS time, '{DURATION_CHANGE}' AS event_type, 0 AS delta,
       new_duration - old_duration AS duration, 0.0 AS size, entry_source, {as_new}
FROM pairs WHERE was_live AND is_live AND new_duration <> old_duration
UNION ALL
SELECT partner_id, entry_id, written AS time, '{SIZE_CHANGE}' AS event_type, 0 AS delta,
       0.0 AS duration, new_size - old_size AS size, entry_source, {as_new}
FROM pairs WHERE was_live AND is_live AND new_size <> old_size
"""


_RECORD_SQL = _changes_sql("_lifecycle_incoming", "entries", "$1")


def write_time() -> dt.datetime:
    """Now, as the store keeps times (naive UTC)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def record_entry_writes(
    tx: WriteSession, incoming: pa.Table, at: dt.datetime | None = None
) -> None:
    """Write the lifecycle rows for storing ``incoming`` (rows of ``entries``, every column,
    each key once) over what is stored now; call it before the entries themselves are written,
    in the same transaction. ``at`` is the time of the write (naive UTC; default now)."""
    if incoming.num_rows:
        tx.execute(_RECORD_SQL, (at or write_time(),), _lifecycle_incoming=incoming)
