"""The device classes a viewer's client falls in, named once.

The player enrichment derives one from a beacon's user agent (``player_events.device``), and a
room's ``joinSession`` carries one (``room_events.device``): the same names on both sides, so a
panel can count live and recording viewers per device side by side.
"""

from __future__ import annotations

from enum import StrEnum


class Device(StrEnum):
    COMPUTER = "Computer"
    MOBILE = "Mobile"
    TABLET = "Tablet"
    SMART_TV = "Smart TV"
    GAME_CONSOLE = "Game console"
    BOT = "Bot"  # a crawler
