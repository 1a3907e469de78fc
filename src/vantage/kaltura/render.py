"""Answers serialised as Kaltura does: XML (``format=2``, the default) or JSON (``format=1``).

XML: ``<xml><result>…</result><executionTime>…</executionTime></xml>``; an object is its
``<objectType>`` first, then every property in declaration order (``<relatedObjects>`` first,
empty, unless ``ignoreNull=1`` drops null properties); arrays are ``<item>``s; booleans 1/0.
JSON: an object's non-null properties, then ``objectType`` last; PHP's escaping (``\\/`` and
``\\uXXXX``); no execution time. A multirequest answers one item per request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from enum import Enum
from typing import Any

from vantage import php
from vantage.kaltura import errors
from vantage.kaltura.errors import APIException
from vantage.kaltura.schema import ApiObject
from vantage.kaltura.values import php_string


class Format(Enum):
    JSON = "application/json"
    XML = "text/xml"


def response_format(value: str | None) -> Format:
    """Kaltura's ``format`` (compared as PHP compares numbers); others: UNKNOWN_RESPONSE_FORMAT."""
    if value is None:
        return Format.XML
    number = php.number(value)
    if number == 1:
        return Format.JSON
    if number == 2:
        return Format.XML
    raise errors.UNKNOWN_RESPONSE_FORMAT(value)


def document(result: Any, fmt: Format, *, elapsed: float, ignore_null: bool) -> bytes:
    if fmt is Format.JSON:
        return _json_text(_json(result)).encode()
    return _xml_document(_xml(result, ignore_null), elapsed)


def multi_document(
    results: Sequence[Any], fmt: Format, *, elapsed: float, ignore_null: bool
) -> bytes:
    if fmt is Format.JSON:
        return _json_text([_json(r) for r in results]).encode()
    items = "".join(f"<item>{_xml(r, ignore_null)}</item>" for r in results)
    return _xml_document(items, elapsed)


# --- XML ---------------------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;"})


def _xml_document(result: str, elapsed: float) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f"<xml><result>{result}</result>"
        f"<executionTime>{php_string(elapsed)}</executionTime></xml>"
    ).encode()


def _xml(value: Any, ignore_null: bool) -> str:
    if isinstance(value, APIException):
        args = "".join(
            "<item><objectType>KalturaApiExceptionArg</objectType>"
            f"<name>{_text(name)}</name><value>{_text(arg)}</value></item>"
            for name, arg in value.arguments.items()
        )
        return (
            f"<error><code>{_text(value.code)}</code><message>{_text(value.message)}</message>"
            f"<objectType>KalturaAPIException</objectType><args>{args}</args></error>"
        )
    if isinstance(value, ApiObject):
        parts = [f"<objectType>{value.cls.name}</objectType>"]
        if not ignore_null:
            parts.append("<relatedObjects></relatedObjects>")  # every KalturaObject has it, null
        for field in value.cls.all_fields:
            prop = value.values.get(field.name)
            if prop is not None or not ignore_null:
                parts.append(f"<{field.name}>{_xml(prop, ignore_null)}</{field.name}>")
        return "".join(parts)
    if isinstance(value, list | tuple):
        return "".join(f"<item>{_xml(v, ignore_null)}</item>" for v in value)
    if isinstance(value, bool):
        return "1" if value else "0"
    return _text(php_string(value))


def _text(value: str) -> str:
    return _NOT_XML.sub("", value).translate(_ESCAPES)


# --- JSON --------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, APIException):
        return {
            "code": value.code,
            "message": value.message,
            "objectType": "KalturaAPIException",
            "args": value.arguments or [],  # PHP encodes an empty array as []
        }
    if isinstance(value, ApiObject):
        data = {
            f.name: _json(value.values[f.name])
            for f in value.cls.all_fields
            if value.values.get(f.name) is not None
        }
        data["objectType"] = value.cls.name
        return data
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def _json_text(data: Any) -> str:
    # PHP's json_encode escapes "/" (only strings can hold one) and every non-ASCII character.
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")
