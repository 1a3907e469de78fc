"""The player-beacon vocabulary (KAVA): every field a Kaltura player sends, and every event id.

Field types are declared once, on :class:`Beacon` (camelCase on the wire, snake_case as store
columns), numbers bounded to what their columns hold (vantage.storable); :data:`EVENTS` names
each event id, its Druid-style ``eventType`` name and the fields beyond the common ones that
the player sends with it. Names are those of Kaltura's reports
(``playerImpression``, ``playThrough25``, ``view`` …); the four ids Kaltura's reports have no
name for (5, 15, 42, 46) are named here. docs/player-analytics.md documents all of it; a test
checks that. Adding a field means declaring it here and adding its column in a migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import msgspec

from vantage.storable import Amount, Finite, Int64, Natural
from vantage.typemap import struct_fields

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
SessionId = Annotated[str, msgspec.Meta(max_length=128)]
Short = Annotated[str, msgspec.Meta(max_length=1_024)]
Long = Annotated[str, msgspec.Meta(max_length=20_000)]
# The page URL (older players: its base64); a long URL stays well inside this.
Referrer = Annotated[str, msgspec.Meta(max_length=16_384)]


class Beacon(msgspec.Struct, kw_only=True, frozen=True, rename="camel"):
    """One beacon as the player sends it. Only the identifying fields are required; what else is
    sent depends on the event, the player and its configuration."""

    # --- common to every player event ----------------------------------------------------------
    event_type_id: Int64 = msgspec.field(name="eventType")
    """The numeric event id (see the events table)."""
    partner_id: Natural
    entry_id: Id
    session_id: SessionId | None
    """The player's session: one per page load. Required, but may be empty (the web player
    sends it empty when the page set no session): stored as NULL, the beacon has no session."""
    event_index: Natural | None = None
    """1, 2, 3 … per send within a session; absent only on application events."""
    referrer: Referrer | None = None
    """The page URL (older players send it base64-encoded; it is stored decoded)."""
    delivery_type: Short | None = None
    playback_type: Short | None = None
    client_ver: Short | None = None
    client_tag: Short | None = None
    position: Finite | None = None
    """Playhead in seconds (negative: behind the live edge)."""
    playback_speed: Amount | None = None
    player_skin: Short | None = None
    caption: Short | None = None
    session_start_time: Finite | None = None
    """The ``time`` Vantage answered the session's first beacon with."""
    virtual_event_id: Int64 | None = None
    ui_conf_id: Int64 | None = None
    playlist_id: Short | None = None
    custom_var1: Short | None = None
    custom_var2: Short | None = None
    custom_var3: Short | None = None
    playback_context: Short | None = None
    """Category id the entry was played in."""
    application: Short | None = None
    application_ver: Short | None = None
    kaltura_application: Int64 | None = None
    kaltura_application_ver: Short | None = None
    user_id: Short | None = None
    persistent_session_id: Short | None = None
    hosting_kaltura_application: Int64 | None = None
    hosting_kaltura_application_version: Short | None = None
    # --- view payload --------------------------------------------------------------------------
    play_time_sum: Amount | None = None
    """Seconds played in this session so far (cumulative)."""
    buffer_time: Amount | None = None
    buffer_time_sum: Amount | None = None
    actual_bitrate: Finite | None = None
    average_bitrate: Finite | None = None
    audio_language: Short | None = None
    sound_mode: Int64 | None = None
    tab_mode: Int64 | None = None
    viewability_mode: Int64 | None = None
    screen_mode: Int64 | None = None
    forward_buffer_health: Finite | None = None
    manifest_download_time: Finite | None = None
    segment_download_time: Finite | None = None
    bandwidth: Finite | None = None
    dropped_frames_ratio: Finite | None = None
    target_buffer: Finite | None = None
    network_connection_type: Short | None = None
    network_connection_overhead: Finite | None = None
    flavor_params_id: Int64 | None = None
    playback_mode: Short | None = None
    source_entry_id: Short | None = None
    # --- extras of single events ---------------------------------------------------------------
    player_js_load_time: Finite | None = msgspec.field(default=None, name="playerJSLoadTime")
    loaded_plugins: Annotated[list[Short], msgspec.Meta(max_length=200)] | None = None
    join_time: Amount | None = None
    can_play: Finite | None = None
    social_network: Short | None = None
    report_type: Short | None = None
    target_position: Finite | None = None
    language: Short | None = None
    error_code: Int64 | None = None
    error_details: Long | None = None
    error_position: Int64 | None = None
    server_node_ids: Short | None = None
    client_internal_ip: Short | None = None
    # --- application events --------------------------------------------------------------------
    feature: Short | None = None
    button_name: Short | None = None
    button_type: Short | None = None
    button_value: Short | None = None
    button_info: Long | None = None
    page_name: Short | None = None
    page_type: Short | None = None
    page_value: Short | None = None
    page_info: Long | None = None


