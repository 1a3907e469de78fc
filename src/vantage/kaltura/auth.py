"""Who is calling and what they may do: the KS checked in Kaltura's order, then role permissions.

KS checks, first failure wins: unparsable, unknown partner or wrong secret (``INVALID_KS`` with
the KS itself as KSID); expired; ``iprestrict``; ``urirestrict``; ``actionslimit``; blocked
partner — these report the reason as KSID (``Invalid KS "EXPIRED", Error "-1,INVALID_STR"``).

Permissions come from one of the partner's roles: ``setrole:<id or name>`` names it; an admin
session without one gets role 1 (the "Partner administrator" role every partner starts with);
a user session without one gets none. Permission ``*`` grants all.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from vantage.api.directory import Directory, PartnerAccess
from vantage.api.ks_uses import UsageCounter
from vantage.entities.model import Role
from vantage.kaltura import errors, ks, php
from vantage.kaltura.actions import Action, KsPolicy
from vantage.kaltura.errors import APIException
from vantage.kaltura.ks import Session
from vantage.kaltura.params import Tree, text

ADMIN_ROLE_ID = 1


@dataclass(frozen=True)
class RequestInfo:
    client_ip: str
    uri: str
    """Path and query string as sent (PHP's REQUEST_URI), for ``urirestrict``."""
    user_agent: str = ""
    base_url: str = ""
    """Scheme, host and port the request came to (``http://host:8000``), for URLs that call
    back."""


@dataclass(frozen=True)
class Caller:
    ks: str | None
    session: Session | None
    partner: PartnerAccess | None
    requested_partner_id: int | None
    """``partnerId`` (or its alias ``p``) as sent."""


def identify(
    action: Action,
    tree: Tree,
    request: RequestInfo,
    directory: Directory,
    counter: UsageCounter,
    now: int,
) -> Caller:
    requested = _partner_param(tree)
    token = (text(tree, "ks") or "").strip().replace(" ", "+")  # a form-posted "+" arrives as " "
    if action.ks is KsPolicy.IGNORED or not token:
        partner = directory.partner(requested) if requested else None
        return Caller(None, None, partner, requested)
    session, partner = verify(token, directory, request, counter, now)
    return Caller(token, session, partner, requested)


def verify(
    token: str, directory: Directory, request: RequestInfo, counter: UsageCounter, now: int
) -> tuple[Session, PartnerAccess]:
    try:
        partner = directory.partner(ks.partner_of(token))
        if partner is None:
            raise ks.KSError("INVALID_STR", "unknown partner")
        session = ks.verify(token, partner.admin_secrets, now=now)
    except ks.KSError as exc:
        raise invalid_ks(token, exc) from None
    if not _ip_allowed(raw_privilege(session.privileges, "iprestrict"), request.client_ip):
        raise _refused("EXCEEDED_RESTRICTED_IP")
    if not _uri_allowed(raw_privilege(session.privileges, "urirestrict"), request.uri):
        raise _refused("EXCEEDED_RESTRICTED_URI")
    limit = raw_privilege(session.privileges, "actionslimit")
    if limit is not None:
        allowed = php.integer(limit)
        if allowed is None or allowed <= 0:
            raise errors.INVALID_ACTIONS_LIMIT()
        if counter.use(token, session.valid_until, now) > allowed:
            raise _refused("EXCEEDED_ACTIONS_LIMIT")
    if partner.status == "blocked":
        raise _refused("INVALID_PARTNER")
    return session, partner


def invalid_ks(token: str, error: ks.KSError) -> APIException:
    """INVALID_KS for a KS that failed: the KS itself as KSID if unreadable, else the reason."""
    return _refused(token if error.reason == "INVALID_STR" else error.reason)


def _refused(ksid: str) -> APIException:
    return errors.INVALID_KS(ksid, -1, "INVALID_STR")


def authorize(action: Action, caller: Caller) -> None:
    """SERVICE_FORBIDDEN (or MISSING_KS) unless the caller may run ``action``."""
    if action.ks is not KsPolicy.REQUIRED:
        return
    if caller.session is None or caller.partner is None:
        if caller.partner is None:
            raise errors.MISSING_KS()
        raise forbidden(action)
    foreign = caller.requested_partner_id not in (None, caller.partner.id)
    if foreign or (action.permission and not _grants(permissions(caller), action.permission)):
        raise forbidden(action)


def forbidden(action: Action) -> APIException:
    error = errors.SERVICE_FORBIDDEN(action.label)
    error.headers.update(
        {
            "X-Kaltura": f"error-{error.code}",
            "X-Kaltura-App": f"exiting on error {error.code} - {error.message}",
        }
    )
    return error


def permissions(caller: Caller) -> frozenset[str]:
    if caller.session is None or caller.partner is None:
        return frozenset()
    wanted = raw_privilege(caller.session.privileges, "setrole")
    if wanted is None:
        wanted = str(ADMIN_ROLE_ID) if caller.session.is_admin else None
    role = find_role(caller.partner, wanted) if wanted is not None else None
    return frozenset(role.permissions) if role is not None else frozenset()


def _grants(granted: frozenset[str], permission: str) -> bool:
    return "*" in granted or permission in granted


def find_role(partner: PartnerAccess, wanted: str) -> Role | None:
    """The partner's role with id ``wanted`` (digits) or name ``wanted`` (any case)."""
    wanted = wanted.strip()
    number = php.index(wanted)
    if number is not None:
        return next((r for r in partner.roles if r.id == number), None)
    return next((r for r in partner.roles if r.name.casefold() == wanted.casefold()), None)


def raw_privilege(privileges: str, name: str) -> str | None:
    """The whole value of the first ``name:value`` privilege ('' when it has none), else None.
    Unlike :meth:`Session.privilege` it keeps ``/`` (URIs and networks contain it)."""
    for part in privileges.split(","):
        key, _, value = part.partition(":")
        if key.strip().lower() == name:
            return value.strip()
    return None


def reference_time(session: Session | None, now: int) -> int:
    """``reftime:<unix>`` replaces now for relative times, as in Kaltura."""
    value = raw_privilege(session.privileges, "reftime") if session is not None else None
    return (php.integer(value) if value else None) or now


def _ip_allowed(restriction: str | None, client_ip: str) -> bool:
    if restriction is None:
        return True
    try:
        return ipaddress.ip_address(client_ip) in ipaddress.ip_network(restriction, strict=False)
    except ValueError:
        return False


def _uri_allowed(restriction: str | None, uri: str) -> bool:
    if restriction is None:
        return True
    return any(
        uri == p or (p.endswith("*") and uri.startswith(p[:-1])) for p in restriction.split("|")
    )


def _partner_param(tree: Tree) -> int | None:
    for name in ("p", "partnerId"):
        number = php.integer(text(tree, name) or "")
        if number:
            return number
    return None
