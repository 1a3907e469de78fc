"""SQL literals for compiled report queries: values are quoted into the text, so a compiled
query is plain SQL that any engine can run and that can be cached by its text."""

from __future__ import annotations

from collections.abc import Iterable


def lit(value: str | int | float) -> str:
    if isinstance(value, bool):
        raise TypeError("booleans are not report values")
    if isinstance(value, int | float):
        return repr(value)
    return "'" + value.replace("'", "''") + "'"


def lits(values: Iterable[str | int | float]) -> str:
    """A parenthesised list for IN; an empty list matches nothing."""
    items = [lit(v) for v in values]
    return "(" + ", ".join(items) + ")" if items else "(NULL)"
