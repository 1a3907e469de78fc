"""Kaltura's report input filter fields, each mapped once to a condition on the player facts.

``…In`` values are lists split on the response delimiter. A fact field compares a fact key; an
entry field keeps facts of entries whose stored attributes match; a field naming something
player facts do not have (ISPs, interactive-video nodes, CRM ids, …) is ignored, as Kaltura
ignores filters on dimensions a data source lacks. docs/kava-reports.md lists them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vantage.kava.sql import lit, lits
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


# Read by vantage.kava.query: the range, its time zone and interval, the playback types.
QUERY_FIELDS = frozenset(
    {"fromDate", "toDate", "fromDay", "toDay", "timeZoneOffset", "interval", "playbackTypeIn"}
)


@dataclass(frozen=True)
class Conditions:
    facts: tuple[tuple[str, str], ...]  # (fact key, condition over the facts ``f``)
    entries: tuple[str, ...]  # over the entries ``x`` (facts of matching entries are kept)

    def entry_sql(self, partners: str) -> str | None:
        """The entry fields' condition on the facts (every source has entries)."""
        if not self.entries:
            return None
        where = " AND ".join((f"x.partner_id IN {partners}", *self.entries))
        return f"f.entry_id IN (SELECT x.id FROM entries x WHERE {where})"


def split(value: str, delimiter: str) -> list[str]:
    return [v.strip() for v in value.split(delimiter or ",") if v.strip()]


def conditions(values: Mapping[str, Any], delimiter: str) -> Conditions:
    """Conditions for the filter fields set in ``values`` (API field name → value)."""
    facts: list[tuple[str, str]] = []
    entries: list[str] = []
    for name, value in values.items():
        if value is None or value == "" or name in IGNORED or name in QUERY_FIELDS:
            continue
        if name in FACT_FIELDS:
            key = FACT_FIELDS[name]
            facts.append((key, f"f.{key} IN {lits(split(value, delimiter))}"))
        elif name in NUMBER_FIELDS:
            key = NUMBER_FIELDS[name]
            facts.append((key, f"f.{key} IN {lits(_ints(name, value, delimiter))}"))
        elif name == "countryIn":
            # Kaltura's values are country names; codes are accepted too.
            wanted = lits([v.upper() for v in split(value, delimiter)])
            either = f"(upper(f.country) IN {wanted} OR upper(f.country_code) IN {wanted})"
            facts.append(("country", either))
        elif name == "application":
            facts.append(("application", f"f.application IN {lits(split(value, ','))}"))
        else:
            entries.append(_entry_condition(name, value, delimiter))
    return Conditions(tuple(facts), tuple(entries))


def _ints(name: str, value: str, delimiter: str) -> list[int]:
    """Whole numbers the store's BIGINT holds, else the filter is invalid."""
    try:
        numbers = [int(v) for v in split(value, delimiter)]
    except ValueError:
        raise FilterError(name) from None
    if any(not -INT64_MAX - 1 <= n <= INT64_MAX for n in numbers):
        raise FilterError(name)
    return numbers


def _entry_condition(name: str, value: Any, delimiter: str) -> str:
    if name == "categoriesIdsIn":
        return f"list_has_any(x.category_ids, {_array(_ints(name, value, delimiter))})"
    if name == "categoriesAncestorIdIn":
        ids = _array(_ints(name, value, delimiter))
        return (
            "list_has_any(x.category_ids, (SELECT coalesce(list(c.id), []) FROM categories c "
            f"JOIN categories a ON a.partner_id = c.partner_id AND list_contains({ids}, a.id) "
            "AND (c.id = a.id OR starts_with(c.full_name, a.full_name || '>'))"
            " WHERE c.partner_id = x.partner_id))"
        )
    if name == "categories":
        names = lits(split(value, delimiter))
        return (
            "list_has_any(x.category_ids, (SELECT coalesce(list(c.id), []) FROM categories c "
            f"WHERE c.partner_id = x.partner_id AND c.full_name IN {names}))"
        )
    if name == "mediaTypeIn":
        numbers = []
        for v in split(value, delimiter):
            if v.isdigit():
                numbers += _ints(name, v, delimiter)
            elif v.lower() in MEDIA_TYPES:
                numbers.append(MEDIA_TYPES[v.lower()])
            else:
                raise FilterError(name)
        return f"x.media_type IN {lits(numbers)}"
    if name == "sourceTypeIn":
        return f"x.source_type IN {lits(_ints(name, value, delimiter))}"
    if name == "ownerIdsIn":
        return f"x.creator_user_id IN {lits(split(value, delimiter))}"
    if name == "rootEntryIdIn":
        ids = lits(split(value, delimiter))
        return f"(x.id IN {ids} OR x.parent_entry_id IN {ids})"
    if name == "entryCreatedAtGreaterThanOrEqual":
        return f"x.created_at >= make_timestamp({int(value) * 1_000_000})"
    if name == "entryCreatedAtLessThanOrEqual":
        return f"x.created_at <= make_timestamp({int(value) * 1_000_000})"
    if name == "keywords":
        return _keywords(str(value))
    raise FilterError(name)


def _keywords(text: str) -> str:
    """Every word in the entry's name, tags or admin tags (``searchInTags`` is not needed).
    A word is plain text, found with ``contains``: a LIKE pattern would read ``%`` and ``_``
    in it as wildcards that match any entry."""
    words = [w for w in text.split() if w]
    checks = []
    for word in words:
        part = lit(word.lower())
        in_tags = " OR ".join(
            f"list_bool_or(list_transform(x.{tags}, lambda t: contains(lower(t), {part})))"
            for tags in ("tags", "admin_tags")
        )
        checks.append(f"(contains(lower(x.name), {part}) OR {in_tags})")
    return " AND ".join(checks) or "true"


def _array(values: list[int]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]::BIGINT[]"