@dataclass(frozen=True)
class EventKind:
    id: int
    name: str
    """Druid-style ``eventType`` name, stored in the ``event_type`` column."""
    extras: tuple[str, ...] = ()
    """Fields (attributes of :class:`Beacon`) the player sends with this event beyond the
    common ones; any declared field is stored whatever event carries it."""
    indexed: bool = True
    """Whether the event carries ``eventIndex`` (application events do not)."""


_START = ("buffer_time", "buffer_time_sum", "actual_bitrate")
VIEW_FIELDS = (
    "play_time_sum",
    "buffer_time",
    "buffer_time_sum",
    "actual_bitrate",
    "average_bitrate",
    "audio_language",
    "sound_mode",
    "tab_mode",
    "viewability_mode",
    "screen_mode",
    "forward_buffer_health",
    "manifest_download_time",
    "segment_download_time",
    "bandwidth",
    "dropped_frames_ratio",
    "target_buffer",
    "network_connection_type",
    "network_connection_overhead",
    "flavor_params_id",
    "playback_mode",
    "source_entry_id",
)
_BUTTON = ("feature", "button_name", "button_type", "button_value", "button_info")
_PAGE = ("feature", "page_name", "page_type", "page_value", "page_info")

EVENTS: tuple[EventKind, ...] = (
    EventKind(1, "playerImpression", ("player_js_load_time", "loaded_plugins")),
    EventKind(2, "playRequested"),
    EventKind(3, "play", (*_START, "join_time", "can_play", "network_connection_type")),
    EventKind(4, "resume", _START),
    EventKind(5, "canPlay"),  # Android only
    EventKind(11, "playThrough25"),
    EventKind(12, "playThrough50"),
    EventKind(13, "playThrough75"),
    EventKind(14, "playThrough100"),
    EventKind(15, "playThrough90"),  # web only
    EventKind(21, "shareClicked"),
    EventKind(22, "shared", ("social_network",)),
    EventKind(23, "downloadClicked"),
    EventKind(24, "reportClicked"),
    EventKind(25, "reportSubmitted", ("report_type",)),
    EventKind(31, "enterFullscreen", ("screen_mode",)),
    EventKind(32, "exitFullscreen", ("screen_mode",)),
    EventKind(33, "pauseClicked"),
    EventKind(34, "replay"),
    EventKind(35, "seek", ("target_position",)),
    EventKind(36, "relatedClicked"),
    EventKind(37, "relatedSelected"),
    EventKind(38, "captions"),
    EventKind(39, "sourceSelected", ("actual_bitrate",)),
    EventKind(40, "info"),
    EventKind(41, "speed"),
    EventKind(42, "audioSelected", ("language",)),
    EventKind(43, "flavorSwitch", ("actual_bitrate",)),
    EventKind(45, "bufferStart"),
    EventKind(46, "bufferEnd"),
    EventKind(98, "error", ("error_code", "error_details", "error_position")),
    EventKind(99, "view", VIEW_FIELDS),
    # Sent by Kaltura's API itself when it serves a manifest, not by players.
    EventKind(100, "playManifest", ("server_node_ids", "client_internal_ip")),
    EventKind(10002, "buttonClicked", _BUTTON, indexed=False),
    EventKind(10003, "pageLoad", _PAGE, indexed=False),
)

BY_ID: dict[int, EventKind] = {kind.id: kind for kind in EVENTS}
FIELDS: dict[str, str] = {f.name: f.encode_name for f in struct_fields(Beacon)}
"""Every declared field: attribute → wire name."""


def _check() -> None:
    for kind in EVENTS:
        unknown = set(kind.extras) - set(FIELDS)
        if unknown:
            raise TypeError(f"event {kind.id} names undeclared fields {sorted(unknown)}")


_check()
