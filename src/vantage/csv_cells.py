"""The one guard against spreadsheet formulas, used by every CSV file Vantage writes.

OWASP's rule: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel and its peers as a formula, so such text gets a leading ``'`` (shown as text,
not run). A cell that is a plain decimal number (``-5``, ``+1.5``, ``-2e-3``) is left as it is:
a spreadsheet reads it as that number, never as a formula, and Kaltura's readers expect it.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

_FORMULA_START = "^[=+\\-@\t\r]"
_NUMBER = "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$"
_FORMULA_RE, _NUMBER_RE = re.compile(_FORMULA_START), re.compile(_NUMBER)


def guard(text: str) -> str:
    """``text`` as a cell a spreadsheet shows as written."""
    if _FORMULA_RE.match(text) and not _NUMBER_RE.fullmatch(text):
        return "'" + text
    return text


def guard_array(texts: pa.Array) -> pa.Array:
    """:func:`guard` over a column of strings, vectorised (nulls stay null), as ``string``."""
    texts = texts.cast(pa.string())
    starts = pc.match_substring_regex(texts, _FORMULA_START)
    if not pc.any(starts).as_py():  # the usual column: nothing to read further
        return texts
    risky = pc.and_not(starts, pc.match_substring_regex(texts, _NUMBER))
    return pc.if_else(risky, pc.binary_join_element_wise("'", texts, ""), texts)
