"""What a KAVA report row can stand for: the fact keys it groups by and its leading columns.

A dimension's columns are SQL over the grouped keys (``g.<key>``) and the entities joined to
them: ``en`` the entry, ``cr`` the entry's creator, ``u`` the user. Values Kaltura looks up
in its database (names, statuses, creation times) come from Vantage's entities.
"""

from __future__ import annotations

from dataclasses import dataclass

from vantage.room_sql import full_name as _full_name
from vantage.sql.duckdb import DuckDB

ENTRY_JOIN = "entry"
USER_JOIN = "user"
CREATOR_JOIN = "creator"
CATEGORY_JOIN = "category"
OWNER_JOIN = "owner"


@dataclass(frozen=True)
class Dimension:
    keys: tuple[str, ...]
    columns: tuple[tuple[str, str], ...]  # (header, SQL)
    joins: frozenset[str] = frozenset()

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(h for h, _ in self.columns)


# Kaltura's entry status numbers (entryStatus) for Vantage's statuses.
STATUS = "CASE en.status WHEN 'ready' THEN 2 WHEN 'deleted' THEN 3 WHEN 'pending' THEN 4 END"


def full_name(alias: str) -> str:
    return DuckDB().expr(_full_name(alias))


def entry_source(alias: str = "en") -> str:
    """Kaltura's entry source name of the entry ``alias`` (kaltura-report-service §8.4)."""
    return f"{alias}.entry_source"


_ENTRY = (("object_id", "g.entry_id"), ("entry_name", "en.name"))


def _single(key: str, header: str | None = None) -> Dimension:
    return Dimension((key,), ((header or key, f"g.{key}"),))


ENTRY = Dimension(("entry_id",), _ENTRY, frozenset({ENTRY_JOIN}))
ENTRY_CREATOR = Dimension(
    ("entry_id",),
    (
        *_ENTRY,
        ("creator_name", f"coalesce({full_name('cr')}, en.creator_user_id)"),
        ("created_at", "epoch(en.created_at)::BIGINT"),
        ("status", STATUS),
        ("media_type", "en.media_type"),
        ("duration_msecs", "en.duration * 1000"),
        ("entry_source", entry_source()),
    ),
    frozenset({ENTRY_JOIN, CREATOR_JOIN}),
)
ENTRY_STATUS = Dimension(
    ("entry_id",),
    (*_ENTRY, ("status", STATUS), ("entry_source", entry_source())),
    frozenset({ENTRY_JOIN}),
)
DOMAIN = Dimension(("domain",), (("object_id", "g.domain"), ("domain_name", "g.domain")))
REFERRER = _single("canonical_url", "referrer")
USER = Dimension(
    ("user_id",), (("name", "g.user_id"), ("full_name", full_name("u"))), frozenset({USER_JOIN})
)
USER_FRIENDLY = Dimension(USER.keys, (*USER.columns, ("email", "u.email")), USER.joins)
DEVICE = _single("device")
OS = _single("os")
BROWSER = _single("browser")
OS_FAMILY = _single("os_family")
BROWSER_FAMILY = _single("browser_family")
# Kaltura looks coordinates up in a cache Vantage does not have: they stay empty.
COUNTRY = Dimension(
    ("country_code", "country"),
    (("object_id", "g.country_code"), ("country", "g.country"), ("coordinates", "''")),
)
REGION = Dimension(
    ("country", "region"),
    (("country", "g.country"), ("region", "g.region"), ("coordinates", "''")),
)
CITY = Dimension(
    ("country", "region", "city", "country_code"),
    (
        ("country", "g.country"),
        ("region", "g.region"),
        ("city", "g.city"),
        ("coordinates", "''"),
        ("country_code", "g.country_code"),
    ),
)
WEBCAST_USER = Dimension(
    ("user_id",),
    (("user_id", "g.user_id"), ("user_name", full_name("u"))),
    frozenset({USER_JOIN}),
)
EVENT_ATTENDEE = Dimension(
    ("user_id",),
    (
        ("user_id", "g.user_id"),
        ("user_name", f"coalesce({full_name('u')}, g.user_id)"),
        ("email", "u.email"),
        ("title", "u.title"),
        ("company", "u.company"),
        ("country", "u.country"),
        ("role", "u.role"),
        ("industry", "u.industry"),
    ),
    frozenset({USER_JOIN}),
)
# The minute of a broadcast, as unix seconds (facts read at minute resolution).
POSITION = Dimension(("bucket",), (("position", "epoch(g.bucket)::BIGINT"),))
# A playback context is the category a player was embedded in (Kaltura's category id).
PLAYBACK_CONTEXT = Dimension(
    ("playback_context",),
    (("object_id", "g.playback_context"), ("name", "cat.name")),
    frozenset({CATEGORY_JOIN}),
)
REASON = Dimension(("event_var1",), (("reason", "g.event_var1"),))
# The creator of the entries played or added (Kaltura's entryCreatorId / kuserId).
OWNER = Dimension(
    ("owner_id",),
    (
        ("user_id", "g.owner_id"),
        ("creator_name", f"coalesce({full_name('ow')}, g.owner_id)"),
        ("created_at", "epoch(ow.created_at)::BIGINT"),
    ),
    frozenset({OWNER_JOIN}),
)
OWNER_FRIENDLY = Dimension(OWNER.keys, (*OWNER.columns, ("email", "ow.email")), OWNER.joins)
# Who added and deleted entries (17 USER_USAGE). Kaltura's kuser_id is its own number for the
# user; Vantage's users have only their id, so it fills both.
USER_USAGE = Dimension(
    ("owner_id",),
    (("kuser_id", "g.owner_id"), ("name", "g.owner_id"), ("full_name", full_name("ow"))),
    frozenset({OWNER_JOIN}),
)
ENTRY_SOURCE = Dimension(("entry_source",), (("source", "g.entry_source"),))
PLAYBACK_RATE = Dimension(("event_var1",), (("playback_rate", "g.event_var1"),))


def with_partner(dimension: Dimension, after: str) -> Dimension:
    """The multi-account form: the row's partner as a column after ``after``."""
    columns = list(dimension.columns)
    at = [h for h, _ in columns].index(after) + 1
    columns.insert(at, ("partner_id", "g.partner_id"))
    return Dimension((*dimension.keys, "partner_id"), tuple(columns), dimension.joins)
