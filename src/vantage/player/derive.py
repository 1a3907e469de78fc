"""The derived beacon columns (``play_time``, ``coverage``, ``new_percentiles``) worked out in
Python, equal to what the store's SQL gave before (kept as tests/player/derive_sql.py), so
the ingest tier derives them before it writes, with no store transaction around the work.

The rules are those of docs/player-analytics.md ("Derived columns"): plays, the hour gap, the
reset rule, percentiles from ``position`` back over ``play_time × playbackSpeed``, quartile
beacons' quarter of the duration. What a batch needs from the store is each play's latest view
stored in the SQL's window (``view_window``), which ``PlayState`` keeps in memory for plays seen
recently and asks the store for otherwise.

Views of one play that tie on both ``received_at`` and ``event_index`` have no order in the
SQL (its window sort is not stable); here they keep their order in the batch.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from vantage.player.facts import PLAY_GAP_SECONDS, QUARTILES, RESET_LIMIT_SECONDS, VIEW

PlayKey = tuple[int, str, str]
"""partner_id, session_id, entry_id: the views of one play (a view without a session has none)."""
EntryKey = tuple[int, str]
"""partner_id, entry_id."""

GAP_US = PLAY_GAP_SECONDS * 1_000_000
LATE_SECONDS = 60
"""How much earlier than views already committed a batch's views may have been received (they
waited in the queue while an earlier commit ran); ``PlayState`` keeps plays this much longer
than the hour gap so such a batch still finds them in memory."""

MAX_PLAYS = 200_000
"""Plays ``PlayState`` holds at most by default: about 100 MB (some 520 bytes a play, with
session ids as the web player makes them), many more than 10,000 viewers start in an hour.
Beyond it the least recently seen are forgotten (and looked up when they come back)."""

COVERAGE_TYPE = pa.decimal128(38, 0)
"""Coverage, percentiles 0–100 as bits (101 bits), leaves as Arrow's one 128-bit integer type:
DuckDB reads decimal128(38, 0) as DECIMAL(38, 0), held as a HUGEINT, and inserts it into the
HUGEINT column exactly (tests/player/test_derive.py); it also gives a HUGEINT back as
decimal128(38, 0). ClickHouse reads it as Decimal(38, 0) and inserts it into a UInt128 column
exactly (tried on chDB 4.4). Two uint64 halves would need putting together in SQL on both
engines; a fixed_size_binary(16) has no cast to either integer."""
SCHEMA = pa.schema(
    [
        pa.field("play_time", pa.float64()),
        pa.field("coverage", COVERAGE_TYPE),
        pa.field("new_percentiles", pa.int16()),
    ]
)

_ONES = (1 << 64) - 1
# (1 << n) - 1 for n = 0…128, as low and high uint64 halves: the bits below percentile n.
_BELOW = [((1 << n) - 1) for n in range(129)]
_BELOW_LOW = np.array([m & _ONES for m in _BELOW], np.uint64)
_BELOW_HIGH = np.array([m >> 64 for m in _BELOW], np.uint64)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
WordArray = npt.NDArray[np.uint64]


class PlayView(NamedTuple):
    """A stored view as the play's next view continues it: what the SQL reads of the row it
    carries (its own ``play_time`` is read there but never reaches a result, so it is not
    kept). A named tuple rather than a frozen dataclass: a batch makes one per play, and a
    tuple is about ten times quicker to make."""

    received_at: int
    """Unix microseconds."""
    event_index: int | None
    play_time_sum: float | None
    coverage: int | None
    """The percentiles the play covered up to this view, as bits (None: none known)."""


Lookup = Callable[[Collection[PlayKey], int, int], Mapping[PlayKey, PlayView]]
"""The store's answer for plays ``PlayState`` cannot answer: given play keys and a window of
``received_at`` (unix µs, both ends included), each play's latest stored view in the window
(latest: by ``received_at``, then ``event_index``, a NULL index before any other); plays with
none are left out."""


def view_window(rows: pa.Table) -> tuple[int, int] | None:
    """The window of ``received_at`` (unix µs, inclusive) in which the SQL looks for stored
    views that the batch's plays continue: from an hour before the batch's first view to its
    last; None when the batch has no view."""
    received = _column(rows, "received_at")[_column(rows, "event_type_id") == VIEW]
    if not len(received):
        return None
    return int(received.min()) - GAP_US, int(received.max())


def derive(
    rows: pa.Table,
    previous: Mapping[PlayKey, PlayView],
    durations: Mapping[EntryKey, int | None],
) -> pa.Table:
    """The derived columns (``SCHEMA``) of every row of ``rows``, in their order.

    ``previous`` holds each play's latest stored view in ``view_window(rows)``, as the SQL
    carries it (other plays and views without a session are ignored); ``durations`` the
    entries' durations in seconds (an entry missing or None: unknown)."""
    n = rows.num_rows
    event = _column(rows, "event_type_id")
    vod = _present(pc.equal(rows.column("playback_type"), "vod"))
    duration, known = _entry_durations(rows, durations)
    play_time = np.zeros(n)
    has_play_time = np.zeros(n, bool)
    coverage = np.zeros((n, 2), np.uint64)
    has_coverage = np.zeros(n, bool)
    new_percentiles = np.zeros(n, np.int16)

    views = np.flatnonzero(event == VIEW)
    if len(views):
        of_views = _derive_views(rows, views, previous, duration[views], vod[views])
        play_time[views] = of_views.play_time
        has_play_time[views] = True
        coverage[views, 0], coverage[views, 1] = of_views.coverage_low, of_views.coverage_high
        has_coverage[views] = of_views.has_coverage
        new_percentiles[views] = of_views.new_percentiles

    # A quartile beacon of a VOD entry that is known: a quarter of its duration (NULL when the
    # duration is not set), no coverage.
    quartiles = np.isin(event, QUARTILES) & vod & known
    play_time[quartiles] = duration[quartiles] / 4.0
    has_play_time[quartiles] = ~np.isnan(duration[quartiles])

    validity = pa.py_buffer(np.packbits(has_coverage, bitorder="little"))
    return pa.table(
        [
            pa.array(play_time, mask=~has_play_time),
            pa.Array.from_buffers(COVERAGE_TYPE, n, [validity, pa.py_buffer(coverage)]),
            pa.array(new_percentiles, mask=event != VIEW),
        ],
        schema=SCHEMA,
    )


