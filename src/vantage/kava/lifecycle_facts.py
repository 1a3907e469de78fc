"""The entry lifecycle (vantage.store.lifecycle) as facts, for the reports on who added what
(Kaltura's ``entry-lifecycle`` source: 39 TOP_CONTENT_CONTRIBUTORS, 41 TOP_SOURCES).

Aggregated when a report asks; ``owner_id`` is the entry's creator, the key the player facts
also get when a report groups plays by the owner of what was played.
"""

from __future__ import annotations

from vantage.store.lifecycle import PHYSICAL_ADD, PHYSICAL_DELETE, TABLE

COLUMNS = frozenset({"partner_id", "bucket", "entry_id", "owner_id", "entry_source"})
"""The keys of lifecycle facts (filters on any other fact key do not apply to them)."""

MEASURES: dict[str, str] = {
    "n_physicalAdd": f"count(*) FILTER (event_type = '{PHYSICAL_ADD}')",
    "n_physicalDelete": f"count(*) FILTER (event_type = '{PHYSICAL_DELETE}')",
    "added_duration": f"sum(duration) FILTER (event_type = '{PHYSICAL_ADD}')",
    "deleted_duration": f"-sum(duration) FILTER (event_type = '{PHYSICAL_DELETE}')",
}


def aggregate_sql(where: str, bucket: str) -> str:
    """Lifecycle facts of the rows matching ``where`` per time ``bucket`` (of ``time``)."""
    measures = ",\n       ".join(f"{sql} AS {name}" for name, sql in MEASURES.items())
    return f"""SELECT partner_id, {bucket} AS bucket, entry_id, creator_user_id AS owner_id,
       entry_source, NULL::VARCHAR AS playback_type,
       {measures}
FROM {TABLE}
WHERE {where}
GROUP BY ALL"""
