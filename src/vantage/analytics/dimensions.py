"""What a KAVA report row can stand for: the fact keys it groups by and its leading columns.

A dimension's columns are expressions over the grouped keys (``g.<key>``) and the entities
joined to them (:data:`JOINS`): ``en`` the entry, ``cr`` the entry's creator, ``u`` the user.
Values Kaltura looks up in its database (names, statuses, creation times) come from Vantage's
entities.
"""

from __future__ import annotations

from dataclasses import dataclass

from vantage.analytics.room_measures import full_name
from vantage.sql.expr import Cast, Col, Expr, Lit, Type, case, fn
from vantage.sql.plan import Join, JoinKind, Table

ENTRY_JOIN = "entry"
USER_JOIN = "user"
CREATOR_JOIN = "creator"
CATEGORY_JOIN = "category"
OWNER_JOIN = "owner"


def g(key: str) -> Col:
    """A key or metric of the grouped row."""
    return Col(key, "g")


@dataclass(frozen=True)
class Dimension:
    keys: tuple[str, ...]
    columns: tuple[tuple[str, Expr], ...]  # (header, value)
    joins: frozenset[str] = frozenset()

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(h for h, _ in self.columns)


def _on(alias: str, partner: Col, key: Expr, id_column: str = "id") -> Expr:
    return Col("partner_id", alias).eq(partner) & Col(id_column, alias).eq(key)


JOINS: tuple[tuple[frozenset[str], Join], ...] = (
    (
        frozenset({ENTRY_JOIN, CREATOR_JOIN}),
        Join(JoinKind.LEFT, Table("entries"), "en", _on("en", g("partner_id"), g("entry_id"))),
    ),
    (
        frozenset({CREATOR_JOIN}),
        Join(
            JoinKind.LEFT,
            Table("users"),
            "cr",
            _on("cr", Col("partner_id", "en"), Col("creator_user_id", "en")),
        ),
    ),
    (
        frozenset({CATEGORY_JOIN}),
        Join(
            JoinKind.LEFT,
            Table("categories"),
            "cat",
            Col("partner_id", "cat").eq(g("partner_id"))
            & Cast(Col("id", "cat"), Type.TEXT).eq(g("playback_context")),
        ),
    ),
    (
        frozenset({OWNER_JOIN}),
        Join(JoinKind.LEFT, Table("users"), "ow", _on("ow", g("partner_id"), g("owner_id"))),
    ),
    (
        frozenset({USER_JOIN}),
        Join(JoinKind.LEFT, Table("users"), "u", _on("u", g("partner_id"), g("user_id"))),
    ),
)
"""The entities a dimension's columns read, joined to the grouped row ``g`` (in this order:
the creator is the entry's)."""

_STATUS = Col("status", "en")
# Kaltura's entry status numbers (entryStatus) for Vantage's statuses.
STATUS = case((_STATUS.eq("ready"), 2), (_STATUS.eq("deleted"), 3), (_STATUS.eq("pending"), 4))
_SOURCE = Col("entry_source", "en")
"""Kaltura's entry source name of the entry (kaltura-report-service §8.4), stored with it."""
NO_COORDINATES = Lit("")
"""Kaltura looks coordinates up in a cache Vantage does not have: they stay empty."""


def _named(alias: str, fallback: Expr) -> Expr:
    return fn("coalesce", full_name(alias), fallback)


_ENTRY = (("object_id", g("entry_id")), ("entry_name", Col("name", "en")))


def _single(key: str, header: str | None = None) -> Dimension:
    return Dimension((key,), ((header or key, g(key)),))


