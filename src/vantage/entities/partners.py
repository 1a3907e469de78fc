"""Creating partners: ids, secrets and the roles a new account starts with."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from vantage.entities import repository
from vantage.entities.model import DEFAULT_ROLES, KINDS, Partner
from vantage.store.engine import WriteSession

FIRST_PARTNER_ID = 101  # below this, ids are left for the operator's own choice


def new_secret() -> str:
    """32 hex characters, the shape of a Kaltura secret."""
    return secrets.token_hex(16)


def exists(tx: WriteSession, partner_id: int) -> bool:
    return bool(tx.execute("SELECT count(*) FROM partners WHERE id = ?", (partner_id,))[0][0])


def create(
    tx: WriteSession,
    name: str,
    *,
    partner_id: int | None = None,
    parent_partner_id: int | None = None,
    admin_secret: str | None = None,
    user_secret: str | None = None,
) -> Partner:
    """Store a new partner with fresh secrets; the id is the next free one unless given."""
    partner = new_partner(
        name,
        partner_id=partner_id,
        parent_partner_id=parent_partner_id,
        admin_secret=admin_secret,
        user_secret=user_secret,
        exists=lambda pid: exists(tx, pid),
        top_id=lambda: tx.execute("SELECT max(id) FROM partners")[0][0],
    )
    repository.upsert(tx, KINDS["partners"], [partner])
    return partner


def new_partner(
    name: str,
    *,
    partner_id: int | None,
    parent_partner_id: int | None,
    admin_secret: str | None,
    user_secret: str | None,
    exists: Callable[[int], bool],
    top_id: Callable[[], int | None],
) -> Partner:
    """The partner to store, by the rules of :func:`create`, asking the store through
    ``exists`` (is a partner id stored?) and ``top_id`` (the largest stored id, None when
    there is none): any engine's store."""
    if partner_id is None:
        partner_id = max(FIRST_PARTNER_ID, (top_id() or 0) + 1)
    elif exists(partner_id):
        raise repository.EntityError(f"partner {partner_id} already exists")
    if parent_partner_id is not None and not exists(parent_partner_id):
        raise repository.EntityError(f"parent partner {parent_partner_id} does not exist")
    return Partner(
        id=partner_id,
        name=name,
        admin_secrets=[admin_secret or new_secret()],
        user_secret=user_secret or new_secret(),
        parent_partner_id=parent_partner_id,
        roles=list(DEFAULT_ROLES),
    )
