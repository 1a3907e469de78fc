"""The JSON APIs' number parameters, checked against what the store can hold."""

from __future__ import annotations

import math

from vantage.api.errors import ApiError
from vantage.storable import EARLIEST_UNIX, INT64_MAX, LATEST_UNIX


def int_param(value: str, name: str, low: int, high: int | None) -> int:
    """A whole-number request parameter within bounds (at most 2^63 − 1), else 400
    INVALID_PARAMETER."""
    high = INT64_MAX if high is None else high
    try:
        number = int(value)
    except ValueError:
        raise ApiError(400, "INVALID_PARAMETER", f"{name} must be an integer") from None
    if not low <= number <= high:
        raise ApiError(400, "INVALID_PARAMETER", f"{name} must be between {low} and {high}")
    return number


def float_param(value: str | None, name: str) -> float | None:
    """Unix seconds (fractions allowed) of a date Python can hold, else 400 INVALID_PARAMETER."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not EARLIEST_UNIX <= number <= LATEST_UNIX:  # NaN fails too
        raise ApiError(
            400,
            "INVALID_PARAMETER",
            f"{name} must be unix seconds between {EARLIEST_UNIX} and {LATEST_UNIX}",
        )
    return number
