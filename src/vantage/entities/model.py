"""The entities reports talk about, declared once.

Each class is one entity kind: its fields are the admin API's JSON fields (camelCase) and the
store table's columns (snake_case). ``KINDS`` says, for each kind, its table, its key and its URL
name; the admin API, ``vantage import`` and the store's column check all read it from here.
Times are unix seconds or RFC 3339 timestamps on the way in, unix seconds on the way out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

import msgspec

from vantage.storable import INT64_MAX, Int64, Natural, UnixTime

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
Name = Annotated[str, msgspec.Meta(max_length=512)]
Secret = Annotated[str, msgspec.Meta(min_length=16, max_length=128)]
Time = UnixTime
Tags = Annotated[list[Annotated[str, msgspec.Meta(max_length=256)]], msgspec.Meta(max_length=500)]


class Entity(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    pass


class PartnerEntity(Entity, kw_only=True):
    """Something that belongs to one partner."""

    partner_id: Natural


class EntryKind(StrEnum):
    ROOM = "room"
    VIDEO = "video"
    AUDIO = "audio"
    LIVE_STREAM = "liveStream"
    WEBCAST = "webcast"


class EntryStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    DELETED = "deleted"


class Role(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """A partner's role: a name and the permissions it grants (e.g. ANALYTICS_BASE)."""

    id: Int64
    name: Name
    permissions: list[Name] = []


DEFAULT_ROLES = (
    Role(id=1, name="Partner administrator", permissions=["*", "ANALYTICS_BASE"]),
    Role(id=2, name="Analytics viewer", permissions=["ANALYTICS_BASE"]),
)
"""The roles of a partner that declares none: admin sessions get role 1 (see access.roles)."""


class Partner(Entity, kw_only=True):
    """An account. A partner with ``parentPartnerId`` is a child of a multi-account parent."""

    id: Annotated[int, msgspec.Meta(ge=1, le=INT64_MAX)]
    name: Name
    admin_secrets: Annotated[list[Secret], msgspec.Meta(min_length=1, max_length=10)]
    user_secret: Secret
    parent_partner_id: Natural | None = None
    ks_version: Annotated[int, msgspec.Meta(ge=1, le=2)] = 2
    ks_max_expiry: Annotated[int, msgspec.Meta(ge=60, le=INT64_MAX)] = 86_400
    roles: list[Role] | None = None
    """None or empty: the partner's stored roles when it has some, else ``DEFAULT_ROLES``."""
    status: Annotated[str, msgspec.Meta(pattern="^(active|blocked|readOnly)$")] = "active"
    created_at: Time | None = None


class User(PartnerEntity, kw_only=True):
    id: Id
    first_name: Name | None = None
    last_name: Name | None = None
    email: Name | None = None
    title: Name | None = None
    company: Name | None = None
    industry: Name | None = None
    country: Name | None = None
    role: Name | None = None
    """The person's usual role (a session's role comes with its ``joinSession`` event)."""
    created_at: Time | None = None


class Entry(PartnerEntity, kw_only=True):
    """A room, video, audio, live stream or webcast. A breakout room is an entry of kind
    ``room`` whose ``parentEntryId`` is the main room."""

    id: Id
    name: Name
    kind: EntryKind
    creator_user_id: Id | None = None
    created_at: Time | None = None
    updated_at: Time | None = None
    duration: Natural | None = None
    """Seconds (media entries)."""
    media_type: Int64 | None = None
    """Kaltura media type number: 1 video, 2 image, 5 audio, 201 live stream."""
    source_type: Int64 | None = None
    """Kaltura entry source type number (1 upload, 32 live stream, …)."""
    admin_tags: Tags = []
    tags: Tags = []
    category_ids: Annotated[list[Int64], msgspec.Meta(max_length=1000)] = []
    status: EntryStatus = EntryStatus.READY
    parent_entry_id: Id | None = None
    virtual_event_id: Int64 | None = None
    size: Natural | None = None
    """Bytes of the entry's stored media (the usage reports' storage); after the fields of
    migration 1, as migration 7 added its column."""
    root_entry_id: Id | None = None
    """The entry this one was made from (Kaltura's ``rootEntryId``): a room's or live stream's
    recording names the room; last, as migration 13 added its column."""


class Category(PartnerEntity, kw_only=True):
    id: Int64
    name: Name
    full_name: Annotated[str, msgspec.Meta(max_length=4096)] | None = None
    """Path from the root, names joined by '>'; worked out from the parent when omitted."""
    parent_id: Int64 | None = None


class VirtualEvent(PartnerEntity, kw_only=True):
    id: Int64
    name: Name
    description: Annotated[str, msgspec.Meta(max_length=20_000)] | None = None
    starts_at: Time | None = None
    ends_at: Time | None = None


class RoomSession(PartnerEntity, kw_only=True):
    """A session of a room (Kaltura models it as a cue point). ``sessionStarted`` and
    ``sessionEnded`` events fill in its times and host."""

    id: Id
    entry_id: Id
    start_time: Time | None = None
    end_time: Time | None = None
    host_user_id: Id | None = None


@dataclass(frozen=True)
class Kind:
    name: str  # URL segment and import name
    struct: type[Entity]
    table: str
    key: tuple[str, ...]  # store columns that identify one row


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("partners", Partner, "partners", ("id",)),
        Kind("users", User, "users", ("partner_id", "id")),
        Kind("entries", Entry, "entries", ("partner_id", "id")),
        Kind("categories", Category, "categories", ("partner_id", "id")),
        Kind("virtual-events", VirtualEvent, "virtual_events", ("partner_id", "id")),
        Kind("sessions", RoomSession, "room_sessions", ("partner_id", "id")),
    )
}
