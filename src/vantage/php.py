"""PHP's reading of numeric strings, which Kaltura's casts of request values inherit.

(PHP's printing of values is :func:`vantage.kaltura.values.php_string`.)
"""

from __future__ import annotations

import math
import re

INT_MAX = 2**63 - 1  # PHP_INT_MAX on 64-bit builds, as Kaltura runs
INT_MIN = -(2**63)
_INT = re.compile(r"[+-]?[0-9]{1,4000}")  # longer digit strings are read as floats, as PHP does
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def number(text: str) -> int | float | None:
    """The number a whole numeric string spells (PHP's is_numeric, surrounding blanks allowed),
    else None. Integers stay exact; anything with a point or exponent is a float."""
    text = text.strip()
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return None


def integer(text: str) -> int | None:
    """A numeric string as a whole number (truncated, as PHP's ``(int)``, and held to PHP's
    64-bit range as PHP's cast of a numeric string is); None when it is not numeric or not
    finite."""
    found = number(text)
    if found is None or (isinstance(found, float) and not math.isfinite(found)):
        return None
    return max(INT_MIN, min(INT_MAX, int(found)))


def index(key: str) -> int | None:
    """An array key or multirequest number: a plain run of at most 18 digits, else None."""
    return int(key) if len(key) <= 18 and key.isascii() and key.isdigit() else None
