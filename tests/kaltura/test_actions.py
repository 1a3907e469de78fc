"""The registry: lookups in any case, Kaltura's errors for what does not exist, checked handlers."""

from __future__ import annotations

from typing import Any

import pytest

from vantage.kaltura.actions import Action, Param, Registry
from vantage.kaltura.errors import APIException
from vantage.kaltura.schema import INT, STRING


def get_table(ctx: Any, id: int, order: str | None) -> str:
    return "table"


def test_find_in_any_case_and_name_what_is_missing() -> None:
    registry = Registry()
    action = Action(
        "report", "getTable", (Param("id", INT), Param("order", STRING, None)), get_table
    )
    registry.add(action)
    assert registry.find("Report", "GETTABLE") is action
    assert action.label == "report->getTable"
    for service, name, code, arguments in [
        (
            "report",
            "getTotal",
            "ACTION_DOES_NOT_EXISTS",
            {"ACTION_NAME": "gettotal", "SERVICE_NAME": "report"},
        ),
        ("Media", "list", "SERVICE_DOES_NOT_EXISTS", {"SRV_NAME": "media"}),
        ("", "list", "SERVICE_NOT_SPECIFIED", {}),
    ]:
        with pytest.raises(APIException) as info:
            registry.find(service, name)
        assert (info.value.code, info.value.arguments) == (code, arguments)
    assert list(registry) == [action]


def test_duplicates_and_handlers_that_do_not_fit_are_refused() -> None:
    registry = Registry()
    registry.add(
        Action("report", "getTable", (Param("id", INT), Param("order", STRING)), get_table)
    )
    with pytest.raises(ValueError, match="twice"):
        registry.add(
            Action("REPORT", "gettable", (Param("id", INT), Param("order", STRING)), get_table)
        )
    with pytest.raises(ValueError, match="handler"):
        Action("report", "getTotal", (Param("reportType", STRING),), get_table)
    assert Param("id", INT).required and not Param("order", STRING, None).required
