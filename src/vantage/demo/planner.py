"""The school while it is being planned: its people, and the categories, rooms, virtual events
and units added so far, with ids and session keys handed out in order."""

from __future__ import annotations

from vantage.demo.clock import Clock, at_us
from vantage.demo.ids import Ids
from vantage.demo.people import Cast
from vantage.demo.school import Unit, unit_key
from vantage.entities.model import Category, Entry, EntryKind, VirtualEvent

# Category id blocks, one per family, wide enough that a school of any size never mixes them.
COURSE_CATEGORIES = 1_000_000
EVENT_CATEGORIES = 2_000_000


def category(id: int, name: str, parent: Category | None = None) -> Category:
    """A category; its full name is the path from the root, joined by '>'."""
    if parent is None:
        return Category(partner_id=0, id=id, name=name, full_name=name)
    full_name = f"{parent.full_name}>{name}"
    return Category(partner_id=0, id=id, name=name, parent_id=parent.id, full_name=full_name)


class Planner:
    def __init__(self, seed: int, clock: Clock, cast: Cast) -> None:
        self.seed = seed
        self.clock = clock
        self.cast = cast
        self.new_id = Ids(seed)
        self.categories: list[Category] = []
        self.entries: list[Entry] = []
        self.virtual_events: list[VirtualEvent] = []
        self.units: list[Unit] = []
        self._sessions = 0

    def session_key(self, group: int) -> int:
        """The key of a new session of ``group``: numbered across the whole school."""
        self._sessions += 1
        return unit_key(group, self._sessions)

    def room(
        self,
        name: str,
        *,
        creator: int,
        created_us: int,
        category: int,
        tags: list[str],
        admin_tags: list[str],
        live: bool = True,
        parent: str | None = None,
        virtual_event_id: int | None = None,
    ) -> str:
        """A new room entry; its id."""
        entry_id = self.new_id()
        self.entries.append(
            Entry(
                partner_id=0,
                id=entry_id,
                name=name,
                kind=EntryKind.ROOM,
                creator_user_id=self.cast.people.ids[creator],
                created_at=at_us(created_us),
                updated_at=at_us(created_us),
                media_type=201 if live else None,
                source_type=32 if live else None,
                admin_tags=admin_tags,
                tags=tags,
                category_ids=[category],
                parent_entry_id=parent,
                virtual_event_id=virtual_event_id,
            )
        )
        return entry_id
