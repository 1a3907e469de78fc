"""The catalog's category parameter: every report that narrows by rooms narrows by the rooms of
categories too; a category id is a whole number."""

from __future__ import annotations

import pytest

from vantage.analytics import catalog
from vantage.analytics.room_reports import Filter

PARTNERS = frozenset({101})


@pytest.mark.parametrize("name", ["attendeesData", "breakoutRoomSessions", "pollsActivity"])
def test_a_report_of_rooms_takes_a_category(name: str) -> None:
    prepared = catalog.prepare(name, {"categories_ids": "5,6"}, PARTNERS, frozenset({"7"}))
    assert prepared.query.filters[Filter.CATEGORY_IDS] == ("5", "6")


@pytest.mark.parametrize("ids", ["five", "5,-6", "1" * 19, ["5", 6.5]])
def test_a_category_id_is_a_whole_number(ids: object) -> None:
    with pytest.raises(catalog.CatalogError) as refused:
        catalog.prepare("roomData", {"cat_ids": ids}, PARTNERS, frozenset())
    assert (refused.value.code, refused.value.param) == ("INVALID_PARAMETER", "cat_ids")