def latest_views(rows: pa.Table, derived: pa.Table) -> dict[PlayKey, PlayView]:
    """Each play's latest view among ``rows`` with its derived columns: the view the SQL would
    carry from the store into the play's next batch (latest by ``received_at``, then
    ``event_index``, a NULL index counting as the lowest, as its ``DESC`` order does)."""
    views = np.flatnonzero(_column(rows, "event_type_id") == VIEW)
    play, keys = _plays_of(rows, views)
    if not keys:
        return {}
    views, play = views[play < len(keys)], play[play < len(keys)]  # those with a session
    index = rows.column("event_index").take(pa.array(views))
    # Stable: of views tying on both, the last in the batch (the SQL picks any).
    order = np.lexsort(
        (
            _filled(index, 0),
            _present(pc.is_valid(index)),
            _column(rows, "received_at")[views],
            play,
        )
    )
    latest = views[order[np.append(play[order][1:] != play[order][:-1], True)]]
    chosen = pa.array(latest)
    coverage = derived.column("coverage").combine_chunks()
    words = np.frombuffer(coverage.buffers()[1], np.uint64, 2 * len(coverage), 16 * coverage.offset)
    low, high = words[0::2][latest].tolist(), words[1::2][latest].tolist()
    found = zip(
        rows.column("received_at").cast(pa.int64()).take(chosen).to_pylist(),
        rows.column("event_index").take(chosen).to_pylist(),
        rows.column("play_time_sum").take(chosen).to_pylist(),
        coverage.is_valid().take(chosen).to_pylist(),
        low,
        high,
        strict=True,
    )
    return {
        key: PlayView(at, index, play_time_sum, lo | hi << 64 if valid else None)
        for key, (at, index, play_time_sum, valid, lo, hi) in zip(keys, found, strict=True)
    }


