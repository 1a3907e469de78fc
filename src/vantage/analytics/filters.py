"""Kaltura's report input filter fields, each mapped once to a condition on the player facts.

``…In`` values are lists split on the response delimiter. A fact field compares a fact key; an
entry field keeps facts of entries whose stored attributes match; a field naming something
player facts do not have (ISPs, interactive-video nodes, CRM ids, …) is ignored, as Kaltura
ignores filters on dimensions a data source lacks. docs/kava-reports.md lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from vantage.sql.expr import Col, Expr, Scalar, Time, Type, agg, all_of, array, fn
from vantage.sql.plan import Join, JoinKind, Select, Table
from vantage.storable import INT64_MAX


class FilterError(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"invalid value for {name}")
        self.name = name


FACT_FIELDS: dict[str, str] = {
    "entryIdIn": "entry_id",
    "playbackContextIdsIn": "playback_context",
    "playlistIdIn": "playlist_id",
    "customVar1In": "custom_var1",
    "customVar2In": "custom_var2",
    "customVar3In": "custom_var3",
    "deviceIn": "device",
    "operatingSystemFamilyIn": "os_family",
    "operatingSystemIn": "os",
    "browserFamilyIn": "browser_family",
    "browserIn": "browser",
    "regionIn": "region",
    "citiesIn": "city",
    "domainIn": "domain",
    "canonicalUrlIn": "canonical_url",
    "errorCodeIn": "event_var1",
    "playerVersionIn": "client_ver",
    "applicationVersionIn": "application_ver",
    "userIds": "user_id",
}
NUMBER_FIELDS: dict[str, str] = {
    "virtualEventIdIn": "virtual_event_id",
    "uiConfIdIn": "ui_conf_id",
}
# Vantage's media types are Kaltura's numbers; Druid's names are accepted too.
MEDIA_TYPES: dict[str, int] = {"video": 1, "image": 2, "audio": 5, "live stream": 201}
IGNORED = frozenset(
    {
        "ispIn",
        "nodeIdsIn",
        "hotspotIdIn",
        "crmIdIn",
        "originIn",
        "cuePointIdIn",
        "contextIdIn",
        "roleIn",
        "industryIn",
        "playbackModeIn",
        "companyIn",
        "eventSessionContextIdIn",
        "videoCodecIn",
        "agentIdIn",
        "genieIdIn",
        "reachProfileIdIn",
        "isPreview",
        "searchInTags",
        "searchInAdminTags",
        "playbackContext",
        "ancestorPlaybackContext",
        "entryOperator",
    }
)


# Read by vantage.analytics.query: the range, its time zone and interval, the playback types.
QUERY_FIELDS = frozenset(
    {"fromDate", "toDate", "fromDay", "toDay", "timeZoneOffset", "interval", "playbackTypeIn"}
)


@dataclass(frozen=True)
class Conditions:
    facts: tuple[tuple[str, Expr], ...]  # (fact key, condition over the facts ``f``)
    entries: tuple[Expr, ...]  # over the entries ``x`` (facts of matching entries are kept)


NONE = Conditions((), ())


def _f(key: str) -> Col:
    return Col(key, "f")


def _x(column: str) -> Col:
    return Col(column, "x")


def split(value: str, delimiter: str) -> list[str]:
    return [v.strip() for v in value.split(delimiter or ",") if v.strip()]


def conditions(
    values: Mapping[str, Any],
    delimiter: str,
    partners: Iterable[int] = (),
    recordings: bool = False,
) -> Conditions:
    """Conditions for the filter fields set in ``values`` (API field name → value) of a query
    of ``partners`` (whose categories the category filters read); with ``recordings``,
    ``entryIdIn`` also keeps the recordings of its entries (:func:`recordings_of`)."""
    owners = sorted(partners)
    facts: list[tuple[str, Expr]] = []
    entries: list[Expr] = []
    for name, value in values.items():
        if value is None or value == "" or name in IGNORED or name in QUERY_FIELDS:
            continue
        if name in FACT_FIELDS:
            key = FACT_FIELDS[name]
            listed = _f(key).isin(split(value, delimiter))
            if name == "entryIdIn" and recordings:
                listed = listed | _f(key).isin(recordings_of(owners, split(value, delimiter)))
            facts.append((key, listed))
        elif name in NUMBER_FIELDS:
            key = NUMBER_FIELDS[name]
            facts.append((key, _f(key).isin(_ints(name, value, delimiter))))
        elif name == "countryIn":
            # Kaltura's values are country names; codes are accepted too.
            wanted = [v.upper() for v in split(value, delimiter)]
            either = fn("upper", _f("country")).isin(wanted) | fn("upper", _f("country_code")).isin(
                wanted
            )
            facts.append(("country", either))
        elif name == "application":
            facts.append(("application", _f("application").isin(split(value, ","))))
        else:
            entries.append(_entry_condition(name, value, delimiter, owners))
    return Conditions(tuple(facts), tuple(entries))


def recordings_of(owners: list[int], roots: list[str]) -> Select:
    """Ids of the entries made from ``roots`` or from their breakout rooms (whose
    ``root_entry_id`` names one): a room's recordings."""
    ours = Col("partner_id", "b").isin(owners) & Col("parent_entry_id", "b").isin(roots)
    breakouts = Select((("id", Col("id", "b")),), Table("entries"), "b", where=ours)
    made = Col("root_entry_id", "r")
    found = Col("partner_id", "r").isin(owners) & (made.isin(roots) | made.isin(breakouts))
    return Select((("id", Col("id", "r")),), Table("entries"), "r", where=found)


