"""Golden XML and JSON answers: object, array, scalar, error, multirequest."""

from __future__ import annotations

from typing import Any

import pytest

from vantage.kaltura import errors, render
from vantage.kaltura.classes import REPORT_GRAPH, REPORT_TABLE
from vantage.kaltura.errors import APIException
from vantage.kaltura.render import Format

HEAD = '<?xml version="1.0" encoding="utf-8"?><xml><result>'
TAIL = "</result><executionTime>0.0123</executionTime></xml>"

TABLE = REPORT_TABLE(header="object_id,count_plays", data="0_ab,3;", totalCount=1)
GRAPHS = [REPORT_GRAPH(id="count_plays", data="20250601,3;"), REPORT_GRAPH(id="x", data="")]
ERROR = errors.INVALID_KS("EXPIRED", -1, "INVALID_STR")


def xml(result: Any, ignore_null: bool = False) -> str:
    return render.document(result, Format.XML, elapsed=0.0123, ignore_null=ignore_null).decode()


def json(result: Any) -> str:
    return render.document(result, Format.JSON, elapsed=0.0123, ignore_null=False).decode()


def test_object() -> None:
    assert (
        xml(TABLE)
        == HEAD
        + (
            "<objectType>KalturaReportTable</objectType><relatedObjects></relatedObjects>"
            "<header>object_id,count_plays</header><data>0_ab,3;</data><totalCount>1</totalCount>"
        )
        + TAIL
    )
    assert json(TABLE) == (
        '{"header":"object_id,count_plays","data":"0_ab,3;","totalCount":1,'
        '"objectType":"KalturaReportTable"}'
    )


def test_null_properties_empty_in_xml_dropped_with_ignore_null_and_in_json() -> None:
    empty = REPORT_TABLE()
    assert (
        xml(empty)
        == HEAD
        + (
            "<objectType>KalturaReportTable</objectType><relatedObjects></relatedObjects>"
            "<header></header><data></data><totalCount></totalCount>"
        )
        + TAIL
    )
    assert xml(empty, ignore_null=True) == (
        HEAD + "<objectType>KalturaReportTable</objectType>" + TAIL
    )
    assert json(empty) == '{"objectType":"KalturaReportTable"}'


def test_array() -> None:
    assert (
        xml(GRAPHS)
        == HEAD
        + (
            "<item><objectType>KalturaReportGraph</objectType><relatedObjects></relatedObjects>"
            "<id>count_plays</id><data>20250601,3;</data></item>"
            "<item><objectType>KalturaReportGraph</objectType><relatedObjects></relatedObjects>"
            "<id>x</id><data></data></item>"
        )
        + TAIL
    )
    assert json(GRAPHS) == (
        '[{"id":"count_plays","data":"20250601,3;","objectType":"KalturaReportGraph"},'
        '{"id":"x","data":"","objectType":"KalturaReportGraph"}]'
    )
    assert xml([]) == HEAD + TAIL and json([]) == "[]"


@pytest.mark.parametrize(
    ("value", "in_xml", "in_json"),
    [
        ("http://h/r.csv?a=1&b=2", "http://h/r.csv?a=1&amp;b=2", '"http:\\/\\/h\\/r.csv?a=1&b=2"'),
        ("é<'\"\x01", "é&lt;&apos;&quot;", '"\\u00e9<\'\\"\\u0001"'),
        (True, "1", "true"),
        (False, "0", "false"),
        (None, "", "null"),
        (0.1, "0.1", "0.1"),
        (12, "12", "12"),
    ],
)
def test_scalars(value: Any, in_xml: str, in_json: str) -> None:
    assert xml(value) == HEAD + in_xml + TAIL
    assert json(value) == in_json


def test_error() -> None:
    assert (
        xml(ERROR)
        == HEAD
        + (
            "<error><code>INVALID_KS</code>"
            "<message>Invalid KS &quot;EXPIRED&quot;, Error &quot;-1,INVALID_STR&quot;</message>"
            "<objectType>KalturaAPIException</objectType><args>"
            "<item><objectType>KalturaApiExceptionArg</objectType><name>KSID</name>"
            "<value>EXPIRED</value></item>"
            "<item><objectType>KalturaApiExceptionArg</objectType><name>ERR_CODE</name>"
            "<value>-1</value></item>"
            "<item><objectType>KalturaApiExceptionArg</objectType><name>ERR_DESC</name>"
            "<value>INVALID_STR</value></item>"
            "</args></error>"
        )
        + TAIL
    )
    assert json(ERROR) == (
        '{"code":"INVALID_KS","message":"Invalid KS \\"EXPIRED\\", Error \\"-1,INVALID_STR\\"",'
        '"objectType":"KalturaAPIException",'
        '"args":{"KSID":"EXPIRED","ERR_CODE":"-1","ERR_DESC":"INVALID_STR"}}'
    )
    missing = errors.MISSING_KS()
    assert json(missing) == (
        '{"code":"MISSING_KS","message":"Missing KS, session not established",'
        '"objectType":"KalturaAPIException","args":[]}'
    )
    assert "<args></args></error>" in xml(missing)


def test_multirequest() -> None:
    results: list[Any] = ["djJ8MTAx", TABLE, [], errors.MISSING_KS()]
    xml_text = render.multi_document(results, Format.XML, elapsed=0.0123, ignore_null=True)
    assert (
        xml_text.decode()
        == HEAD
        + (
            "<item>djJ8MTAx</item>"
            "<item><objectType>KalturaReportTable</objectType><header>object_id,count_plays</header>"
            "<data>0_ab,3;</data><totalCount>1</totalCount></item>"
            "<item></item>"
            "<item><error><code>MISSING_KS</code>"
            "<message>Missing KS, session not established</message>"
            "<objectType>KalturaAPIException</objectType><args></args></error></item>"
        )
        + TAIL
    )
    json_text = render.multi_document(results, Format.JSON, elapsed=0.0123, ignore_null=False)
    assert json_text.decode() == (
        '["djJ8MTAx",{"header":"object_id,count_plays","data":"0_ab,3;","totalCount":1,'
        '"objectType":"KalturaReportTable"},[],{"code":"MISSING_KS",'
        '"message":"Missing KS, session not established","objectType":"KalturaAPIException",'
        '"args":[]}]'
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, Format.XML), ("2", Format.XML), ("1", Format.JSON), (" 1", Format.JSON)],
)
def test_formats(value: str | None, expected: Format) -> None:
    assert render.response_format(value) is expected


@pytest.mark.parametrize("value", ["3", "9", "", "json", "7"])
def test_unknown_formats(value: str) -> None:
    with pytest.raises(APIException) as info:
        render.response_format(value)
    assert info.value.arguments == {"FORMAT": value}


def test_text_xml_cannot_carry_is_dropped() -> None:
    assert xml("a\ud800b\x00c\ufffe") == HEAD + "abc" + TAIL
    assert json("a\ud800") == '"a\\ud800"'
