"""The partner directory: who may write what, answered from memory, reloaded when it must be."""

from __future__ import annotations

import pytest

from vantage.access import directory as directory_module
from vantage.access.directory import Directory
from vantage.entities import partners, repository
from vantage.entities.model import DEFAULT_ROLES, KINDS, Entry, EntryKind, Partner
from vantage.ingest.store import Store


def create(store: Store, name: str, **kw: object) -> Partner:
    return store.writer.submit(lambda tx: partners.create(tx, name, **kw)).result()  # type: ignore[arg-type]


def add_entry(store: Store, partner_id: int, entry_id: str) -> None:
    entry = Entry(partner_id=partner_id, id=entry_id, name=entry_id, kind=EntryKind.ROOM)
    store.writer.submit(lambda tx: repository.upsert(tx, KINDS["entries"], [entry])).result()


def test_authenticate_needs_an_admin_secret_of_an_unblocked_partner(store: Store) -> None:
    p = create(store, "P")
    d = Directory(store.engine)
    assert d.authenticate(p.id, p.admin_secrets[0]) is not None
    assert d.authenticate(p.id, p.user_secret) is None
    assert d.authenticate(p.id + 1, p.admin_secrets[0]) is None
    blocked = Partner(**{**{f: getattr(p, f) for f in p.__struct_fields__}, "status": "blocked"})
    store.writer.submit(lambda tx: repository.upsert(tx, KINDS["partners"], [blocked])).result()
    assert d.authenticate(p.id, p.admin_secrets[0]) is not None  # still the cached view …
    d.reload_partners()
    assert d.authenticate(p.id, p.admin_secrets[0]) is None  # … until the directory reloads


def test_a_partner_writes_itself_and_its_children_only(store: Store) -> None:
    parent = create(store, "Parent")
    child = create(store, "Child", parent_partner_id=parent.id)
    other = create(store, "Other")
    d = Directory(store.engine)
    assert d.writable_partners(d.partner(parent.id)) == {parent.id, child.id}  # type: ignore[arg-type]
    assert d.writable_partners(d.partner(child.id)) == {child.id}  # type: ignore[arg-type]
    assert other.id not in d.writable_partners(d.partner(parent.id))  # type: ignore[arg-type]


def test_unknown_entries_reload_at_most_once_a_second(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = create(store, "P")
    add_entry(store, p.id, "1_a")
    d = Directory(store.engine)
    clock = [1000.0]
    monkeypatch.setattr(directory_module.time, "monotonic", lambda: clock[0])
    assert d.has_entry(p.id, "1_a") and not d.has_entry(p.id, "1_b")
    add_entry(store, p.id, "1_b")
    assert not d.has_entry(p.id, "1_b")  # within the second: no new query
    clock[0] += directory_module.RELOAD_INTERVAL_S + 0.01
    assert d.has_entry(p.id, "1_b")
    add_entry(store, p.id, "1_c")
    d.forget_entries({p.id})  # what the admin API does after an entry upsert
    assert d.has_entry(p.id, "1_c")


def test_a_partner_stored_without_roles_has_the_default_ones(store: Store) -> None:
    p = create(store, "Stored before roles had defaults")
    store.writer.submit(
        lambda tx: tx.execute("UPDATE partners SET roles = '[]' WHERE id = ?", (p.id,))
    ).result()
    access = Directory(store.engine).partner(p.id)
    assert access is not None and access.roles == DEFAULT_ROLES
