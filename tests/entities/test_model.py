"""Entity declarations bound every number to what its column holds: an entity that decodes is
stored, and one that could not be is refused with its field named."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vantage.entities import repository
from vantage.entities.model import KINDS, Partner
from vantage.ingest.store import Store
from vantage.storable import EARLIEST_UNIX, INT64_MAX, LATEST_UNIX

ENTRIES = KINDS["entries"]
ENTRY = {"partnerId": 101, "id": "1_a", "name": "A", "kind": "video"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("createdAt", 1e300),
        ("createdAt", -1e300),
        ("updatedAt", 10**20),
        ("createdAt", LATEST_UNIX + 1),
        ("duration", INT64_MAX + 1),
        ("size", -1),
        ("mediaType", -(2**63) - 1),
        ("categoryIds", [2**63]),
        ("virtualEventId", 2**64),
        ("partnerId", 2**63),
    ],
)
def test_numbers_no_column_holds_are_refused_naming_the_field(field: str, value: Any) -> None:
    with pytest.raises(msgspec.ValidationError, match=field):
        repository.decode_items(ENTRIES, msgspec.json.encode({**ENTRY, field: value}))


# the same entry is upserted each time: the store needs no reset between examples
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    created=st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False),
    duration=st.integers(min_value=-(2**70), max_value=2**70),
)
def test_an_entry_that_decodes_is_stored(
    store: Store, partner: Partner, created: float, duration: int
) -> None:
    body = msgspec.json.encode({**ENTRY, "createdAt": created, "duration": duration})
    try:
        items = repository.decode_items(ENTRIES, body)
    except msgspec.ValidationError:
        assert not (EARLIEST_UNIX <= created <= LATEST_UNIX and 0 <= duration <= INT64_MAX)
        return
    store.writer.submit(lambda tx: repository.upsert(tx, ENTRIES, items)).result()
    [stored], _ = repository.list_items(store.engine, ENTRIES, partner_ids=[101])
    assert stored["duration"] == duration
