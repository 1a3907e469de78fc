from __future__ import annotations

import msgspec
import pytest

from vantage.entities import model, partners, repository
from vantage.entities.model import KINDS, Entry, Partner
from vantage.ingest.store import Store

ENTRIES, CATEGORIES, USERS = KINDS["entries"], KINDS["categories"], KINDS["users"]


def upsert(store: Store, kind_name: str, body: bytes) -> int:
    kind = KINDS[kind_name]
    items = repository.decode_items(kind, body)
    return store.writer.submit(lambda tx: repository.upsert(tx, kind, items)).result()


def test_upsert_replaces_the_whole_object(store: Store, partner: Partner) -> None:
    upsert(store, "entries", b'{"partnerId":101,"id":"1_a","name":"A","kind":"room","tags":["x"]}')
    upsert(store, "entries", b'{"partnerId":101,"id":"1_a","name":"A2","kind":"video"}')
    [obj], total = repository.list_items(store.engine, ENTRIES, partner_ids=[101])
    assert total == 1 and (obj["name"], obj["kind"], obj["tags"]) == ("A2", "video", [])


def test_times_in_and_out(store: Store, partner: Partner) -> None:
    upsert(
        store,
        "entries",
        b'[{"partnerId":101,"id":"1_a","name":"A","kind":"room","createdAt":"2024-08-01T00:00:00+02:00",'
        b'"updatedAt":1722470400}]',
    )
    obj = repository.get(store.engine, ENTRIES, [101, "1_a"])
    assert obj is not None and (obj["createdAt"], obj["updatedAt"]) == (1722463200, 1722470400)


def test_category_paths_come_from_parents(store: Store, partner: Partner) -> None:
    upsert(
        store,
        "categories",
        b'[{"partnerId":101,"id":1,"name":"Courses"},'
        b'{"partnerId":101,"id":2,"name":"Biology","parentId":1}]',
    )
    upsert(store, "categories", b'{"partnerId":101,"id":3,"name":"BIO-101","parentId":2}')
    upsert(store, "categories", b'{"partnerId":101,"id":4,"name":"Own","fullName":"X>Own"}')
    objs, _ = repository.list_items(store.engine, CATEGORIES, partner_ids=[101])
    assert [o["fullName"] for o in objs] == [
        "Courses",
        "Courses>Biology",
        "Courses>Biology>BIO-101",
        "X>Own",
    ]


def test_filters_and_paging(store: Store, partner: Partner) -> None:
    body = (
        b"["
        + b",".join(
            b'{"partnerId":101,"id":"u%d","company":"%s"}' % (i, b"Acme" if i % 2 else b"Initech")
            for i in range(10)
        )
        + b"]"
    )
    upsert(store, "users", body)
    page, total = repository.list_items(
        store.engine, USERS, partner_ids=[101], filters={"company": "Acme"}, limit=2, offset=1
    )
    assert total == 5 and [u["id"] for u in page] == ["u3", "u5"]
    with pytest.raises(repository.EntityError):
        repository.list_items(store.engine, USERS, partner_ids=[101], filters={"password": "x"})


def test_list_columns_filter_by_membership(store: Store, partner: Partner) -> None:
    upsert(
        store,
        "entries",
        b'[{"partnerId":101,"id":"1_a","name":"A","kind":"room","categoryIds":[5,6]},'
        b'{"partnerId":101,"id":"1_b","name":"B","kind":"room","categoryIds":[7]}]',
    )
    objs, _ = repository.list_items(
        store.engine, ENTRIES, partner_ids=[101], filters={"category_ids": "6"}
    )
    assert [o["id"] for o in objs] == ["1_a"]


def test_partners_only_see_what_they_are_scoped_to(store: Store, partner: Partner) -> None:
    other = store.writer.submit(lambda tx: partners.create(tx, "Other")).result()
    upsert(store, "entries", b'{"partnerId":%d,"id":"1_x","name":"X","kind":"room"}' % other.id)
    assert repository.list_items(store.engine, ENTRIES, partner_ids=[partner.id]) == ([], 0)


def test_same_key_twice_in_one_request_is_refused(store: Store, partner: Partner) -> None:
    with pytest.raises(repository.EntityError, match="twice"):
        upsert(store, "users", b'[{"partnerId":101,"id":"u"},{"partnerId":101,"id":"u"}]')


def test_entry_struct_defaults(store: Store, room: Entry) -> None:
    obj = repository.get(store.engine, ENTRIES, [101, "1_room"])
    assert obj is not None and obj["status"] == "ready" and obj["categoryIds"] == []


PARTNER = b'{"id":300,"name":"P","adminSecrets":["%s"],"userSecret":"%s"}' % (b"a" * 32, b"u" * 32)


def roles_of(store: Store, partner_id: int) -> list[int]:
    found = repository.get(store.engine, KINDS["partners"], [partner_id])
    assert found is not None
    return [r["id"] for r in found["roles"]]


def test_a_partner_without_roles_gets_the_default_roles(store: Store) -> None:
    upsert(store, "partners", PARTNER)
    assert roles_of(store, 300) == [r.id for r in model.DEFAULT_ROLES]


def test_an_upsert_without_roles_keeps_the_partners_own(store: Store) -> None:
    own = b'[{"id":7,"name":"Reader","permissions":["ANALYTICS_BASE"]}]'
    upsert(store, "partners", PARTNER[:-1] + b',"roles":' + own + b"}")
    upsert(store, "partners", PARTNER)
    assert roles_of(store, 300) == [7]


def test_an_integer_field_takes_a_whole_number_float_or_numeric_string(
    store: Store, partner: Partner
) -> None:
    video = b'"partnerId":101,"name":"V","kind":"video"'
    upsert(store, "entries", b'{"id":"1_f","duration":90.0,%s}' % video)
    upsert(store, "entries", b'{"id":"1_s","size":"2048",%s}' % video)
    f = repository.get(store.engine, ENTRIES, [101, "1_f"])
    s = repository.get(store.engine, ENTRIES, [101, "1_s"])
    assert f is not None and f["duration"] == 90
    assert s is not None and s["size"] == 2048


def test_an_integer_field_refuses_a_fraction(store: Store, partner: Partner) -> None:
    with pytest.raises(msgspec.ValidationError, match="duration"):
        upsert(store, "entries", b'{"partnerId":101,"id":"1_h","name":"H","duration":90.5}')
