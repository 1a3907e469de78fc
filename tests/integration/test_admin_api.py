"""The admin JSON API over real HTTP."""

from __future__ import annotations

import httpx

from tests.conftest import event
from tests.integration.conftest import Running
from tests.integration.server import post_events
from vantage.access import ks


def test_upsert_list_get_and_filters(running: Running) -> None:
    c = running.client
    users = [
        {"partnerId": 101, "id": f"u{i}", "company": "Acme" if i % 2 else "Initech"}
        for i in range(6)
    ]
    assert c.post("/api/v1/admin/users", json=users).json() == {"upserted": 6}
    page = c.get("/api/v1/admin/users", params={"company": "Acme", "limit": 2}).json()
    assert page["totalCount"] == 3 and [u["id"] for u in page["objects"]] == ["u1", "u3"]
    assert c.get("/api/v1/admin/users/u4").json()["company"] == "Initech"
    assert c.get("/api/v1/admin/users/nobody").status_code == 404
    assert c.get("/api/v1/admin/partners").json()["objects"][0]["id"] == 101


def test_invalid_objects_name_the_field_and_write_nothing(running: Running) -> None:
    c = running.client
    answer = c.post(
        "/api/v1/admin/entries",
        json=[
            {"partnerId": 101, "id": "1_ok", "name": "Fine", "kind": "room"},
            {"partnerId": 101, "id": "1_bad", "name": "Bad", "kind": "hologram"},
        ],
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "INVALID_OBJECT"
    assert "$[1].kind" in answer.json()["error"]["message"]
    assert c.get("/api/v1/admin/entries/1_ok").status_code == 404


def test_errors_for_kind_parameters_and_foreign_partners(running: Running) -> None:
    c = running.client
    assert c.get("/api/v1/admin/widgets").json()["error"]["code"] == "UNKNOWN_KIND"
    assert c.get("/api/v1/admin/users", params={"limit": 0}).status_code == 400
    assert (
        c.get("/api/v1/admin/users", params={"shoeSize": 4}).json()["error"]["code"]
        == "INVALID_FILTER"
    )
    foreign = c.post("/api/v1/admin/users", json={"partnerId": running.other_id, "id": "x"})
    assert foreign.status_code == 403
    steal = c.post(
        "/api/v1/admin/partners",
        json={
            "id": running.other_id,
            "name": "Mine now",
            "adminSecrets": ["x" * 32],
            "userSecret": "y" * 32,
            "parentPartnerId": 101,
        },
    )
    assert steal.status_code == 403


def test_a_parent_creates_a_child_and_writes_its_events(running: Running) -> None:
    c = running.client
    child = {
        "id": 900,
        "name": "Child",
        "adminSecrets": ["c" * 32],
        "userSecret": "d" * 32,
        "parentPartnerId": 101,
    }
    assert c.post("/api/v1/admin/partners", json=child).status_code == 200
    c.post(
        "/api/v1/admin/entries",
        json={"partnerId": 900, "id": "9_room", "name": "R", "kind": "room"},
    ).raise_for_status()
    answer = post_events(c, [event("raiseHand", partnerId=900, entryId="9_room")])
    assert answer.json()["stored"] == 1
    # The child sees its own data only; the parent sees both.
    with running.server.client(900, "c" * 32) as as_child:
        assert as_child.get("/api/v1/events").json()["totalCount"] == 1
        assert as_child.get("/api/v1/admin/entries").json()["totalCount"] == 1
    assert c.get("/api/v1/admin/entries").json()["totalCount"] == 2
    assert c.get("/api/v1/admin/entries/9_room", params={"partnerId": 900}).status_code == 200


def test_rotating_a_secret_takes_effect_at_once(running: Running) -> None:
    c = running.client
    me = c.get("/api/v1/admin/partners/101").json()
    me["adminSecrets"] = ["n" * 32]
    assert c.post("/api/v1/admin/partners", json=me).status_code == 200
    assert c.get("/api/v1/admin/users").status_code == 401
    with running.server.client(101, "n" * 32) as renewed:
        assert renewed.get("/api/v1/admin/users").status_code == 200


def test_an_admin_ks_opens_the_admin_api(running: Running) -> None:
    import httpx

    from vantage.access import ks

    url = running.server.url + "/api/v1/admin/entries"
    admin = ks.generate(running.secret, running.partner_id, version=2, type=ks.ADMIN)
    user = ks.generate(running.secret, running.partner_id, version=2, type=ks.USER)
    forged = ks.generate("x" * 32, running.partner_id, version=2, type=ks.ADMIN)
    expired = ks.generate(running.secret, running.partner_id, version=1, type=ks.ADMIN, expiry=-5)
    assert httpx.get(url, headers={"Authorization": f"KS {admin}"}).json()["totalCount"] == 1
    assert httpx.get(url, params={"ks": admin}).status_code == 200
    assert httpx.get(url, headers={"Authorization": f"KS {user}"}).status_code == 403
    assert httpx.get(url, headers={"Authorization": f"KS {forged}"}).json()["error"] == {
        "code": "INVALID_KS",
        "message": "invalid KS: INVALID_STR",
    }
    assert (
        httpx.get(url, params={"ks": expired}).json()["error"]["message"] == "invalid KS: EXPIRED"
    )


def test_an_analytics_viewer_ks_reads_no_secret_and_writes_nothing(running: Running) -> None:
    viewer = ks.generate(
        running.secret, running.partner_id, version=2, type=ks.ADMIN, privileges="setrole:2"
    )
    with httpx.Client(base_url=running.server.url, headers={"Authorization": f"KS {viewer}"}) as c:
        page = c.get("/api/v1/admin/partners", params={"partnerId": 101}).json()
        [me] = page["objects"]
        assert "adminSecrets" not in me and "userSecret" not in me
        entry = {"partnerId": 101, "id": "1_x", "name": "X", "kind": "room"}
        assert c.post("/api/v1/admin/entries", json=entry).status_code == 403
        assert c.post("/api/v1/admin/partners", json={**me, "name": "Mine"}).status_code == 403
    assert running.client.get("/api/v1/admin/partners/101").json()["name"] != "Mine"
