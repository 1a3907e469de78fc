"""Who is calling and what they may do, as Kaltura answers it: the KS checked
(:mod:`vantage.access.ks_checks`), then the role's permissions (:mod:`vantage.access.roles`).

A KS that fails is ``INVALID_KS``: with the KS itself as KSID when it cannot be read (unparsable,
unknown partner or wrong secret), else with the reason as KSID
(``Invalid KS "EXPIRED", Error "-1,INVALID_STR"``); an unusable ``actionslimit`` is
``INVALID_ACTIONS_LIMIT``.

``urirestrict`` is matched against the URI as sent only when that URI names no service or action
other than the call's (a repeated ``service=`` key, path and query disagreeing, or a body
overriding them would let the URI describe one call and run another), and against the call's
own URI ``/api_v3/service/<service>/action/<action>``; each call of a multirequest is checked so.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from vantage import php
from vantage.access import ks_checks
from vantage.access.directory import Directory, PartnerAccess
from vantage.access.ks import KSError, Session
from vantage.access.ks_checks import raw_privilege
from vantage.access.ks_uses import UsageCounter
from vantage.access.roles import grants, session_permissions
from vantage.kaltura import errors
from vantage.kaltura.actions import Action, KsPolicy
from vantage.kaltura.errors import APIException
from vantage.kaltura.params import Tree, text


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

    def uris() -> list[str]:
        return _call_uris(request, action)

    try:
        session, partner = ks_checks.verify(token, directory, request.client_ip, uris, counter, now)
    except KSError as exc:
        raise invalid_ks(token, exc) from None
    return Caller(token, session, partner, requested)


def invalid_ks(token: str, error: KSError) -> APIException:
    """Kaltura's error for a KS that failed: INVALID_KS with the KS itself as KSID if unreadable,
    else the reason; INVALID_ACTIONS_LIMIT for an unusable limit."""
    if error.reason == "INVALID_ACTIONS_LIMIT":
        return errors.INVALID_ACTIONS_LIMIT()
    ksid = token if error.reason == "INVALID_STR" else error.reason
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


def reference_time(session: Session | None, now: int) -> int:
    """``reftime:<unix>`` replaces now for relative times, as in Kaltura."""
    value = raw_privilege(session.privileges, "reftime") if session is not None else None
    return (php.integer(value) if value else None) or now


def _call_uris(request: RequestInfo, call: Action) -> list[str]:
    """The URIs ``urirestrict`` is matched against: the call's own, and the URI as sent when it
    names no other call."""
    own = f"/api_v3/service/{call.service.lower()}/action/{call.name}"
    return [request.uri, own] if _names_only(request, call) else [own]


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
