"""Declared field types (msgspec) → Arrow and SQL column types, for events and entities alike."""

from __future__ import annotations

import msgspec.inspect as mi
import pyarrow as pa


def struct_fields(cls: type) -> tuple[mi.Field, ...]:
    """The declared fields of a msgspec Struct class, in order."""
    info = mi.type_info(cls)
    assert isinstance(info, mi.StructType), cls
    return info.fields


def column_type(info: mi.Type) -> tuple[pa.DataType, str]:
    """The Arrow and SQL type of a column holding values of ``info``.

    A time (anything that may be a datetime) is a TIMESTAMP; a list of objects is JSON text.
    """
    if isinstance(info, mi.UnionType):
        if any(isinstance(t, mi.DateTimeType) for t in info.types):
            return pa.timestamp("us"), "TIMESTAMP"
        inner = [t for t in info.types if not isinstance(t, mi.NoneType)]
        if len(inner) == 1:
            return column_type(inner[0])
    if isinstance(info, mi.StrType | mi.EnumType):
        return pa.string(), "VARCHAR"
    if isinstance(info, mi.BoolType):
        return pa.bool_(), "BOOLEAN"
    if isinstance(info, mi.IntType):
        return pa.int64(), "BIGINT"
    if isinstance(info, mi.FloatType):
        return pa.float64(), "DOUBLE"
    if isinstance(info, mi.ListType):
        if isinstance(info.item_type, mi.StructType):
            return pa.string(), "JSON"
        item_arrow, item_sql = column_type(info.item_type)
        return pa.list_(item_arrow), f"{item_sql}[]"
    raise TypeError(f"no column type for {info!r}")
