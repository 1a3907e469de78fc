"""Kaltura API types, declared as data: scalars, enums, object classes, arrays, and object values.

An :class:`ObjectClass` names its parent; a class declared with ``parent=X`` becomes selectable
by ``objectType`` wherever X is expected. Every class descends from :data:`KALTURA_OBJECT`, so
the root knows every declared class (which tells a wrong class from an unknown one).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Scalar(Enum):
    INT = "int"
    STRING = "string"
    BOOL = "bool"
    FLOAT = "float"
    TIME = "time"  # unix seconds; small values are relative to now (Kaltura's max_relative_time)


INT, STRING, BOOL, FLOAT, TIME = Scalar.INT, Scalar.STRING, Scalar.BOOL, Scalar.FLOAT, Scalar.TIME


@dataclass(frozen=True)
class EnumType:
    """A Kaltura enum: int values (``KalturaSessionType``) or string values
    (``KalturaReportInterval``, and ``KalturaReportType`` whose values are digit strings)."""

    name: str
    values: tuple[int, ...] | tuple[str, ...]

    @property
    def is_int(self) -> bool:
        return all(isinstance(v, int) for v in self.values)


@dataclass(frozen=True)
class Field:
    name: str
    type: ApiType
    default: Any = None  # the value of a property the caller did not send


@dataclass(eq=False)
class ObjectClass:
    """A Kaltura object class; ``fields`` are its own, :attr:`all_fields` adds the parents'."""

    name: str
    fields: tuple[Field, ...] = ()
    parent: ObjectClass | None = None
    children: list[ObjectClass] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.parent is not None:
            self.parent.children.append(self)

    @property
    def all_fields(self) -> tuple[Field, ...]:
        """Every property, parents' first (the order Kaltura serialises them in)."""
        inherited = self.parent.all_fields if self.parent is not None else ()
        return inherited + self.fields

    def get_field(self, name: str) -> Field | None:
        return next((f for f in self.all_fields if f.name == name), None)

    def descendants(self) -> Iterator[ObjectClass]:
        for child in self.children:
            yield child
            yield from child.descendants()

    def subclass(self, name: str) -> ObjectClass | None:
        """This class or a descendant called ``name`` (case-insensitive, as Kaltura compares)."""
        wanted = name.lower()
        return next((c for c in (self, *self.descendants()) if c.name.lower() == wanted), None)

    def __call__(self, **values: Any) -> ApiObject:
        """An instance: ``REPORT_TABLE(header=…, data=…, totalCount=3)``."""
        return ApiObject(self, values)


@dataclass(frozen=True)
class ArrayOf:
    item: ObjectClass


ApiType = Scalar | EnumType | ObjectClass | ArrayOf


@dataclass(frozen=True)
class ApiObject:
    """A value of an object class: the properties that were set (None = explicit null)."""

    cls: ObjectClass
    values: Mapping[str, Any]

    def __post_init__(self) -> None:
        unknown = set(self.values) - {f.name for f in self.cls.all_fields}
        if unknown:
            raise TypeError(f"{self.cls.name} has no properties {sorted(unknown)}")

    def get(self, name: str) -> Any:
        """The property's value, its declared default when it was not set."""
        if name in self.values:
            return self.values[name]
        declared = self.cls.get_field(name)
        if declared is None:
            raise KeyError(f"{self.cls.name} has no property {name}")
        return declared.default


KALTURA_OBJECT = ObjectClass("KalturaObject")