class PlayState:
    """The latest view of each recent play, as a writer commits them, so a batch's plays need
    no store lookup; bounded by time (plays idle for longer than the hour gap and
    ``LATE_SECONDS`` are forgotten) and by ``max_plays``.

    Correctness never rests on the state being warm: it answers a play only when it knows it
    has seen every stored view of that play that matters, and asks ``lookup`` otherwise. It
    knows this from ``_complete_from``: every view stored with ``received_at`` at or after it
    has been recorded here (given by the caller at start, raised when plays are forgotten). So
    after a restart its plays are looked up until an hour has passed, and the writer must
    record every batch of views it stores, those it derived without asking (vouched new) too.
    Where another process may store views of the same plays, no time is complete: a
    ``complete_from`` beyond any ``received_at`` makes every play looked up.
    """

    def __init__(self, complete_from: int, max_plays: int = MAX_PLAYS) -> None:
        """``complete_from`` (unix µs): every view that will be stored with ``received_at``
        at or after it is recorded here, and none such is stored yet; for a writer that alone
        stores views, just after the latest ``received_at`` of the stored views (0 when there
        is none)."""
        self._views: OrderedDict[PlayKey, PlayView] = OrderedDict()  # least recently recorded first
        self._complete_from = complete_from
        self._newest: int | None = None
        self._max_plays = max_plays

    def __len__(self) -> int:
        return len(self._views)

    def previous(self, rows: pa.Table, lookup: Lookup) -> dict[PlayKey, PlayView]:
        """The ``previous`` argument of ``derive`` for ``rows``: from memory where that is
        certain, from ``lookup`` for the other plays (asked once, with the SQL's window)."""
        window = view_window(rows)
        if window is None:
            return {}
        start, end = window
        known: dict[PlayKey, PlayView] = {}
        unknown: list[PlayKey] = []
        views = np.flatnonzero(_column(rows, "event_type_id") == VIEW)
        for key in _plays_of(rows, views)[1]:
            view = self._views.get(key)
            if view is not None and view.received_at > end:
                unknown.append(key)  # a late batch: the latest view in its window is older
            elif view is not None and view.received_at >= self._complete_from:
                known[key] = view  # the play's latest stored view
            elif start < self._complete_from:
                unknown.append(key)  # a view stored before the state's knowledge may count
            # else: any view stored in the window would have been recorded: there is none
        if unknown:
            known.update(lookup(unknown, start, end))
        return known

    def record(self, latest: Mapping[PlayKey, PlayView]) -> None:
        """Remember a committed batch's ``latest_views`` (only once it is durable: views of a
        transaction rolled back must not be remembered), then forget what is too old."""
        for key, view in latest.items():
            known = self._views.get(key)
            if known is None or _order(view) >= _order(known):
                self._views[key] = view
            self._views.move_to_end(key)
            if self._newest is None or view.received_at > self._newest:
                self._newest = view.received_at
        if self._newest is not None:
            horizon = self._newest - GAP_US - LATE_SECONDS * 1_000_000
            while self._views and next(iter(self._views.values())).received_at < horizon:
                self._forget_oldest()
        while len(self._views) > self._max_plays:
            self._forget_oldest()

    def _forget_oldest(self) -> None:
        # A forgotten play has no stored view after its last one, so every view stored from
        # just after it on is still recorded here.
        _, view = self._views.popitem(last=False)
        self._complete_from = max(self._complete_from, view.received_at + 1)


def _order(view: PlayView) -> tuple[int, bool, int]:
    return view.received_at, view.event_index is not None, view.event_index or 0


_PLAY = ("partner_id", "session_id", "entry_id")
_ENTRY = ("partner_id", "entry_id")


class _OfViews(NamedTuple):
    play_time: FloatArray
    coverage_low: WordArray
    coverage_high: WordArray
    has_coverage: BoolArray
    new_percentiles: npt.NDArray[np.int16]


