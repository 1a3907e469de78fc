from __future__ import annotations

import pytest

from vantage.entities import partners
from vantage.entities.repository import EntityError
from vantage.ingest.store import Store


def create(store: Store, name: str, **kw: object) -> partners.Partner:  # type: ignore[name-defined]
    return store.writer.submit(lambda tx: partners.create(tx, name, **kw)).result()


def test_ids_count_up_from_101_and_secrets_are_fresh(store: Store) -> None:
    a, b = create(store, "A"), create(store, "B")
    assert (a.id, b.id) == (101, 102)
    assert len(a.admin_secrets[0]) == 32 and a.admin_secrets[0] != b.admin_secrets[0]
    assert a.user_secret not in a.admin_secrets
    assert any("ANALYTICS_BASE" in r.permissions for r in a.roles)


def test_explicit_id_child_and_errors(store: Store) -> None:
    parent = create(store, "Parent", partner_id=500)
    child = create(store, "Child", parent_partner_id=500)
    assert (parent.id, child.id, child.parent_partner_id) == (500, 501, 500)
    with pytest.raises(EntityError, match="already exists"):
        create(store, "Again", partner_id=500)
    with pytest.raises(EntityError, match="does not exist"):
        create(store, "Orphan", parent_partner_id=9999)
