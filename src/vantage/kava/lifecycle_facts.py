"""The entry lifecycle (vantage.store.lifecycle) as facts, for the reports on what was added,
deleted and stored (Kaltura's ``entry-lifecycle`` and ``storage-usage`` sources: 17 USER_USAGE,
39 TOP_CONTENT_CONTRIBUTORS, 41 TOP_SOURCES, 60 SELF_SERVE_USAGE, 201 PARTNER_USAGE).

Aggregated when a report asks; ``owner_id`` is the entry's creator, the key the player facts
also get when a report groups plays by the owner of what was played.
"""

from __future__ import annotations

from vantage.store.lifecycle import (
    DURATION_CHANGE,
    PHYSICAL_ADD,
    PHYSICAL_DELETE,
    SIZE_CHANGE,
    TABLE,
)

COLUMNS = frozenset({"partner_id", "bucket", "entry_id", "owner_id", "entry_source"})
"""The keys of lifecycle facts (filters on any other fact key do not apply to them)."""

_ADD = f"event_type = '{PHYSICAL_ADD}'"
_DELETE = f"event_type = '{PHYSICAL_DELETE}'"
_RESIZE = f"event_type = '{SIZE_CHANGE}'"

MEASURES: dict[str, str] = {
    "n_physicalAdd": f"count(*) FILTER ({_ADD})",
    "n_physicalDelete": f"count(*) FILTER ({_DELETE})",
    "n_durationChange": f"count(*) FILTER (event_type = '{DURATION_CHANGE}')",
    "n_sizeChange": f"count(*) FILTER ({_RESIZE})",
    "net_entries": "sum(delta)",
    "added_duration": f"sum(duration) FILTER ({_ADD})",
    "deleted_duration": f"-sum(duration) FILTER ({_DELETE})",
    "net_duration": "sum(duration)",
    # Storage grows with what is added and with entries that grow; it shrinks with what is
    # deleted and with entries that shrink.
    "added_size": f"sum(size) FILTER ({_ADD} OR ({_RESIZE} AND size > 0))",
    "deleted_size": f"-sum(size) FILTER ({_DELETE} OR ({_RESIZE} AND size < 0))",
    "net_size": "sum(size)",
}


def aggregate_sql(where: str, bucket: str) -> str:
    """Lifecycle facts of the rows matching ``where`` per time ``bucket`` (of ``time``)."""
    measures = ",\n       ".join(f"{sql} AS {name}" for name, sql in MEASURES.items())
    return f"""SELECT partner_id, {bucket} AS bucket, entry_id, creator_user_id AS owner_id,
       entry_source, NULL::VARCHAR AS playback_type, 'lifecycle' AS fact_source,
       {measures}
FROM {TABLE}
WHERE {where}
GROUP BY ALL"""
