"""Rows of room events built column-wise: numpy arrays in, one Arrow table (the store's
``room_events`` layout, ``ARROW_SCHEMA``) out, sorted by time.

A frame collects pieces, one per call to ``add``: an event type, its rows' contexts (which
entry and session), users (indices into the school's users), times, and the type's own
columns. Nothing is built per event.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from vantage.events.columns import ARROW_SCHEMA
from vantage.events.vocabulary import EVENT_TYPES, type_name

TYPE_NAMES = tuple(type_name(cls) for cls in EVENT_TYPES)
_TYPE_CODE = {name: i for i, name in enumerate(TYPE_NAMES)}
_TYPE_ARRAY = pa.array(TYPE_NAMES, pa.string())
_COMMON = (
    "event_type",
    "event_id",
    "partner_id",
    "entry_id",
    "session_id",
    "user_id",
    "time",
    "virtual_event_id",
    "received_at",
)
_OWN_FIELDS = [f for f in ARROW_SCHEMA if f.name not in _COMMON]
_OWN_TYPES = {f.name: f.type for f in _OWN_FIELDS}


class Frame:
    """The events of one unit of the demo, before they become an Arrow table."""

    def __init__(self, partner_id: int, user_ids: pa.Array) -> None:
        self.partner_id = partner_id
        self.user_ids = user_ids  # every user id of the school, by user index
        self._contexts: list[tuple[str, str | None, int | None]] = []
        self._context_index: dict[tuple[str, str | None, int | None], int] = {}
        self._parts: list[tuple[int, int, Any, np.ndarray, np.ndarray, dict[str, Any]]] = []
        self.rows = 0

    def context(
        self, entry_id: str, session_id: str | None, virtual_event_id: int | None = None
    ) -> int:
        """The number of an (entry, session) that events happen in."""
        key = (entry_id, session_id, virtual_event_id)
        found = self._context_index.get(key)
        if found is None:
            found = self._context_index[key] = len(self._contexts)
            self._contexts.append(key)
        return found

    def add(
        self,
        event_type: str,
        *,
        ctx: int | np.ndarray,
        user: np.ndarray,
        time: np.ndarray,
        **columns: Any,
    ) -> None:
        """Add ``len(time)`` events of ``event_type``; ``columns`` are the type's own fields,
        each an array (or list) of that length, or one value for all rows."""
        n = len(time)
        if n == 0:
            return
        for name in columns:
            if name not in _OWN_TYPES:
                raise KeyError(f"room_events has no column {name}")
        user = np.asarray(user, np.int64)
        if user.shape == ():
            user = np.full(n, int(user), np.int64)
        if len(user) != n:
            raise ValueError(f"{event_type}: {len(user)} users for {n} times")
        self._parts.append(
            (_TYPE_CODE[event_type], n, ctx, user, np.asarray(time, np.int64), columns)
        )
        self.rows += n

    def table(self, delays_us: np.ndarray | None = None) -> pa.Table:
        """All rows added so far, sorted by time; ``received_at`` is time plus ``delays_us``."""
        n = self.rows
        parts = self._parts
        codes = np.concatenate([np.full(p[1], p[0], np.int8) for p in parts])
        ctx = np.concatenate(
            [
                np.full(p[1], p[2], np.int32) if np.ndim(p[2]) == 0 else np.asarray(p[2], np.int32)
                for p in parts
            ]
        )
        users = np.concatenate([p[3] for p in parts])
        times = np.concatenate([p[4] for p in parts])
        order = np.argsort(times, kind="stable")
        codes, ctx, users, times = codes[order], ctx[order], users[order], times[order]
        received = times + (delays_us if delays_us is not None else 0)
        entries = pa.array([c[0] for c in self._contexts], pa.string())
        sessions = pa.array([c[1] for c in self._contexts], pa.string())
        ves = pa.array([c[2] for c in self._contexts], pa.int64())
        ctx_arrow = pa.array(ctx)
        arrays: dict[str, pa.Array] = {
            "event_type": _TYPE_ARRAY.take(pa.array(codes)),
            "event_id": pa.nulls(n, pa.string()),
            "partner_id": pa.array(np.full(n, self.partner_id, np.int64)),
            "entry_id": entries.take(ctx_arrow),
            "session_id": sessions.take(ctx_arrow),
            "user_id": self.user_ids.take(pa.array(users)),
            "time": pa.array(times, pa.timestamp("us")),
            "virtual_event_id": ves.take(ctx_arrow),
            "received_at": pa.array(received, pa.timestamp("us")),
        }
        take = pa.array(order)
        for field in _OWN_FIELDS:
            if not any(field.name in p[5] for p in parts):
                arrays[field.name] = pa.nulls(n, field.type)
                continue
            pieces = [_column(p[5].get(field.name, _MISSING), p[1], field.type) for p in parts]
            arrays[field.name] = pa.concat_arrays(pieces).take(take)
        return pa.Table.from_arrays([arrays[f.name] for f in ARROW_SCHEMA], schema=ARROW_SCHEMA)


_MISSING = object()


def _column(value: Any, n: int, type_: pa.DataType) -> pa.Array:
    if value is _MISSING or value is None:
        return pa.nulls(n, type_)
    if isinstance(value, pa.ChunkedArray):
        value = value.combine_chunks()
    if isinstance(value, pa.Array):
        return value if value.type == type_ else value.cast(type_)
    if isinstance(value, np.ndarray | list):
        return pa.array(value, type_)
    return pa.array([value] * n, type_) if n < 64 else pa.repeat(pa.scalar(value, type_), n)
