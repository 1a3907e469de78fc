"""The derivation of the beacons' columns as DuckDB SQL, as the store ran it before the ingest
tier worked them out in Python: the reference vantage.player.derive is checked against
(tests/player/test_derive.py), kept with the tests because nothing in Vantage runs it now."""

from __future__ import annotations

from vantage.player.facts import DERIVED, PLAY_GAP_SECONDS, QUARTILES, RESET_LIMIT_SECONDS, VIEW


def derive_sql(incoming: str, stored: str | None) -> str:
    """SELECT ``_row`` and the derived columns of the rows of ``incoming`` that have any (views
    and quartiles); ``incoming`` numbers its rows in ``_row``.

    ``stored`` names the table holding earlier beacons (their derived columns set); each play's
    latest stored view before the incoming ones continues the play. Parameters: the lowest
    and highest ``received_at`` of the incoming views, as unix microseconds.
    """
    play = "partner_id, session_id, entry_id"
    # Views without a session share no play: ``lone`` (their row) sets each apart.
    by_play = f"{play}, lone"
    carried = (
        f"""
    UNION ALL
    SELECT {play}, received_at, event_index, play_time_sum, position, playback_type,
           playback_speed, NULL AS _row, play_time, coverage, FALSE AS incoming, NULL AS lone
    FROM (
        SELECT *, row_number() OVER (
            PARTITION BY {play} ORDER BY received_at DESC, event_index DESC) AS latest
        FROM {stored} s
        WHERE event_type_id = {VIEW}
          AND received_at BETWEEN make_timestamp(?::BIGINT - {PLAY_GAP_SECONDS * 1_000_000})
                              AND make_timestamp(?::BIGINT)
          AND ({play}) IN (SELECT ({play}) FROM numbered WHERE event_type_id = {VIEW})
    )
    WHERE latest = 1"""
        if stored
        else ""
    )
    gap = f"INTERVAL {PLAY_GAP_SECONDS} SECOND"
    return f"""
WITH numbered AS (SELECT * FROM {incoming}),
views AS (
    SELECT {play}, received_at, event_index, play_time_sum, position, playback_type,
           playback_speed, _row, NULL::DOUBLE AS play_time, NULL::HUGEINT AS coverage,
           TRUE AS incoming, CASE WHEN session_id IS NULL THEN _row END AS lone
    FROM numbered WHERE event_type_id = {VIEW}{carried}
),
ordered AS (
    SELECT *,
           lag(received_at) OVER w AS previous_at,
           play_time_sum - lag(play_time_sum) OVER w AS since_previous
    FROM views
    WINDOW w AS (PARTITION BY {by_play} ORDER BY received_at, event_index)
),
timed AS (
    SELECT o.*,
           CASE WHEN NOT incoming THEN o.play_time
                WHEN previous_at >= received_at - {gap}
                     AND since_previous BETWEEN 0 AND {RESET_LIMIT_SECONDS} THEN since_previous
                ELSE least(coalesce(play_time_sum, 0), 10) END AS period,
           sum(CASE WHEN previous_at >= received_at - {gap} THEN 0 ELSE 1 END) OVER (
               PARTITION BY {by_play} ORDER BY received_at, event_index) AS play_number
    FROM ordered o
),
lasting AS (
    SELECT t.*, e.duration
    FROM timed t LEFT JOIN entries e ON e.partner_id = t.partner_id AND e.id = t.entry_id
),
bounds AS (
    SELECT *,
           least(100, greatest(0, floor(
               100 * (position - period * coalesce(playback_speed, 1)) / duration)))::INT AS lo,
           least(100, greatest(0, floor(100 * position / duration)))::INT AS hi
    FROM lasting
),
watched AS (
    SELECT *,
           CASE WHEN NOT incoming THEN coverage
                WHEN playback_type = 'vod' AND duration > 0 AND position IS NOT NULL
                THEN ((1::HUGEINT << (hi + 1)::HUGEINT) - 1) & ~((1::HUGEINT << lo::HUGEINT) - 1)
                END AS own
    FROM bounds
),
covered AS (
    SELECT *,
           bit_or(own) OVER (
               PARTITION BY {by_play}, play_number ORDER BY received_at, event_index
               ROWS UNBOUNDED PRECEDING) AS so_far
    FROM watched
),
derived AS (
    SELECT _row, period AS play_time, so_far AS coverage,
           (coalesce(bit_count(so_far), 0) - coalesce(bit_count(lag(so_far) OVER (
               PARTITION BY {by_play}, play_number ORDER BY received_at, event_index)), 0)
           )::SMALLINT AS new_percentiles,
           incoming
    FROM covered
)
SELECT _row, play_time, coverage, new_percentiles FROM derived WHERE incoming
UNION ALL
SELECT n._row, e.duration / 4.0, NULL, NULL
FROM numbered n
JOIN entries e ON e.partner_id = n.partner_id AND e.id = n.entry_id
WHERE n.event_type_id IN {QUARTILES} AND n.playback_type = 'vod'
"""


def with_derived_sql(incoming: str, derived: str) -> str:
    """SELECT the rows of ``incoming`` as stored: with the derived columns of ``derived``."""
    columns = ", ".join(f"d.{c.name}" for c in DERIVED)
    return (
        f"SELECT i.* EXCLUDE (_row), {columns} FROM {incoming} i "
        f"LEFT JOIN {derived} d ON d._row = i._row"
    )
