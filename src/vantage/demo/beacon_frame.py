"""Player beacons of a batch of page loads built column-wise: numpy pieces in, one Arrow table in
``player_events``' layout out, sorted by time, with ``eventIndex`` counted per load.

A piece is one event id for some loads: the load of each row, its time, and the event's own
columns (numbers, or indices into ``choices`` for text). What a load's rows share — entry,
viewer, page, address, agent and their enrichment — is taken from columns by load index.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from vantage.player.columns import ARROW_SCHEMA
from vantage.player.vocabulary import BY_ID

_TYPES = {f.name: f.type for f in ARROW_SCHEMA}


class BeaconFrame:
    def __init__(self, choices: Mapping[str, pa.Array]) -> None:
        self.choices = choices  # text columns: their values, which pieces give by index
        self._parts: list[tuple[int, np.ndarray, np.ndarray, dict[str, Any]]] = []
        self.rows = 0

    def add(self, event: int, load: np.ndarray, time_us: np.ndarray, **columns: Any) -> None:
        """Rows of ``event`` for ``load`` at ``time_us``; each column an array of that length or
        one value for all."""
        if len(load) == 0:
            return
        for name in columns:
            if name not in _TYPES:
                raise KeyError(f"player_events has no column {name}")
        self._parts.append((event, load, np.asarray(time_us, np.int64), columns))
        self.rows += len(load)

    def per_load(self, loads: int) -> np.ndarray:
        """Rows by load index."""
        return np.bincount(np.concatenate([p[1] for p in self._parts]), minlength=loads)

    def table(
        self,
        shared: Mapping[str, pa.Array],
        load_us: np.ndarray,
        delay_us: np.ndarray,
        loads: int,
    ) -> pa.Table:
        """The rows of the first ``loads`` loads, sorted by time. ``shared`` columns are by load
        index; ``load_us`` is each load's first beacon (its session start); ``delay_us`` how late
        each load's rows arrive (a client's latency holds for all it sends, so they stay in
        order)."""
        load = np.concatenate([p[1] for p in self._parts])
        time = np.concatenate([p[2] for p in self._parts])
        piece = np.repeat(np.arange(len(self._parts)), [len(p[1]) for p in self._parts])
        # within a load, by time; pieces added earlier go first at the same time
        order = np.lexsort((piece, time, load))
        order = order[load[order] < loads]
        sorted_load = load[order]
        starts = np.flatnonzero(np.r_[True, sorted_load[1:] != sorted_load[:-1]])
        index = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)])) + 1
        by_time = np.argsort(time[order], kind="stable")
        rows, index = order[by_time], index[by_time]
        row_load = pa.array(load[rows])

        events = np.array([p[0] for p in self._parts])
        names = pa.array([BY_ID[int(e)].name for e in events], pa.string())
        arrays: dict[str, pa.Array] = {
            name: values.take(row_load) for name, values in shared.items()
        }
        arrays["event_type"] = names.take(pa.array(piece[rows]))
        arrays["event_type_id"] = pa.array(events[piece[rows]], pa.int64())
        arrays["event_index"] = pa.array(index, pa.int64())
        arrays["session_start_time"] = pa.array(
            load_us[load[rows]] / 1e6, pa.float64(), mask=index == 1
        )
        arrays["received_at"] = pa.array(time[rows] + delay_us[load[rows]], pa.timestamp("us"))
        for name in sorted({c for p in self._parts for c in p[3]}):
            arrays[name] = self._column(name, rows)
        n = len(rows)
        return pa.Table.from_arrays(
            [arrays.get(f.name, pa.nulls(n, f.type)) for f in ARROW_SCHEMA], schema=ARROW_SCHEMA
        )

    def _column(self, name: str, rows: np.ndarray) -> pa.Array:
        choices = self.choices.get(name)
        dtype = np.int64 if choices is not None or pa.types.is_integer(_TYPES[name]) else float
        values, given = [], []
        for _, load, _, columns in self._parts:
            n = len(load)
            value = columns.get(name)
            given.append(np.full(n, value is not None))
            values.append(np.broadcast_to(np.asarray(0 if value is None else value, dtype), n))
        v = np.concatenate(values)[rows]
        mask = ~np.concatenate(given)[rows]
        if choices is not None:
            return choices.take(pa.array(v, mask=mask))
        return pa.array(v, _TYPES[name], mask=mask)
