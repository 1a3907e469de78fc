"""Who is calling and what they may do: the KS checked in Kaltura's order, then role permissions.

KS checks, first failure wins: unparsable, unknown partner or wrong secret (``INVALID_KS`` with
the KS itself as KSID); expired; ``iprestrict``; ``urirestrict``; ``actionslimit``; blocked
partner — these report the reason as KSID (``Invalid KS "EXPIRED", Error "-1,INVALID_STR"``).

``urirestrict`` is matched against the URI as sent only when that URI names no service or action
other than the call's (a repeated ``service=`` key, path and query disagreeing, or a body
overriding them would let the URI describe one call and run another), and against the call's
own URI ``/api_v3/service/<service>/action/<action>``; each call of a multirequest is checked so.

Permissions come from one of the partner's roles: ``setrole:<id or name>`` names it; an admin
session without one gets role 1 (the "Partner administrator" role every partner starts with);
a user session without one gets none. Permission ``*`` grants all.
"""

from __future__ import annotations

import ipaddress
import urllib.parse
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
    in_multirequest: bool = False
    """Whether the call is one of a multirequest's (so the URI names ``multirequest``)."""


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
    session, partner = verify(token, directory, request, counter, now, action)
    return Caller(token, session, partner, requested)


def verify(
    token: str,
    directory: Directory,
    request: RequestInfo,
    counter: UsageCounter,
    now: int,
    call: Action | None = None,
) -> tuple[Session, PartnerAccess]:
    """The KS's session and partner, checked for ``call`` (None: a request of the JSON APIs)."""
    try:
        partner = directory.partner(ks.partner_of(token))
        if partner is None:
            raise ks.KSError("INVALID_STR", "unknown partner")
        session = ks.verify(token, partner.admin_secrets, now=now)
    except ks.KSError as exc:
        raise invalid_ks(token, exc) from None
    if not _ip_allowed(raw_privilege(session.privileges, "iprestrict"), request.client_ip):
        raise _refused("EXCEEDED_RESTRICTED_IP")
    if not _uri_allowed(raw_privilege(session.privileges, "urirestrict"), request, call):
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
    if foreign or (action.permission and not grants(permissions(caller), action.permission)):
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
    return session_permissions(caller.session, caller.partner)


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


def _uri_allowed(restriction: str | None, request: RequestInfo, call: Action | None) -> bool:
    if restriction is None:
        return True
    uris = [request.uri] if call is None or _names_only(request, call) else []
    if call is not None:
        uris.append(f"/api_v3/service/{call.service.lower()}/action/{call.name}")
    return any(
        uri == p or (p.endswith("*") and uri.startswith(p[:-1]))
        for p in restriction.split("|")
        for uri in uris
    )


def _names_only(request: RequestInfo, call: Action) -> bool:
    """Whether every ``service`` and ``action`` the URI names (path pairs and query, each
    occurrence) is the call's; a multirequest's URI names ``multirequest`` and any action."""
    path, _, query = request.uri.partition("?")
    segments = [urllib.parse.unquote(s) for s in path.split("/") if s]
    segments = segments[1:] if segments[:1] == ["api_v3"] else segments
    segments = segments[1:] if segments[:1] == ["index.php"] else segments
    pairs = [*zip(segments[::2], segments[1::2], strict=False)]
    pairs += urllib.parse.parse_qsl(query, keep_blank_values=True)
    named = {(k, v.lower()) for k, v in pairs if k in ("service", "action")}
    if request.in_multirequest:
        return {v for k, v in named if k == "service"} <= {"multirequest"}
    return named <= {("service", call.service.lower()), ("action", call.name.lower())}


def _partner_param(tree: Tree) -> int | None:
    for name in ("p", "partnerId"):
        number = php.integer(text(tree, name) or "")
        if number:
            return number
    return None
