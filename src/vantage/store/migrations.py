"""Versioned schema of the store. Each migration runs once, in its own transaction.

Migrations are history: never edit one that has shipped; add the next. The event and entity
tables must match their declarations (vantage.events.columns, vantage.player.columns,
vantage.entities.model); a test checks that.
"""

from __future__ import annotations

from dataclasses import dataclass

from vantage.player import facts
from vantage.store import lifecycle
from vantage.store.engine import Engine


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


# The DOUBLE columns of player_events as of version 9 (the beacons' numbers and play_time).
_DOUBLES = (
    "position",
    "playback_speed",
    "session_start_time",
    "play_time_sum",
    "buffer_time",
    "buffer_time_sum",
    "actual_bitrate",
    "average_bitrate",
    "forward_buffer_health",
    "manifest_download_time",
    "segment_download_time",
    "bandwidth",
    "dropped_frames_ratio",
    "target_buffer",
    "network_connection_overhead",
    "player_js_load_time",
    "join_time",
    "can_play",
    "target_position",
    "play_time",
)
_NOT_FINITE = "(" + " OR ".join(f"NOT isfinite({c})" for c in _DOUBLES) + ")"
_IN_PLAYS = "(partner_id, session_id, entry_id) IN (SELECT * FROM _plays)"
_IN_HOURS = "(partner_id, {bucket}) IN (SELECT * FROM _hours)"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "entities, room events, store metadata",
        (
            """CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)""",
            """CREATE TABLE partners (
                id BIGINT PRIMARY KEY,
                name VARCHAR NOT NULL,
                admin_secrets VARCHAR[] NOT NULL,
                user_secret VARCHAR NOT NULL,
                parent_partner_id BIGINT,
                ks_version BIGINT NOT NULL,
                ks_max_expiry BIGINT NOT NULL,
                roles JSON NOT NULL,
                status VARCHAR NOT NULL,
                created_at TIMESTAMP
            )""",
            """CREATE TABLE users (
                partner_id BIGINT NOT NULL,
                id VARCHAR NOT NULL,
                first_name VARCHAR, last_name VARCHAR, email VARCHAR, title VARCHAR,
                company VARCHAR, industry VARCHAR, country VARCHAR, role VARCHAR,
                created_at TIMESTAMP,
                PRIMARY KEY (partner_id, id)
            )""",
            """CREATE TABLE entries (
                partner_id BIGINT NOT NULL,
                id VARCHAR NOT NULL,
                name VARCHAR NOT NULL,
                kind VARCHAR NOT NULL,
                creator_user_id VARCHAR,
                created_at TIMESTAMP,
                updated_at TIMESTAMP,
                duration BIGINT,
                media_type BIGINT,
                source_type BIGINT,
                admin_tags VARCHAR[] NOT NULL,
                tags VARCHAR[] NOT NULL,
                category_ids BIGINT[] NOT NULL,
                status VARCHAR NOT NULL,
                parent_entry_id VARCHAR,
                virtual_event_id BIGINT,
                PRIMARY KEY (partner_id, id)
            )""",
            """CREATE TABLE categories (
                partner_id BIGINT NOT NULL,
                id BIGINT NOT NULL,
                name VARCHAR NOT NULL,
                full_name VARCHAR,
                parent_id BIGINT,
                PRIMARY KEY (partner_id, id)
            )""",
            """CREATE TABLE virtual_events (
                partner_id BIGINT NOT NULL,
                id BIGINT NOT NULL,
                name VARCHAR NOT NULL,
                description VARCHAR,
                starts_at TIMESTAMP,
                ends_at TIMESTAMP,
                PRIMARY KEY (partner_id, id)
            )""",
            """CREATE TABLE room_sessions (
                partner_id BIGINT NOT NULL,
                id VARCHAR NOT NULL,
                entry_id VARCHAR NOT NULL,
                start_time TIMESTAMP,
                end_time TIMESTAMP,
                host_user_id VARCHAR,
                PRIMARY KEY (partner_id, id)
            )""",
            # No primary key: an index over hundreds of millions of events would cost more
            # memory than the store's budget. Duplicates are found by (partner, id, time),
            # which the time zone maps keep cheap (see vantage.store.room_events).
            """CREATE TABLE room_events (
                event_type VARCHAR NOT NULL,
                event_id VARCHAR,
                partner_id BIGINT NOT NULL,
                entry_id VARCHAR NOT NULL,
                session_id VARCHAR,
                user_id VARCHAR NOT NULL,
                time TIMESTAMP NOT NULL,
                virtual_event_id BIGINT,
                role VARCHAR,
                view_time DOUBLE,
                tab_focused BOOLEAN,
                sound_on BOOLEAN,
                mic_unmuted BOOLEAN,
                camera_on BOOLEAN,
                full_screen BOOLEAN,
                on_stage BOOLEAN,
                reaction VARCHAR,
                message_id VARCHAR,
                text VARCHAR,
                reply_to_message_id VARCHAR,
                context_id VARCHAR,
                recipient_user_id VARCHAR,
                thread_id VARCHAR,
                action VARCHAR,
                poll_id VARCHAR,
                question VARCHAR,
                poll_type VARCHAR,
                options VARCHAR[],
                correct_answer VARCHAR,
                answer VARCHAR,
                is_correct BOOLEAN,
                attachment_id VARCHAR,
                attachment_title VARCHAR,
                first_name VARCHAR,
                last_name VARCHAR,
                email VARCHAR,
                title VARCHAR,
                company VARCHAR,
                industry VARCHAR,
                country VARCHAR,
                received_at TIMESTAMP NOT NULL
            )""",
        ),
    ),
    Migration(
        2,
        "player beacons",
        (
            # No primary key, as for room_events; duplicates are found by (partner, session,
            # event index) near the receive time (see vantage.store.player_events).
            """CREATE TABLE player_events (
                event_type VARCHAR NOT NULL,
                event_type_id BIGINT NOT NULL,
                partner_id BIGINT NOT NULL,
                entry_id VARCHAR NOT NULL,
                session_id VARCHAR NOT NULL,
                event_index BIGINT,
                referrer VARCHAR,
                delivery_type VARCHAR,
                playback_type VARCHAR,
                client_ver VARCHAR,
                client_tag VARCHAR,
                position DOUBLE,
                playback_speed DOUBLE,
                player_skin VARCHAR,
                caption VARCHAR,
                session_start_time DOUBLE,
                virtual_event_id BIGINT,
                ui_conf_id BIGINT,
                playlist_id VARCHAR,
                custom_var1 VARCHAR,
                custom_var2 VARCHAR,
                custom_var3 VARCHAR,
                playback_context VARCHAR,
                application VARCHAR,
                application_ver VARCHAR,
                kaltura_application BIGINT,
                kaltura_application_ver VARCHAR,
                user_id VARCHAR,
                persistent_session_id VARCHAR,
                hosting_kaltura_application BIGINT,
                hosting_kaltura_application_version VARCHAR,
                play_time_sum DOUBLE,
                buffer_time DOUBLE,
                buffer_time_sum DOUBLE,
                actual_bitrate DOUBLE,
                average_bitrate DOUBLE,
                audio_language VARCHAR,
                sound_mode BIGINT,
                tab_mode BIGINT,
                viewability_mode BIGINT,
                screen_mode BIGINT,
                forward_buffer_health DOUBLE,
                manifest_download_time DOUBLE,
                segment_download_time DOUBLE,
                bandwidth DOUBLE,
                dropped_frames_ratio DOUBLE,
                target_buffer DOUBLE,
                network_connection_type VARCHAR,
                network_connection_overhead DOUBLE,
                flavor_params_id BIGINT,
                playback_mode VARCHAR,
                source_entry_id VARCHAR,
                player_js_load_time DOUBLE,
                loaded_plugins VARCHAR[],
                join_time DOUBLE,
                can_play DOUBLE,
                social_network VARCHAR,
                report_type VARCHAR,
                target_position DOUBLE,
                language VARCHAR,
                error_code BIGINT,
                error_details VARCHAR,
                error_position BIGINT,
                server_node_ids VARCHAR,
                client_internal_ip VARCHAR,
                feature VARCHAR,
                button_name VARCHAR,
                button_type VARCHAR,
                button_value VARCHAR,
                button_info VARCHAR,
                page_name VARCHAR,
                page_type VARCHAR,
                page_value VARCHAR,
                page_info VARCHAR,
                received_at TIMESTAMP NOT NULL,
                client_ip VARCHAR,
                user_agent VARCHAR
            )""",
        ),
    ),
    Migration(
        3,
        "player beacons enriched: location, user agent, referrer domain",
        (
            # Rows stored before have none of these; they stay NULL (unknown), as for a beacon
            # whose address or user agent says nothing.
            "ALTER TABLE player_events ADD COLUMN country_code VARCHAR",
            "ALTER TABLE player_events ADD COLUMN country VARCHAR",
            "ALTER TABLE player_events ADD COLUMN region VARCHAR",
            "ALTER TABLE player_events ADD COLUMN city VARCHAR",
            "ALTER TABLE player_events ADD COLUMN device VARCHAR",
            "ALTER TABLE player_events ADD COLUMN os_family VARCHAR",
            "ALTER TABLE player_events ADD COLUMN os VARCHAR",
            "ALTER TABLE player_events ADD COLUMN browser_family VARCHAR",
            "ALTER TABLE player_events ADD COLUMN browser VARCHAR",
            "ALTER TABLE player_events ADD COLUMN domain VARCHAR",
        ),
    ),
    Migration(
        4,
        "player view periods: each view beacon's play time and engagement class",
        (
            # A view (event 99) stands for the playback since the session's previous view:
            # playTimeSum is cumulative, so its play time is the difference, in send order.
            # The first view of an analytics session, one after a reset (playTimeSum starts
            # again) or after a gap the beacons cannot account for (over a minute) counts at
            # most one 10-second period. Engagement classes are Kaltura's (sound, tab, screen).
            """CREATE VIEW player_view_periods AS
            WITH views AS (
                SELECT *,
                       play_time_sum - lag(play_time_sum) OVER (
                           PARTITION BY partner_id, session_id, entry_id
                           ORDER BY received_at, event_index
                       ) AS since_previous
                FROM player_events
                WHERE event_type_id = 99
            )
            SELECT * EXCLUDE (since_previous),
                   CASE WHEN since_previous BETWEEN 0 AND 60 THEN since_previous
                        ELSE least(coalesce(play_time_sum, 0), 10) END AS play_time,
                   CASE WHEN sound_mode = 2 AND tab_mode = 2 AND screen_mode = 2 THEN 'high'
                        WHEN sound_mode = 2 AND tab_mode = 2 THEN 'good'
                        WHEN sound_mode = 2 THEN 'fair'
                        WHEN tab_mode = 2 THEN 'low'
                        ELSE 'none' END AS engagement,
                   concat(
                       CASE WHEN sound_mode = 2 THEN 'SoundOn' ELSE 'SoundOff' END,
                       CASE WHEN tab_mode = 2 THEN 'TabFocused' ELSE 'TabNotFocused' END,
                       CASE screen_mode WHEN 2 THEN 'FullScreen' WHEN 1 THEN 'FullScreenOff'
                            ELSE '' END
                   ) AS user_engagement
            FROM views""",
        ),
    ),
    Migration(
        5,
        "player beacons' derived play time and watched percentiles; hourly player facts",
        (
            # Derived columns are now stored with each beacon (vantage.player.facts): the
            # stored beacons are derived again as if they had just arrived, in one batch.
            "DROP VIEW player_view_periods",
            *(f"ALTER TABLE player_events ADD COLUMN {d.name} {d.sql_type}" for d in facts.DERIVED),
            "CREATE TEMP TABLE _beacons AS SELECT * EXCLUDE ("
            + ", ".join(d.name for d in facts.DERIVED)
            + "), row_number() OVER () AS _row FROM player_events",
            "DELETE FROM player_events",
            f"CREATE TEMP TABLE _derived AS {facts.derive_sql('_beacons', None)}",
            f"INSERT INTO player_events BY NAME {facts.with_derived_sql('_beacons', '_derived')}",
            "DROP TABLE _derived",
            "DROP TABLE _beacons",
            facts.facts_table_sql(),
            facts.insert_facts_sql("player_events"),
            f"""CREATE VIEW player_view_periods AS
            SELECT *, {facts.ENGAGEMENT} AS engagement, {facts.USER_ENGAGEMENT} AS user_engagement
            FROM player_events WHERE event_type_id = {facts.VIEW}""",
        ),
    ),
    Migration(
        6,
        "entry lifecycle: entries added, deleted and changed in length",
        (
            # No primary key: an event table, appended to by every entry write
            # (vantage.store.lifecycle says which rows a write makes).
            """CREATE TABLE entry_lifecycle (
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
            )""",
            # Entries stored before: a physicalAdd each (and a physicalDelete if deleted).
            lifecycle.BACKFILL_SQL,
        ),
    ),
    Migration(
        7,
        "entry sizes and their lifecycle; player facts with the bytes the views delivered",
        (
            # Entries stored before have no size (unknown: 0 in the storage reports); their
            # lifecycle rows change no size.
            "ALTER TABLE entries ADD COLUMN size BIGINT",
            "ALTER TABLE entry_lifecycle ADD COLUMN size DOUBLE",
            "UPDATE entry_lifecycle SET size = 0",
            # The facts are built again from the stored beacons with every measure declared
            # now (vantage.player.facts), the new ``delivered_bytes`` among them.
            "DROP TABLE player_facts",
            facts.facts_table_sql(),
            facts.insert_facts_sql("player_events"),
        ),
    ),
    Migration(
        8,
        "hours whose player facts await compaction",
        (
            f"CREATE TABLE {facts.DIRTY_TABLE} (bucket TIMESTAMP PRIMARY KEY)",
            # Every hour stored so far may hold rows of many commits.
            facts.mark_dirty_sql("player_events"),
        ),
    ),
    Migration(
        9,
        "player beacons without a session; NaN and infinity removed from stored beacons",
        (
            # An empty sessionId is accepted from now on and stored as NULL.
            "ALTER TABLE player_events ALTER COLUMN session_id DROP NOT NULL",
            # Beacons stored before numbers were checked may hold NaN or ±infinity: those values
            # become NULL (not sent). The plays holding such a beacon are derived again, whole,
            # from their beacons (as version 5 derived every play), and the facts of every hour
            # those plays touch are built again from the stored beacons.
            f"CREATE TEMP TABLE _plays AS SELECT DISTINCT partner_id, session_id, entry_id "
            f"FROM player_events WHERE {_NOT_FINITE}",
            "UPDATE player_events SET "
            + ", ".join(f"{c} = CASE WHEN isfinite({c}) THEN {c} END" for c in _DOUBLES)
            + f" WHERE {_NOT_FINITE}",
            "CREATE TEMP TABLE _beacons AS SELECT * EXCLUDE ("
            + ", ".join(d.name for d in facts.DERIVED)
            + "), row_number() OVER () AS _row FROM player_events "
            f"WHERE {_IN_PLAYS}",
            f"DELETE FROM player_events WHERE {_IN_PLAYS}",
            f"CREATE TEMP TABLE _derived AS {facts.derive_sql('_beacons', None)}",
            f"INSERT INTO player_events BY NAME {facts.with_derived_sql('_beacons', '_derived')}",
            "CREATE TEMP TABLE _hours AS SELECT DISTINCT partner_id, "
            "date_trunc('hour', received_at) AS bucket FROM _beacons",
            f"DELETE FROM player_facts WHERE {_IN_HOURS.format(bucket='bucket')}",
            "INSERT INTO player_facts BY NAME "
            + facts.aggregate_sql(
                "player_events", where=_IN_HOURS.format(bucket="date_trunc('hour', received_at)")
            ),
            "DROP TABLE _hours",
            "DROP TABLE _derived",
            "DROP TABLE _beacons",
            "DROP TABLE _plays",
        ),
    ),
)

LATEST = MIGRATIONS[-1].version


class SchemaTooNewError(RuntimeError):
    pass


def current_version(engine: Engine) -> int:
    exists = engine.query(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    )[0][0]
    if not exists:
        return 0
    return int(engine.query("SELECT coalesce(max(version), 0) FROM schema_migrations")[0][0])


def migrate(engine: Engine) -> list[int]:
    """Bring the store up to ``LATEST``; return the versions applied."""
    version = current_version(engine)
    if version > LATEST:
        raise SchemaTooNewError(
            f"the store is at schema version {version}, newer than this Vantage ({LATEST})"
        )
    applied = []
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        with engine.write() as tx:
            tx.execute(
                """CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, description VARCHAR NOT NULL,
                    applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"""
            )
            for statement in migration.statements:
                tx.execute(statement)
            tx.execute(
                "INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
                (migration.version, migration.description),
            )
        applied.append(migration.version)
    return applied
