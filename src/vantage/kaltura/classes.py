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

_REPORT_TYPES = (
    *range(1, 8),
    *range(11, 31),
    *range(32, 70),
    201,
    *range(10001, 10017),
    *range(20001, 20024),
    *range(30001, 30065),
    *range(40001, 40014),
    *range(50000, 50009),
    *range(60001, 60020),
    70001,
    *range(80001, 80007),
)
REPORT_TYPE = EnumType("KalturaReportType", tuple(str(t) for t in _REPORT_TYPES))

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

# report.exportToCsv (kaltura-report-service §15).
REPORT_EXPORT_ITEM_TYPE = EnumType("KalturaReportExportItemType", (1, 2, 3))  # table, total, graph
REPORT_EXPORT_ITEM = ObjectClass(
    "KalturaReportExportItem",
    (
        Field("reportTitle", STRING),
        Field("action", REPORT_EXPORT_ITEM_TYPE),
        Field("reportType", REPORT_TYPE),
        Field("filter", REPORT_INPUT_FILTER),
        Field("order", STRING),
        Field("objectIds", STRING),
        Field("responseOptions", REPORT_RESPONSE_OPTIONS),
    ),
    KALTURA_OBJECT,
)
REPORT_EXPORT_PARAMS = ObjectClass(
    "KalturaReportExportParams",
    (
        Field("recipientEmail", STRING),
        Field("recipientName", STRING),
        Field("timeZoneOffset", INT, 0),
        Field("reportItems", ArrayOf(REPORT_EXPORT_ITEM)),
        Field("reportsItemsGroup", STRING),
        Field("baseUrl", STRING),
        Field("useFriendlyHeaders", BOOL, False),  # Kaltura's newer servers have it
        Field("descriptiveHeaders", BOOL, False),  # Vantage's: people's names as headers
    ),
    KALTURA_OBJECT,
)
REPORT_EXPORT_RESPONSE = ObjectClass(
    "KalturaReportExportResponse",
    (Field("referenceJobId", INT), Field("reportEmail", STRING)),
    KALTURA_OBJECT,
)