def _derive_views(
    rows: pa.Table,
    views: IntArray,
    previous: Mapping[PlayKey, PlayView],
    duration: FloatArray,
    vod: BoolArray,
) -> _OfViews:
    """The derived columns of the views ``views`` of ``rows``: the SQL's ``views`` through
    ``derived``, each step a column over the views and their plays' carried views sorted as
    the SQL's windows sort them."""
    play, keys = _plays_of(rows, views)
    carried = [(number, previous[key]) for number, key in enumerate(keys) if key in previous]
    taken = pa.array(views)
    index = rows.column("event_index").take(taken)

    def joined(incoming: npt.NDArray[Any], stored: list[Any], dtype: type) -> npt.NDArray[Any]:
        return np.concatenate([incoming, np.array(stored, dtype)])

    play = joined(play, [number for number, _ in carried], np.int64)
    received = joined(
        _column(rows, "received_at")[views], [v.received_at for _, v in carried], np.int64
    )
    has_index = joined(
        _present(pc.is_valid(index)), [v.event_index is not None for _, v in carried], np.bool_
    )
    index_value = joined(_filled(index, 0), [v.event_index or 0 for _, v in carried], np.int64)
    play_time_sum = joined(
        _floats(rows.column("play_time_sum").take(taken)),
        [np.nan if v.play_time_sum is None else v.play_time_sum for _, v in carried],
        np.float64,
    )
    incoming = np.arange(len(play)) < len(views)
    # The SQL's order: play, received_at, event_index with NULLs last; a carried view before
    # an incoming one it ties with (it was stored first), incoming ones in batch order.
    order = np.lexsort((incoming, index_value, ~has_index, received, play))
    play, received, play_time_sum, incoming = (
        play[order],
        received[order],
        play_time_sum[order],
        incoming[order],
    )
    batch_at = order[incoming]  # where the sorted incoming views are in ``views``
    stored_at = order[~incoming] - len(views)  # where the sorted carried views are in ``carried``

    same_play = np.append(False, play[1:] == play[:-1])
    continues = same_play & (np.diff(received, prepend=0) <= GAP_US)
    # NaN stands for NULL: numbers are stored finite, and no step here makes a NaN of them
    # (a difference may overflow to ±infinity, as in the SQL).
    with np.errstate(over="ignore", invalid="ignore"):
        since = np.diff(play_time_sum, prepend=np.nan)
    counted = continues & (since >= 0) & (since <= RESET_LIMIT_SECONDS)
    period = np.where(counted, since, np.minimum(np.nan_to_num(play_time_sum, nan=0.0), 10))
    play = np.cumsum(~continues)  # now one number per play of the hour gap

    own_low = np.zeros(len(play), np.uint64)
    own_high = np.zeros(len(play), np.uint64)
    own_has = np.zeros(len(play), np.bool_)
    own_low[incoming], own_high[incoming], own_has[incoming] = _percentiles(
        _floats(rows.column("position").take(taken))[batch_at],
        period[incoming],
        np.nan_to_num(_floats(rows.column("playback_speed").take(taken)), nan=1.0)[batch_at],
        duration[batch_at],
        vod[batch_at],
    )
    # A carried view adds its stored coverage (the SQL's ``own`` of a stored row).
    stored_coverage = [carried[i][1].coverage for i in stored_at.tolist()]
    own_low[~incoming] = [(c or 0) & _ONES for c in stored_coverage]
    own_high[~incoming] = [(c or 0) >> 64 for c in stored_coverage]
    own_has[~incoming] = [c is not None for c in stored_coverage]

    low, high, has = _running_or(play, [own_low, own_high, own_has.astype(np.uint64)])
    counts = (np.bitwise_count(low) + np.bitwise_count(high)).astype(np.int16)
    new = counts - np.where(np.append(False, play[1:] == play[:-1]), np.roll(counts, 1), 0)

    # The sorted positions of the batch's views, in the batch's order.
    in_batch = np.flatnonzero(incoming)[np.argsort(batch_at)]
    return _OfViews(
        period[in_batch],
        low[in_batch],
        high[in_batch],
        has[in_batch].astype(np.bool_),
        new[in_batch],
    )


def _percentiles(
    position: FloatArray,
    period: FloatArray,
    speed: FloatArray,
    duration: FloatArray,
    vod: BoolArray,
) -> tuple[WordArray, WordArray, BoolArray]:
    """Each view's own percentiles lo…hi as 128-bit halves, and whether it has any (the SQL's
    ``own``: VOD, a duration above 0 and a position)."""
    has = vod & (duration > 0) & ~np.isnan(position)
    # The SQL's arithmetic in the same order, so the same doubles: 100 × (position − period ×
    # speed) / duration. Overflow gives ±infinity there as here; rows without ``has`` may
    # divide by 0 and are dropped.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lo = np.floor(100 * (position - period * speed) / duration)
        hi = np.floor(100 * position / duration)
    lo = np.clip(np.where(has, lo, 0), 0, 100).astype(np.int64)
    hi = np.clip(np.where(has, hi, 0), 0, 100).astype(np.int64)
    # Bits lo…hi: those below hi + 1 but not below lo (none when lo > hi).
    low = np.where(has, _BELOW_LOW[hi + 1] & ~_BELOW_LOW[lo], np.uint64(0))
    high = np.where(has, _BELOW_HIGH[hi + 1] & ~_BELOW_HIGH[lo], np.uint64(0))
    return low, high, has


