"""Property: any valid batch comes back from the store exactly as it was sent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import NOW, SAMPLE_FIELDS, T0
from vantage.collector.stored import list_events
from vantage.config import Settings
from vantage.events.arrow import to_arrow
from vantage.events.decode import TimeWindow, decode_batch
from vantage.ingest.store import Store
from vantage.timeconv import to_micros

WINDOW = TimeWindow.around(NOW, 400, 300)
ids = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40)
times = st.one_of(
    st.integers(T0 - 86_400 * 300, T0),
    st.integers((T0 - 86_400) * 1000, T0 * 1000).map(lambda ms: ms / 1000),
)


@st.composite
def events(draw: st.DrawFn) -> dict[str, Any]:
    type_ = draw(st.sampled_from(sorted(SAMPLE_FIELDS)))
    event: dict[str, Any] = {
        "type": type_,
        "eventId": draw(ids),
        "partnerId": draw(st.sampled_from([101, 102])),
        "entryId": draw(ids),
        "sessionId": draw(ids),
        "userId": draw(ids),
        "time": draw(times),
        **SAMPLE_FIELDS[type_],
    }
    if draw(st.booleans()):
        event["virtualEventId"] = draw(st.integers(1, 2**62))
    if "text" in event:
        event["text"] = draw(st.text(max_size=200))
    if type_ == "viewPeriod":
        event["viewTime"] = draw(st.floats(0.001, 10.0))
        for flag in ("tabFocused", "soundOn", "micUnmuted", "cameraOn", "fullScreen", "onStage"):
            event[flag] = draw(st.booleans())
    return event


def test_batches_round_trip_through_the_store(tmp_path: Path) -> None:
    with Store.open(Settings.load(engine=str(tmp_path / "s.duckdb"))) as store:

        @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(st.lists(events(), min_size=1, max_size=20, unique_by=lambda e: e["eventId"]))
        def check(batch: list[dict[str, Any]]) -> None:
            store.writer.submit(lambda tx: tx.execute("DELETE FROM room_events")).result()
            decoded = decode_batch(
                msgspec.json.encode(batch), ndjson=False, window=WINDOW, max_events=100
            )
            store.writer.append_events(to_arrow(decoded, to_micros(NOW))).result()
            back, total = list_events(store.engine, {101, 102}, {}, limit=100)
            assert total == len(batch)
            key = lambda e: e["eventId"]  # noqa: E731
            assert sorted(back, key=key) == sorted(batch, key=key)

        check()
