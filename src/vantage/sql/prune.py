"""Pruning a plan's derived relations to the columns their reader uses.

A report's facts are a union of sources, each computing every fact column (some eighty, many
of them aggregates of raw events); a total reads a handful. The engines drop the others
anyway, but only after binding and optimising them, which costs more than running a small
report. ``pruned`` drops them from the plan, so the SQL says only what is read.
"""

from __future__ import annotations

import dataclasses
from dataclasses import replace

from vantage.sql.expr import Col
from vantage.sql.plan import Query, Select, Union


def pruned(select: Select) -> Select:
    """``select``, its derived source (and theirs, down) computing only the columns read."""
    source = select.source
    if not isinstance(source, Select | Union):
        return select
    kept = _kept(source, _names(select))
    return select if kept is source else replace(select, source=kept)


def _names(select: Select) -> set[str]:
    """Every column name ``select`` mentions outside its source (of any table: never fewer
    than it reads)."""
    found: set[str] = set()
    todo: list[object] = [getattr(select, f.name) for f in dataclasses.fields(select)]
    todo.remove(select.source)
    while todo:
        node = todo.pop()
        if isinstance(node, Col):
            found.add(node.name)
        elif isinstance(node, tuple | list):
            todo.extend(node)
        elif dataclasses.is_dataclass(node) and not isinstance(node, type):
            todo.extend(getattr(node, f.name) for f in dataclasses.fields(node))
    return found


def _kept(query: Query, used: set[str]) -> Query:
    if isinstance(query, Union):
        parts = [p for p in query.parts if isinstance(p, Select)]
        if query.distinct or len(parts) < len(query.parts):
            return query  # dropping a column could merge distinct rows
        keep = [i for i, n in enumerate(parts[0].names) if n in used] or [0]
        return replace(query, parts=tuple(_columns(p, keep) for p in parts))
    if isinstance(query, Select):
        if query.distinct:
            return query
        keep = [i for i, n in enumerate(query.names) if n in used] or [0]
        return _columns(query, keep)
    return query


def _columns(select: Select, keep: list[int]) -> Select:
    if len(keep) == len(select.columns):
        return pruned(select)
    return pruned(replace(select, columns=tuple(select.columns[i] for i in keep)))
