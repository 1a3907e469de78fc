"""The error catalog: codes, ordered arguments, messages."""

from __future__ import annotations

import re

import pytest

from vantage.kaltura import errors
from vantage.kaltura.errors import ErrorType

CATALOG = [v for v in vars(errors).values() if isinstance(v, ErrorType)]


@pytest.mark.parametrize("error", CATALOG, ids=lambda e: e.code)
def test_every_placeholder_is_an_argument(error: ErrorType) -> None:
    assert set(re.findall(r"@(\w+)@", error.template)) == set(error.arg_names)


def test_arguments_fill_the_message_in_order() -> None:
    made = errors.ACTION_DOES_NOT_EXISTS("gettable", "report")
    assert made.code == "ACTION_DOES_NOT_EXISTS"
    assert made.message == 'Action "gettable" does not exists for service "report"'
    assert list(made.arguments.items()) == [("ACTION_NAME", "gettable"), ("SERVICE_NAME", "report")]
    assert errors.START_SESSION_ERROR(101).arguments == {"PID": "101"}
    assert errors.INTERNAL_SERVERL_ERROR().message == "Internal server error occurred"


def test_wrong_argument_count_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        errors.INVALID_KS("only one")
