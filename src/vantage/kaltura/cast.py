"""Request parameters cast to an action's declared types, as Kaltura's request deserializer does.

Kaltura's rules: an ``objectType`` inside an object picks a subclass of the declared class;
unknown properties are ignored; ``<property>__null`` sets a property to null; booleans are false
for ``false`` (any case), ``0`` and empty; time properties with |value| ≤ ten years are relative
to now, and empty is 0; an absent array is empty. Vantage is stricter than PHP's casts in three
places: a number that is not numeric is INVALID_PARAMETER_VALUE (PHP would read 0), so is an
integer outside PHP's 64-bit range, a time whose microseconds are outside it (beyond the year
294,000, what the store's timestamps hold) and a float that is not finite (PHP would saturate
or keep INF and NAN), and an ``objectType`` naming a declared class that does not fit is
INVALID_OBJECT_TYPE (Kaltura ignores it; a class Vantage does not declare is still ignored).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from vantage import php
from vantage.kaltura import errors
from vantage.kaltura.actions import Param
from vantage.kaltura.params import Tree
from vantage.kaltura.schema import (
    BOOL,
    FLOAT,
    KALTURA_OBJECT,
    STRING,
    TIME,
    ApiObject,
    ArrayOf,
    EnumType,
    ObjectClass,
    Scalar,
)
from vantage.kaltura.values import php_string

MAX_RELATIVE_TIME = 315_360_000  # ten years: Kaltura's max_relative_time
MAX_TIME = php.INT_MAX // 1_000_000  # seconds whose microseconds the store's timestamps hold


def arguments(params: Sequence[Param], tree: Tree, now: int) -> dict[str, Any]:
    """Keyword arguments for the handler, in declaration order."""
    return {p.name: _argument(p, tree, now) for p in params}


def _argument(param: Param, tree: Tree, now: int) -> Any:
    name, declared = param.name, param.type
    raw = tree.get(name)
    if isinstance(declared, ArrayOf):
        return array(declared.item, raw, name, now) if isinstance(raw, dict | list) else []
    present = raw is not None if isinstance(declared, ObjectClass) else name in tree
    if not present:
        if param.required:
            raise errors.MISSING_MANDATORY_PARAMETER(name)
        return param.default
    return value(declared, raw, name, now)


def value(declared: Scalar | EnumType | ObjectClass, raw: Any, name: str, now: int) -> Any:
    if isinstance(declared, ObjectClass):
        return build_object(declared, raw, name, now)
    if isinstance(declared, EnumType):
        return enum(declared, raw, name.rpartition(":")[2])
    return scalar(declared, raw, name, now)


def scalar(declared: Scalar, raw: Any, name: str, now: int) -> Any:
    if isinstance(raw, dict | list):
        raise errors.INVALID_PARAMETER_VALUE(name)
    if declared is STRING:
        return php_string(raw)
    if declared is BOOL:
        return raw if isinstance(raw, bool) else php_string(raw).lower() not in ("false", "", "0")
    if declared is TIME:
        moment = _number(raw, name, int)
        if raw not in ("", None) and abs(moment) <= MAX_RELATIVE_TIME:
            moment += now
        if abs(moment) > MAX_TIME:
            raise errors.INVALID_PARAMETER_VALUE(name)
        return moment
    return _number(raw, name, float if declared is FLOAT else int)


def _number(raw: Any, name: str, kind: type[int] | type[float]) -> Any:
    if isinstance(raw, bool | int | float):
        number: int | float | None = raw
    else:
        text = php_string(raw).strip()
        number = php.number(text) if text else 0
    if number is None:
        raise errors.INVALID_PARAMETER_VALUE(name)
    try:
        converted = kind(number)
    except (ValueError, OverflowError):  # NaN or INF as an int, or an int too large for a float
        raise errors.INVALID_PARAMETER_VALUE(name) from None
    if not _representable(converted):
        raise errors.INVALID_PARAMETER_VALUE(name)
    return converted


def _representable(number: int | float) -> bool:
    """A finite float, or an int within PHP's 64-bit range (what the store's BIGINT holds)."""
    if isinstance(number, float):
        return math.isfinite(number)
    return php.INT_MIN <= number <= php.INT_MAX


def enum(declared: EnumType, raw: Any, name: str) -> int | str:
    text = php_string(raw) if not isinstance(raw, dict | list) else "Array"
    if declared.is_int:
        number = {"true": 1, "false": 0}.get(text.lower(), php.number(text))
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        if isinstance(number, int) and number in declared.values:
            return number
    elif text in declared.values:
        return text
    raise errors.INVALID_ENUM_VALUE(text, name, declared.name)


def build_object(declared: ObjectClass, raw: Any, name: str, now: int) -> ApiObject:
    if not isinstance(raw, dict):
        raise errors.PROPERTY_VALIDATION_WRONG_FORMAT(name, "array")
    cls = _object_class(declared, raw.get("objectType"))
    values: dict[str, Any] = {}
    for key, item in raw.items():
        prop, nulled = (key[: -len("__null")], True) if key.endswith("__null") else (key, False)
        field = cls.get_field(prop)
        if field is None:
            continue
        path = f"{name}:{prop}"
        if isinstance(field.type, ArrayOf):
            if isinstance(item, dict | list) and not nulled:
                values[prop] = array(field.type.item, item, path, now)
        elif nulled:
            values[prop] = None
        elif not isinstance(field.type, ObjectClass) or isinstance(item, dict):
            values[prop] = value(field.type, item, path, now)
    return ApiObject(cls, values)


def _object_class(declared: ObjectClass, object_type: Any) -> ObjectClass:
    if not isinstance(object_type, str) or not object_type:
        return declared
    chosen = declared.subclass(object_type)
    if chosen is not None:
        return chosen
    if KALTURA_OBJECT.subclass(object_type) is not None:
        raise errors.INVALID_OBJECT_TYPE(object_type)
    return declared


def array(item: ObjectClass, raw: dict[str, Any] | list[Any], name: str, now: int) -> list[Any]:
    """Items of ``x[0][…]``/``x:1:…`` (by index) or of a JSON list; ``x[-]`` alone is empty."""
    if isinstance(raw, dict):
        raw = [v for k, v in sorted(raw.items(), key=_index_order) if k != "-"]
    return [build_object(item, v, name, now) for v in raw]


def _index_order(pair: tuple[str, Any]) -> tuple[int, int, str]:
    number = php.index(pair[0])
    return (0, number, "") if number is not None else (1, 0, pair[0])
