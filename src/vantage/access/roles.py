"""What a session may do: the permissions of one of the partner's roles.

``setrole:<id or name>`` names the role; an admin session without one gets role 1 (the
"Partner administrator" role every partner starts with); a user session without one gets none.
Permission ``*`` grants all.
"""

from __future__ import annotations

from vantage import php
from vantage.access.directory import PartnerAccess
from vantage.access.ks import Session
from vantage.access.ks_checks import raw_privilege
from vantage.entities.model import Role

ADMIN_ROLE_ID = 1


def session_permissions(session: Session, partner: PartnerAccess) -> frozenset[str]:
    """What the session's role grants: ``setrole``'s, else role 1 for admin sessions."""
    wanted = raw_privilege(session.privileges, "setrole")
    if wanted is None:
        wanted = str(ADMIN_ROLE_ID) if session.is_admin else None
    role = find_role(partner, wanted) if wanted is not None else None
    return frozenset(role.permissions) if role is not None else frozenset()


def grants(granted: frozenset[str], permission: str) -> bool:
    return "*" in granted or permission in granted


def find_role(partner: PartnerAccess, wanted: str) -> Role | None:
    """The partner's role with id ``wanted`` (digits) or name ``wanted`` (any case)."""
    wanted = wanted.strip()
    number = php.index(wanted)
    if number is not None:
        return next((r for r in partner.roles if r.id == number), None)
    return next((r for r in partner.roles if r.name.casefold() == wanted.casefold()), None)
