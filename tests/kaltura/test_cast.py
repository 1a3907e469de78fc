"""Casting parameters to declared types: scalars, enums, objects, subclasses, arrays, errors."""

from __future__ import annotations

from typing import Any

import pytest

from vantage.kaltura import cast, classes
from vantage.kaltura.actions import Param
from vantage.kaltura.errors import APIException
from vantage.kaltura.schema import BOOL, FLOAT, INT, STRING, TIME, ApiType, EnumType

NOW = 1_750_000_000


def one(declared: ApiType, raw: Any, default: Any = None) -> Any:
    return cast.arguments([Param("x", declared, default)], {"x": raw}, NOW)["x"]


def error(declared: ApiType, raw: Any) -> APIException:
    with pytest.raises(APIException) as info:
        one(declared, raw)
    return info.value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("True", True), ("False", False), ("true", True), ("FALSE", False), ("1", True)]
    + [("0", False), ("", False), ("no", True), (True, True), (0, False)],
)
def test_booleans_as_php_reads_them(raw: Any, expected: bool) -> None:
    assert one(BOOL, raw) is expected


def test_numbers_strings_and_bad_numbers() -> None:
    assert [one(INT, "12"), one(INT, " -3 "), one(INT, ""), one(INT, "2.9"), one(INT, 7)] == [
        12,
        -3,
        0,
        2,
        7,
    ]
    assert one(FLOAT, "1.5") == 1.5 and one(STRING, 10) == "10" and one(STRING, True) == "1"
    bad = error(INT, "12abc")
    assert (bad.code, bad.arguments) == ("INVALID_PARAMETER_VALUE", {"PARAM_NAME": "x"})
    assert error(STRING, {"a": "b"}).code == "INVALID_PARAMETER_VALUE"


def test_times_near_zero_are_relative_to_now() -> None:
    assert one(TIME, "-86400") == NOW - 86_400
    assert one(TIME, "0") == NOW
    assert one(TIME, "") == 0
    assert one(TIME, "315360000") == NOW + 315_360_000
    assert one(TIME, "1700000000") == 1_700_000_000


def test_enums() -> None:
    session_type = EnumType("KalturaSessionType", (0, 2))
    assert one(session_type, "2") == 2 and one(session_type, "false") == 0
    assert one(classes.REPORT_INTERVAL, "ten_seconds") == "ten_seconds"
    assert one(classes.REPORT_INTERVAL, "tenSeconds") == "tenSeconds"  # the seed guide's
    bad = error(classes.REPORT_INTERVAL, "weeks")
    assert bad.message == (
        'Invalid enumeration value "weeks" for parameter "x", '
        'expecting enumeration type "KalturaReportInterval"'
    )
    assert error(session_type, "1").code == "INVALID_ENUM_VALUE"


def test_missing_required_and_optional_defaults() -> None:
    declared = [Param("id", INT), Param("params", STRING, None), Param("n", INT, 5)]
    assert cast.arguments(declared, {"id": "1"}, NOW) == {"id": 1, "params": None, "n": 5}
    with pytest.raises(APIException) as info:
        cast.arguments(declared, {"params": "a"}, NOW)
    assert info.value.message == 'Missing parameter "id"'


def test_objects_pick_declared_subclasses_ignore_unknown_properties_and_take_nulls() -> None:
    raw = {
        "objectType": "KalturaEndUserReportInputFilter",
        "fromDate": "-3600",
        "toDay__null": "",
        "userIds": "u1,u2",
        "searchInTags": "True",
        "interval": "days",
        "shoeSize": "44",
    }
    found = one(classes.REPORT_INPUT_FILTER, raw)
    assert found.cls is classes.END_USER_REPORT_INPUT_FILTER
    assert found.values == {
        "fromDate": NOW - 3600,
        "toDay": None,
        "userIds": "u1,u2",
        "searchInTags": True,
        "interval": "days",
    }
    assert found.get("timeZoneOffset") == 0 and found.get("keywords") is None


def test_object_types_unknown_ignored_wrong_refused() -> None:
    assert one(classes.FILTER_PAGER, {"objectType": "KalturaSomethingElse"}).get("pageSize") == 30
    assert one(classes.REPORT_INPUT_FILTER, {"objectType": "kalturareportinputfilter"}).cls is (
        classes.REPORT_INPUT_FILTER
    )
    wrong = error(classes.REPORT_INPUT_FILTER, {"objectType": "KalturaFilterPager"})
    assert wrong.arguments == {"INVALID_OBJ_TYPE": "KalturaFilterPager"}
    parent = error(classes.REPORT_INPUT_FILTER, {"objectType": "KalturaReportInputBaseFilter"})
    assert parent.code == "INVALID_OBJECT_TYPE"
    scalar = error(classes.FILTER_PAGER, "30")
    assert scalar.message == 'The property "x" must match format array'


def test_nested_errors_name_the_property() -> None:
    bad = error(classes.FILTER_PAGER, {"pageSize": "many"})
    assert bad.arguments == {"PARAM_NAME": "x:pageSize"}
    enum = error(classes.REPORT_INPUT_FILTER, {"interval": "weeks"})
    assert enum.arguments["PARAM_NAME"] == "interval"


def test_arrays_from_brackets_json_lists_and_the_empty_marker() -> None:
    key_values = classes.KEY_VALUE_ARRAY
    items = one(
        key_values, {"1": {"key": "b"}, "0": {"key": "a", "value": "1"}, "10": {"key": "c"}}
    )
    assert [i.values for i in items] == [{"key": "a", "value": "1"}, {"key": "b"}, {"key": "c"}]
    assert [i.get("key") for i in one(key_values, [{"key": "x"}])] == ["x"]
    assert one(key_values, {"-": ""}) == [] and one(key_values, "[{'objectType': …}]") == []
    assert cast.arguments([Param("x", key_values)], {}, NOW) == {"x": []}
    bad = error(key_values, {"0": "scalar"})
    assert bad.code == "PROPERTY_VALIDATION_WRONG_FORMAT"


@pytest.mark.parametrize(
    ("declared", "raw"),
    [(INT, "9223372036854775808"), (INT, "-9223372036854775809"), (INT, "1" * 400)]
    + [(INT, "18446744073709551616"), (INT, 2**64), (INT, 1e300), (INT, "1e20"), (INT, "inf")]
    + [(INT, float("nan")), (TIME, "99999999999999999999"), (TIME, -(2**63) - 1)]
    + [(TIME, "99999999999999"), (TIME, "-9223372036855"), (TIME, 2**63 - 1)]
    + [(FLOAT, "1e400"), (FLOAT, float("inf")), (FLOAT, float("nan")), (FLOAT, 10**400)]
    + [(FLOAT, "-1e400")],
)
def test_numbers_beyond_64_bits_times_beyond_timestamps_or_not_finite_are_invalid(
    declared: ApiType, raw: Any
) -> None:
    bad = error(declared, raw)
    assert (bad.code, bad.arguments) == ("INVALID_PARAMETER_VALUE", {"PARAM_NAME": "x"})


def test_the_64_bit_extremes_are_accepted() -> None:
    assert one(INT, "9223372036854775807") == 2**63 - 1 and one(INT, -(2**63)) == -(2**63)
    assert one(TIME, "9223372036854") == 9_223_372_036_854 and one(FLOAT, "1e300") == 1e300
    assert one(TIME, -9_223_372_036_854) == -9_223_372_036_854
