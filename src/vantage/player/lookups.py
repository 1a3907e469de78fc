"""What deriving a batch of beacons needs from the store, as plans for any engine: each play's
latest stored view in a window (as vantage.player.derive continues it: latest ``received_at``,
then ``event_index``, a NULL index lowest) and the durations of the batch's entries."""

from __future__ import annotations

from collections.abc import Collection

from vantage.player import facts
from vantage.player.derive import EntryKey, PlayKey
from vantage.sql.expr import Col, Order, Over, Time, all_of, fn
from vantage.sql.plan import Select, Table, read

_PLAY = ("partner_id", "session_id", "entry_id")
VIEW_COLUMNS = (*_PLAY, "received_at", "event_index", "play_time_sum", "coverage")


def latest_views(keys: Collection[PlayKey], since_us: int, until_us: int) -> Select:
    """Rows of ``VIEW_COLUMNS`` (``received_at`` as unix µs): the latest stored view of each of
    the plays ``keys`` received in [``since_us``, ``until_us``]. The plays are matched by their
    parts, so the rows may hold other plays of the same partners, sessions and entries."""
    b = "b"
    where = all_of(
        [
            Col("event_type_id", b).eq(facts.VIEW),
            Col("received_at", b).ge(Time(since_us)),
            Col("received_at", b).le(Time(until_us)),
            *(Col(part, b).isin(sorted({k[i] for k in keys})) for i, part in enumerate(_PLAY)),
        ]
    )
    latest = Over(
        fn("row_number"),
        tuple(Col(p, b) for p in _PLAY),
        (
            Order(Col("received_at", b), descending=True),
            Order(Col("event_index", b), descending=True),
        ),
    )
    views = Select(
        (
            *((c, Col(c, b)) for c in VIEW_COLUMNS if c != "received_at"),
            ("received_at", fn("unix_micros", Col("received_at", b))),
            ("nth", latest),
        ),
        Table("player_events"),
        b,
        where=where,
    )
    return Select(
        tuple((c, Col(c, "v")) for c in VIEW_COLUMNS), views, "v", where=Col("nth", "v").eq(1)
    )


def durations(keys: Collection[EntryKey]) -> Select:
    """Rows of (partner_id, id, duration) of the stored entries among ``keys`` (and perhaps
    other entries of the same partners with the same ids)."""
    t = "t"
    where = Col("partner_id", t).isin(sorted({p for p, _ in keys})) & Col("id", t).isin(
        sorted({e for _, e in keys})
    )
    return read("entries", ("partner_id", "id", "duration"), where)
