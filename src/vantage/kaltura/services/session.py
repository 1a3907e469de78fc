"""session.start and session.get.

session.start checks the secret as Kaltura does: an admin secret (any of the partner's) starts
any session type and signs it; the user secret starts only user sessions (type 0), which are
signed with the first admin secret. The partner must be active or read-only, the KS version is
the partner's, expiry is capped at its ``ksMaxExpiry`` (0 or negative means that maximum too),
and ``setrole`` must name one of its roles. Any other failure is START_SESSION_ERROR.

Unlike Kaltura, a session started with the user secret may not carry ``setrole`` at all
(INVALID_SET_ROLE): that secret ships inside client-side apps, so whoever holds it must not be
able to pick a role. A KS v1 cannot carry ``;`` in the user id or privileges
(INVALID_PARAMETER_VALUE). Both are checked on the KS as made, read back, so what is checked is
what later requests will read. After ``max_failed_secrets`` wrong secrets from one client address
for one partner within a minute, the secret is not checked (START_SESSION_ERROR) until the minute
ends.
"""

from __future__ import annotations

import hmac

from vantage.access import ks
from vantage.access.ks_checks import raw_privilege
from vantage.access.roles import find_role
from vantage.kaltura import auth, errors
from vantage.kaltura.actions import Action, KsPolicy, Param, Registry
from vantage.kaltura.context import CallContext
from vantage.kaltura.schema import (
    INT,
    KALTURA_OBJECT,
    STRING,
    ApiObject,
    EnumType,
    Field,
    ObjectClass,
)

SESSION_TYPE = EnumType("KalturaSessionType", (ks.USER, ks.ADMIN))
SESSION_INFO = ObjectClass(
    "KalturaSessionInfo",
    (
        Field("ks", STRING),
        Field("sessionType", SESSION_TYPE),
        Field("partnerId", INT),
        Field("userId", STRING),
        Field("expiry", INT),
        Field("privileges", STRING),
    ),
    KALTURA_OBJECT,
)


def register(registry: Registry) -> None:
    registry.add(
        Action(
            "session",
            "start",
            (
                Param("secret", STRING),
                Param("userId", STRING, ""),
                Param("type", SESSION_TYPE, ks.USER),
                Param("partnerId", INT, None),
                Param("expiry", INT, 86_400),
                Param("privileges", STRING, None),
            ),
            start,
            ks=KsPolicy.IGNORED,
        )
    )
    registry.add(Action("session", "get", (Param("session", STRING, None),), get))


def start(
    ctx: CallContext,
    secret: str,
    userId: str,
    type: int,
    partnerId: int | None,
    expiry: int,
    privileges: str | None,
) -> str:
    partner = ctx.directory.partner(partnerId) if partnerId else None
    if partner is None or partner.status not in ("active", "readOnly"):
        raise errors.START_SESSION_ERROR("" if partnerId is None else partnerId)
    guesser, limit = (partner.id, ctx.client_ip), ctx.settings.max_failed_secrets
    if ctx.directory.failed_secrets.blocked(guesser, ctx.now, limit):
        raise errors.START_SESSION_ERROR(partner.id)
    signing = next((s for s in partner.admin_secrets if _same(s, secret)), None)
    if signing is None and (type != ks.USER or not _same(partner.user_secret, secret)):
        ctx.directory.failed_secrets.fail(guesser, ctx.now)
        raise errors.START_SESSION_ERROR(partner.id)
    unfit = ks.unencodable_field(partner.ks_version, userId, privileges or "")
    if unfit is not None:
        raise errors.INVALID_PARAMETER_VALUE(unfit)
    if not 0 < expiry <= partner.ks_max_expiry:
        expiry = partner.ks_max_expiry
    token = ks.generate(
        signing or partner.admin_secrets[0],
        partner.id,
        version=partner.ks_version,
        type=type,
        user_id=userId,
        expiry=expiry,
        privileges=privileges or "",
        now=ctx.now,
    )
    made = ks.verify(token, partner.admin_secrets, now=ctx.now)
    role = raw_privilege(made.privileges, "setrole")
    if role is not None and signing is None:
        raise errors.INVALID_SET_ROLE()
    if role is not None and find_role(partner, role) is None:
        raise errors.UNKNOWN_ROLE_ID()
    return token


def get(ctx: CallContext, session: str | None) -> ApiObject:
    """The caller's session, or another KS of the same partner."""
    assert ctx.partner is not None and ctx.session is not None and ctx.ks is not None
    token, info = ctx.ks, ctx.session
    if session:
        try:
            if ks.partner_of(session) != ctx.partner.id:
                raise ks.KSError("INVALID_STR")
            token, info = session, ks.verify(session, ctx.partner.admin_secrets)
        except ks.KSError as exc:
            raise auth.invalid_ks(session, exc) from None
    return SESSION_INFO(
        ks=token,
        sessionType=info.type,
        partnerId=info.partner_id,
        userId=info.user_id,
        expiry=info.valid_until,
        privileges=info.privileges,
    )


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
