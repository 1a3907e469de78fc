"""Who signed in to the dashboard and what they may see.

A viewer is one partner's, and either sees all of it (a partner-wide admin) or is limited to
what its KS names. The KS privileges the dashboard reads:

* ``sview:<entryId>`` (several joined with ``/``): those rooms only;
* ``virtualeventid:<id>``: the rooms of that virtual event only;
* ``categoryid:<id>`` (Vantage's own privilege; Kaltura has none for a category): that
  category's page and the rooms in it only.

A KS with none of them is partner-wide if it is an admin KS whose role grants
``ANALYTICS_BASE`` (role 1 without ``setrole``); a user KS without a limit sees nothing. An
admin secret signs in partner-wide. Limits add up: a KS with two of them sees what both allow.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from vantage import php
from vantage.access import ks_checks
from vantage.access.directory import Directory
from vantage.access.ks import KSError, Session
from vantage.access.roles import grants, session_permissions
from vantage.api.auth import ANALYTICS_BASE


class Refused(Exception):
    """Sign-in refused: a status and words a person can act on."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Viewer:
    partner_id: int
    expires: int  # unix seconds
    entry_ids: frozenset[str] | None = None  # sview: only these rooms
    virtual_event_id: int | None = None
    category_id: int | None = None

    @property
    def partner_wide(self) -> bool:
        return self.entry_ids is None and self.virtual_event_id is None and self.category_id is None

    def may_see_entry(self, entry: dict[str, Any]) -> bool:
        """Whether the viewer may see this entry of its partner (an admin API entry object)."""
        if self.entry_ids is not None and entry["id"] not in self.entry_ids:
            return False
        if (
            self.virtual_event_id is not None
            and entry.get("virtualEventId") != self.virtual_event_id
        ):
            return False
        return self.category_id is None or self.category_id in (entry.get("categoryIds") or [])

    def may_see_category(self, category_id: int) -> bool:
        if self.entry_ids is not None or self.virtual_event_id is not None:
            return False
        return self.category_id is None or self.category_id == category_id

    def payload(self) -> dict[str, Any]:
        return {
            "p": self.partner_id,
            "exp": self.expires,
            "e": None if self.entry_ids is None else sorted(self.entry_ids),
            "v": self.virtual_event_id,
            "c": self.category_id,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Viewer | None:
        try:
            entries = payload.get("e")
            return cls(
                int(payload["p"]),
                int(payload["exp"]),
                None if entries is None else frozenset(str(e) for e in entries),
                None if payload.get("v") is None else int(payload["v"]),
                None if payload.get("c") is None else int(payload["c"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


def from_ks(token: str, request: Request, directory: Directory, minutes: int) -> Viewer:
    """The viewer a KS signs in: checked exactly as the Kaltura API checks a KS (signature,
    expiry, IP and URI restrictions, actions limit, blocked partner)."""
    client = request.client.host if request.client else ""
    uri = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    now = int(time.time())
    try:
        session, partner = ks_checks.verify(
            token, directory, client, lambda: [uri], directory.ks_uses, now
        )
    except KSError as exc:
        raise Refused(401, f"The KS is not valid ({exc.reason}).") from None
    expires = min(now + minutes * 60, session.valid_until)
    entries, event, category = _limits(session)
    if entries is None and event is None and category is None:
        if not session.is_admin:
            raise Refused(403, "This KS names no room, category or virtual event to show.")
        if not grants(session_permissions(session, partner), ANALYTICS_BASE):
            raise Refused(403, "This KS's role may not read analytics (ANALYTICS_BASE).")
    return Viewer(partner.id, expires, entries, event, category)


def _limits(session: Session) -> tuple[frozenset[str] | None, int | None, int | None]:
    views = [v for v in session.privilege("sview") or [] if v and v != "*"]
    event = _number(session.privilege("virtualeventid"), "virtualeventid")
    category = _number(session.privilege("categoryid"), "categoryid")
    return (frozenset(views) if views else None), event, category


def _number(values: list[str] | None, name: str) -> int | None:
    if not values:
        return None
    number = php.index(values[0])
    if number is None:  # a limit that cannot be read must not widen into no limit
        raise Refused(403, f"The KS's {name} privilege is not a number.")
    return number


def partner_wide(partner_id: int, minutes: int) -> Viewer:
    """The viewer an admin secret signs in."""
    return Viewer(partner_id, int(time.time()) + minutes * 60)
