"""Number types whose every valid value a store column holds, declared once for the ingest
vocabularies (player beacons, room events, entities).

A value that passes validation must be storable: an integer beyond a BIGINT or a NaN or
infinity in a DOUBLE would otherwise pass and then fail the commit it shares with others, or
be stored and poison every report that adds it up.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated

import msgspec

INT64_MAX = 2**63 - 1
FLOAT_MAX = sys.float_info.max

Int64 = Annotated[int, msgspec.Meta(ge=-INT64_MAX - 1, le=INT64_MAX)]
Natural = Annotated[int, msgspec.Meta(ge=0, le=INT64_MAX)]
"""An integer that counts or identifies: never negative."""
Finite = Annotated[float, msgspec.Meta(ge=-FLOAT_MAX, le=FLOAT_MAX)]
"""A finite number: NaN and ±infinity are refused."""
Amount = Annotated[float, msgspec.Meta(ge=0, le=FLOAT_MAX)]
"""A finite number that is never negative (seconds, sums of seconds, speeds): reports add these
up, so a negative one would take time away."""

EARLIEST_UNIX, LATEST_UNIX = -62_135_596_800, 253_402_300_799
"""Unix seconds of 0001-01-01 and 9999-12-31T23:59:59 UTC: the times a timestamp holds."""
UnixTime = (
    Annotated[int, msgspec.Meta(ge=EARLIEST_UNIX, le=LATEST_UNIX)]
    | Annotated[float, msgspec.Meta(ge=EARLIEST_UNIX, le=LATEST_UNIX)]
    | dt.datetime
)
"""Unix seconds (fractions allowed) or an RFC 3339 timestamp, within the years 1 to 9999."""