def _running_or(segment: IntArray, words: list[WordArray]) -> list[WordArray]:
    """Each word's OR over its segment's rows up to and including this one (segments are
    contiguous runs of equal ``segment``): a scan of log₂(longest segment) steps."""
    words = [w.copy() for w in words]
    longest = int(np.bincount(segment).max()) if len(segment) else 0
    step = 1
    while step < longest:
        same = segment[step:] == segment[:-step]
        for word in words:
            word[step:] |= np.where(same, word[:-step], np.uint64(0))
        step *= 2
    return words


def _plays_of(rows: pa.Table, views: IntArray) -> tuple[IntArray, list[PlayKey]]:
    """A play number for each of the views ``views`` of ``rows``, and the key of each play
    with a session: those are numbered first, then each view without a session has its own."""
    has_session = _present(pc.is_valid(rows.column("session_id").take(pa.array(views))))
    number, first = _distinct(rows, views[has_session], _PLAY)
    play = np.empty(len(views), np.int64)
    play[has_session] = number
    play[~has_session] = len(first) + np.arange(len(views) - len(number))
    return play, _keys(rows, views[has_session][first], _PLAY)


def _entry_durations(
    rows: pa.Table, durations: Mapping[EntryKey, int | None]
) -> tuple[FloatArray, BoolArray]:
    """Each row's entry duration in seconds (NaN when unknown: the SQL's NULL), and whether
    the entry is known at all; looked up once per entry."""
    number, first = _distinct(rows, np.arange(rows.num_rows), _ENTRY)
    keys = _keys(rows, first, _ENTRY)
    found = [durations.get(key) for key in keys]
    duration = np.array([np.nan if d is None else d for d in found], np.float64)
    known = np.array([key in durations for key in keys], np.bool_)
    return duration[number], known[number]


def _distinct(rows: pa.Table, at: IntArray, names: tuple[str, ...]) -> tuple[IntArray, IntArray]:
    """Number the distinct values of the columns ``names`` over the rows ``at``: each row's
    number, and the first of them (a position in ``at``) with each number."""
    taken = pa.array(at)
    code = np.zeros(len(at), np.int64)
    for name in names:
        # One chunk, so one dictionary (a batch may join the tables of many requests).
        encoded = pc.dictionary_encode(rows.column(name).take(taken).combine_chunks())
        # Codes stay below (rows + 1)³ < 2⁶³ for any batch under a million rows.
        code = code * (len(encoded.dictionary) + 1) + _filled(encoded.indices, -1) + 1
    _, first, number = np.unique(code, return_index=True, return_inverse=True)
    return number.astype(np.int64), first.astype(np.int64)


def _keys(rows: pa.Table, at: IntArray, names: tuple[str, ...]) -> list[Any]:
    columns = (rows.column(name).take(pa.array(at)).to_pylist() for name in names)
    return list(zip(*columns, strict=True))


def _column(rows: pa.Table, name: str) -> IntArray:
    """A non-null integer or timestamp column as int64 (timestamps in µs)."""
    return np.asarray(rows.column(name).cast(pa.int64()).to_numpy(), np.int64)


def _floats(values: pa.ChunkedArray) -> FloatArray:
    return np.asarray(pc.fill_null(values, np.nan).to_numpy(), np.float64)


def _filled(values: pa.ChunkedArray | pa.Array, default: int) -> IntArray:
    return np.asarray(pc.fill_null(values, default).to_numpy(), np.int64)


def _present(flags: pa.ChunkedArray | pa.Array) -> BoolArray:
    """A boolean column as numpy, NULL as False (as a CASE condition takes it)."""
    return np.asarray(pc.fill_null(flags, False).to_numpy(zero_copy_only=False), bool)
