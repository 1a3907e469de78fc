"""Appending to event tables: rows holding a NaN or an infinity are refused whole, alone."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest

from vantage.ingest.store import Store
from vantage.player import writes
from vantage.player.arrow import Received, to_arrow
from vantage.player.decode import decode_beacon
from vantage.store.appends import NonFiniteError

T0_US = 1_790_000_000_000_000


def beacons(session: str, bitrate: float | None = None) -> pa.Table:
    beacon = decode_beacon(
        {"eventType": "99", "partnerId": "1", "entryId": "e", "sessionId": session, "eventIndex": 1}
    )
    table = to_arrow([beacon], Received(T0_US, None, None))
    # as a path without the decoder's checks (the demo's generated tables) might hand them over
    at = table.schema.get_field_index("average_bitrate")
    return table.set_column(at, "average_bitrate", pa.array([bitrate], pa.float64()))


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_rows_with_a_non_finite_number_are_refused_and_the_rest_stored(
    store: Store, bad: float
) -> None:
    sent = [
        store.writer.append_events(beacons(f"s{i}", 800.0), target=writes.TARGET) for i in range(3)
    ]
    poisoned = store.writer.append_events(beacons("bad", bad), target=writes.TARGET)
    sent += [
        store.writer.append_events(beacons(f"t{i}", None), target=writes.TARGET) for i in range(3)
    ]
    with pytest.raises(NonFiniteError, match="average_bitrate"):
        poisoned.result()
    assert [f.result().stored for f in sent] == [1] * 6
    assert store.engine.query("SELECT count(*), sum(average_bitrate) FROM player_events") == [
        (6, 2400.0)
    ]
    assert store.engine.query("SELECT sum(bitrate_sum) FROM player_facts") == [(2400.0,)]