ENTRY = Dimension(("entry_id",), _ENTRY, frozenset({ENTRY_JOIN}))
# A recording of the event platform (60005): the entry under Kaltura's own header.
RECORDING = Dimension(
    ("entry_id",),
    (("entry_id", g("entry_id")), ("entry_name", Col("name", "en"))),
    frozenset({ENTRY_JOIN}),
)
ENTRY_CREATOR = Dimension(
    ("entry_id",),
    (
        *_ENTRY,
        ("creator_name", _named("cr", Col("creator_user_id", "en"))),
        ("created_at", fn("unix_seconds", Col("created_at", "en"))),
        ("status", STATUS),
        ("media_type", Col("media_type", "en")),
        ("duration_msecs", Col("duration", "en") * 1000),
        ("entry_source", _SOURCE),
    ),
    frozenset({ENTRY_JOIN, CREATOR_JOIN}),
)
ENTRY_STATUS = Dimension(
    ("entry_id",),
    (*_ENTRY, ("status", STATUS), ("entry_source", _SOURCE)),
    frozenset({ENTRY_JOIN}),
)
DOMAIN = Dimension(("domain",), (("object_id", g("domain")), ("domain_name", g("domain"))))
REFERRER = _single("canonical_url", "referrer")
USER = Dimension(
    ("user_id",),
    (("name", g("user_id")), ("full_name", full_name("u"))),
    frozenset({USER_JOIN}),
)
USER_FRIENDLY = Dimension(USER.keys, (*USER.columns, ("email", Col("email", "u"))), USER.joins)
DEVICE = _single("device")
OS = _single("os")
BROWSER = _single("browser")
OS_FAMILY = _single("os_family")
BROWSER_FAMILY = _single("browser_family")
COUNTRY = Dimension(
    ("country_code", "country"),
    (("object_id", g("country_code")), ("country", g("country")), ("coordinates", NO_COORDINATES)),
)
# A country by its name alone: what a room's join says (no ISO code), as the player's beacons
# name it too; ``object_id`` is the name, which objectIds take.
COUNTRY_NAME = Dimension(
    ("country",),
    (("object_id", g("country")), ("country", g("country")), ("coordinates", NO_COORDINATES)),
)
REGION = Dimension(
    ("country", "region"),
    (("country", g("country")), ("region", g("region")), ("coordinates", NO_COORDINATES)),
)
CITY = Dimension(
    ("country", "region", "city", "country_code"),
    (
        ("country", g("country")),
        ("region", g("region")),
        ("city", g("city")),
        ("coordinates", NO_COORDINATES),
        ("country_code", g("country_code")),
    ),
)
WEBCAST_USER = Dimension(
    ("user_id",),
    (("user_id", g("user_id")), ("user_name", full_name("u"))),
    frozenset({USER_JOIN}),
)
EVENT_ATTENDEE = Dimension(
    ("user_id",),
    (
        ("user_id", g("user_id")),
        ("user_name", _named("u", g("user_id"))),
        *((name, Col(name, "u")) for name in ("email", "title", "company", "country", "role")),
        ("industry", Col("industry", "u")),
    ),
    frozenset({USER_JOIN}),
)
# The minute of a broadcast, as unix seconds (facts read at minute resolution).
POSITION = Dimension(("bucket",), (("position", fn("unix_seconds", g("bucket"))),))
# A playback context is the category a player was embedded in (Kaltura's category id).
PLAYBACK_CONTEXT = Dimension(
    ("playback_context",),
    (("object_id", g("playback_context")), ("name", Col("name", "cat"))),
    frozenset({CATEGORY_JOIN}),
)
REASON = Dimension(("event_var1",), (("reason", g("event_var1")),))
# The creator of the entries played or added (Kaltura's entryCreatorId / kuserId).
OWNER = Dimension(
    ("owner_id",),
    (
        ("user_id", g("owner_id")),
        ("creator_name", _named("ow", g("owner_id"))),
        ("created_at", fn("unix_seconds", Col("created_at", "ow"))),
    ),
    frozenset({OWNER_JOIN}),
)
OWNER_FRIENDLY = Dimension(OWNER.keys, (*OWNER.columns, ("email", Col("email", "ow"))), OWNER.joins)
# Who added and deleted entries (17 USER_USAGE). Kaltura's kuser_id is its own number for the
# user; Vantage's users have only their id, so it fills both.
USER_USAGE = Dimension(
    ("owner_id",),
    (("kuser_id", g("owner_id")), ("name", g("owner_id")), ("full_name", full_name("ow"))),
    frozenset({OWNER_JOIN}),
)
ENTRY_SOURCE = Dimension(("entry_source",), (("source", g("entry_source")),))
PLAYBACK_RATE = Dimension(("event_var1",), (("playback_rate", g("event_var1")),))


def with_partner(dimension: Dimension, after: str) -> Dimension:
    """The multi-account form: the row's partner as a column after ``after``."""
    columns = list(dimension.columns)
    at = [h for h, _ in columns].index(after) + 1
    columns.insert(at, ("partner_id", g("partner_id")))
    return Dimension((*dimension.keys, "partner_id"), tuple(columns), dimension.joins)
