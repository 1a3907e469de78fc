"""Creating partners: ids, secrets and the roles a new account starts with."""

from __future__ import annotations

import secrets

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
    if partner_id is None:
        top = tx.execute("SELECT max(id) FROM partners")[0][0]
        partner_id = max(FIRST_PARTNER_ID, (top or 0) + 1)
    elif exists(tx, partner_id):
        raise repository.EntityError(f"partner {partner_id} already exists")
    if parent_partner_id is not None and not exists(tx, parent_partner_id):
        raise repository.EntityError(f"parent partner {parent_partner_id} does not exist")
    partner = Partner(
        id=partner_id,
        name=name,
        admin_secrets=[admin_secret or new_secret()],
        user_secret=user_secret or new_secret(),
        parent_partner_id=parent_partner_id,
        roles=list(DEFAULT_ROLES),
    )
    repository.upsert(tx, KINDS["partners"], [partner])
    return partner