def _ints(name: str, value: str, delimiter: str) -> list[int]:
    """Whole numbers the store's BIGINT holds, else the filter is invalid."""
    try:
        numbers = [int(v) for v in split(value, delimiter)]
    except ValueError:
        raise FilterError(name) from None
    if any(not -INT64_MAX - 1 <= n <= INT64_MAX for n in numbers):
        raise FilterError(name)
    return numbers


def _categories(owners: list[int], condition: Expr, ancestors: Expr | None = None) -> Expr:
    """Entries in any category ``c`` of the query's partners meeting ``condition`` (with
    ``ancestors`` ``a``, of the same partner, meeting that condition, when given). Category
    ids are compared alone: two partners of one query sharing an id would be mixed up."""
    ours = Col("partner_id", "c").isin(owners)
    joins: tuple[Join, ...] = ()
    if ancestors is not None:
        joins = (Join(JoinKind.CROSS, Table("categories"), "a"),)
        ours = ours & Col("partner_id", "a").eq(Col("partner_id", "c")) & ancestors
    ids = Select(
        (("ids", agg("list", Col("id", "c"))),),
        Table("categories"),
        "c",
        joins=joins,
        where=ours & condition,
    )
    return fn("list_has_any", _x("category_ids"), Scalar(ids))


def _entry_condition(name: str, value: Any, delimiter: str, owners: list[int]) -> Expr:
    if name == "categoriesIdsIn":
        ids = array(_ints(name, value, delimiter), Type.INT)
        return fn("list_has_any", _x("category_ids"), ids)
    if name == "categoriesAncestorIdIn":
        ancestor = Col("id", "a").isin(_ints(name, value, delimiter))
        below = fn("starts_with", Col("full_name", "c"), fn("concat", Col("full_name", "a"), ">"))
        return _categories(owners, Col("id", "c").eq(Col("id", "a")) | below, ancestor)
    if name == "categories":
        return _categories(owners, Col("full_name", "c").isin(split(value, delimiter)))
    if name == "mediaTypeIn":
        numbers = []
        for v in split(value, delimiter):
            if v.isdigit():
                numbers += _ints(name, v, delimiter)
            elif v.lower() in MEDIA_TYPES:
                numbers.append(MEDIA_TYPES[v.lower()])
            else:
                raise FilterError(name)
        return _x("media_type").isin(numbers)
    if name == "sourceTypeIn":
        return _x("source_type").isin(_ints(name, value, delimiter))
    if name == "ownerIdsIn":
        return _x("creator_user_id").isin(split(value, delimiter))
    if name == "rootEntryIdIn":
        roots = split(value, delimiter)
        # the roots, their breakout rooms and what was made from them (a room's recordings)
        return (
            _x("id").isin(roots)
            | _x("parent_entry_id").isin(roots)
            | _x("root_entry_id").isin(roots)
        )
    if name == "entryCreatedAtGreaterThanOrEqual":
        return _x("created_at").ge(Time(int(value) * 1_000_000))
    if name == "entryCreatedAtLessThanOrEqual":
        return _x("created_at").le(Time(int(value) * 1_000_000))
    if name == "keywords":
        return _keywords(str(value))
    raise FilterError(name)


def _keywords(text: str) -> Expr:
    """Every word in the entry's name, tags or admin tags (``searchInTags`` is not needed).
    A word is plain text, found with ``contains``: a LIKE pattern would read ``%`` and ``_``
    in it as wildcards that match any entry."""
    checks = []
    for word in text.split():
        part = word.lower()
        checks.append(
            fn("contains", fn("lower", _x("name")), part)
            | fn("list_any_contains", _x("tags"), part)
            | fn("list_any_contains", _x("admin_tags"), part)
        )
    return all_of(checks)
