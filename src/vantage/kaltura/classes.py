"""The Kaltura classes the report service uses: its parameters and its answers.

Fields are listed in Kaltura's declaration order (parents first), which is the order answers
are serialised in; defaults are the PHP class defaults a property keeps when it is not sent.
"""

from __future__ import annotations

from vantage.kaltura.schema import (
    BOOL,
    INT,
    KALTURA_OBJECT,
    STRING,
    TIME,
    ArrayOf,
    EnumType,
    Field,
    ObjectClass,
)

REPORT_INTERVAL = EnumType(
    "KalturaReportInterval",
    # and the seed guide's tenSeconds, which vantage.analytics.query reads as ten_seconds
    ("days", "hours", "minutes", "months", "ten_minutes", "ten_seconds", "years", "tenSeconds"),
)

KEY_VALUE = ObjectClass(
    "KalturaKeyValue", (Field("key", STRING), Field("value", STRING)), KALTURA_OBJECT
)
KEY_VALUE_ARRAY = ArrayOf(KEY_VALUE)  # KalturaKeyValueArray

FILTER_PAGER = ObjectClass(
    "KalturaFilterPager",
    (Field("pageSize", INT, 30), Field("pageIndex", INT, 1)),
    KALTURA_OBJECT,
)

REPORT_RESPONSE_OPTIONS = ObjectClass(
    "KalturaReportResponseOptions",
    (
        Field("delimiter", STRING, ","),
        Field("skipEmptyDates", BOOL, True),
        Field("useFriendlyHeadersNames", BOOL, False),
    ),
    KALTURA_OBJECT,
)

REPORT_INPUT_BASE_FILTER = ObjectClass(
    "KalturaReportInputBaseFilter",
    (
        Field("fromDate", TIME),
        Field("toDate", TIME),
        Field("fromDay", STRING),
        Field("toDay", STRING),
    ),
    KALTURA_OBJECT,
)


def _strings(*names: str) -> tuple[Field, ...]:
    return tuple(Field(n, STRING) for n in names)


# ``entryOperator`` (a KalturaESearchEntryOperator, eSearch) is not declared: it is ignored.
REPORT_INPUT_FILTER = ObjectClass(
    "KalturaReportInputFilter",
    (
        Field("keywords", STRING),
        Field("searchInTags", BOOL),
        Field("searchInAdminTags", BOOL),
        *_strings(
            "categories",
            "categoriesIdsIn",
            "customVar1In",
            "customVar2In",
            "customVar3In",
            "deviceIn",
            "countryIn",
            "regionIn",
            "citiesIn",
            "operatingSystemFamilyIn",
            "operatingSystemIn",
            "browserFamilyIn",
            "browserIn",
        ),
        Field("timeZoneOffset", INT, 0),
        Field("interval", REPORT_INTERVAL),
        *_strings("mediaTypeIn", "sourceTypeIn", "ownerIdsIn"),
        Field("entryCreatedAtGreaterThanOrEqual", TIME),
        Field("entryCreatedAtLessThanOrEqual", TIME),
        *_strings(
            "entryIdIn",
            "playbackTypeIn",
            "playbackContextIdsIn",
            "rootEntryIdIn",
            "errorCodeIn",
            "playerVersionIn",
            "ispIn",
            "applicationVersionIn",
            "nodeIdsIn",
            "categoriesAncestorIdIn",
            "hotspotIdIn",
            "crmIdIn",
            "playlistIdIn",
            "domainIn",
            "canonicalUrlIn",
            "virtualEventIdIn",
            "originIn",
            "uiConfIdIn",
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
        ),
        Field("isPreview", BOOL),
    ),
    REPORT_INPUT_BASE_FILTER,
)

END_USER_REPORT_INPUT_FILTER = ObjectClass(
    "KalturaEndUserReportInputFilter",
    _strings("application", "userIds", "playbackContext", "ancestorPlaybackContext"),
    REPORT_INPUT_FILTER,
)

# Answers.
REPORT_TABLE = ObjectClass(
    "KalturaReportTable",
    (Field("header", STRING), Field("data", STRING), Field("totalCount", INT)),
    KALTURA_OBJECT,
)
REPORT_TOTAL = ObjectClass(
    "KalturaReportTotal", (Field("header", STRING), Field("data", STRING)), KALTURA_OBJECT
)
REPORT_GRAPH = ObjectClass(
    "KalturaReportGraph", (Field("id", STRING), Field("data", STRING)), KALTURA_OBJECT
)
REPORT_BASE_TOTAL = ObjectClass(
    "KalturaReportBaseTotal", (Field("id", STRING), Field("data", STRING)), KALTURA_OBJECT
)
