"""A KS checked in Kaltura's order, for both HTTP surfaces; the first failure wins.

Unparsable, unknown partner or wrong secret (``INVALID_STR``); expired (``EXPIRED``);
``iprestrict`` (``EXCEEDED_RESTRICTED_IP``); ``urirestrict`` (``EXCEEDED_RESTRICTED_URI``);
``actionslimit`` (``INVALID_ACTIONS_LIMIT`` when the limit is not a positive number, else
``EXCEEDED_ACTIONS_LIMIT``); blocked partner (``INVALID_PARTNER``). Each failure is a
:class:`~vantage.access.ks.KSError` with that reason; each surface answers it its own way.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence

from vantage import php
from vantage.access import ks
from vantage.access.directory import Directory, PartnerAccess
from vantage.access.ks import KSError, Session
from vantage.access.ks_uses import UsageCounter


def verify(
    token: str,
    directory: Directory,
    client_ip: str,
    uris: Callable[[], Sequence[str]],
    counter: UsageCounter,
    now: int,
) -> tuple[Session, PartnerAccess]:
    """The KS's session and partner. ``uris`` gives the URIs that describe the call, which the
    surface decides (asked only of a KS with ``urirestrict``: working them out is not free);
    ``urirestrict`` allows the call when one of them matches."""
    partner = directory.partner(ks.partner_of(token))
    if partner is None:
        raise KSError("INVALID_STR", "unknown partner")
    session = ks.verify(token, partner.admin_secrets, now=now)
    if not _ip_allowed(raw_privilege(session.privileges, "iprestrict"), client_ip):
        raise KSError("EXCEEDED_RESTRICTED_IP")
    if not _uri_allowed(raw_privilege(session.privileges, "urirestrict"), uris):
        raise KSError("EXCEEDED_RESTRICTED_URI")
    limit = raw_privilege(session.privileges, "actionslimit")
    if limit is not None:
        allowed = php.integer(limit)
        if allowed is None or allowed <= 0:
            raise KSError("INVALID_ACTIONS_LIMIT")
        if counter.use(token, session.valid_until, now) > allowed:
            raise KSError("EXCEEDED_ACTIONS_LIMIT")
    if partner.status == "blocked":
        raise KSError("INVALID_PARTNER")
    return session, partner


def raw_privilege(privileges: str, name: str) -> str | None:
    """The whole value of the first ``name:value`` privilege ('' when it has none), else None.
    Unlike :meth:`Session.privilege` it keeps ``/`` (URIs and networks contain it)."""
    for part in privileges.split(","):
        key, _, value = part.partition(":")
        if key.strip().lower() == name:
            return value.strip()
    return None


def _ip_allowed(restriction: str | None, client_ip: str) -> bool:
    if restriction is None:
        return True
    try:
        return ipaddress.ip_address(client_ip) in ipaddress.ip_network(restriction, strict=False)
    except ValueError:
        return False


def _uri_allowed(restriction: str | None, uris: Callable[[], Sequence[str]]) -> bool:
    if restriction is None:
        return True
    return any(
        uri == p or (p.endswith("*") and uri.startswith(p[:-1]))
        for p in restriction.split("|")
        for uri in uris()
    )
