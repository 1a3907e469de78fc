"""Signing in with the form or a KS link, the session cookie, and what each session may see."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from tests.web.conftest import DAY, make_ks, secret, signed_in
from vantage.access import ks
from vantage.ingest.store import Store
from vantage.web.cookies import Signer

ROOM = "/analytics/rooms/1_main"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_the_form_signs_in_and_out(client: TestClient, school: Store) -> None:
    client.cookies.clear()
    assert client.get(ROOM).headers["location"].startswith("/analytics/sign-in?next=")
    assert client.get(ROOM + ".json").status_code == 401
    form = client.get("/analytics/sign-in")
    token = _csrf(form.text)
    fields = {"partner_id": "101", "secret": secret(school), "csrf": token, "next": ROOM}
    done = client.post("/analytics/sign-in", data=fields)
    assert (done.status_code, done.headers["location"]) == (303, ROOM)
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=28800" in cookie
    assert client.get(ROOM + ".json", params=DAY).status_code == 200
    page = client.get(ROOM, params=DAY)
    out = client.post("/analytics/sign-out", data={"csrf": _csrf(page.text)})
    assert out.status_code == 303
    assert client.get(ROOM + ".json").status_code == 401


def test_the_form_refuses_wrong_secrets_and_foreign_posts(
    client: TestClient, school: Store
) -> None:
    client.cookies.clear()
    token = _csrf(client.get("/analytics/sign-in").text)
    wrong = client.post(
        "/analytics/sign-in", data={"partner_id": "101", "secret": "nope", "csrf": token}
    )
    assert wrong.status_code == 401 and "wrong admin secret" in wrong.text
    assert "vantage_session" not in wrong.headers.get("set-cookie", "")
    # a post whose token was not made for this browser's cookie: another site's form
    client.cookies.clear()
    foreign = client.post(
        "/analytics/sign-in",
        data={"partner_id": "101", "secret": secret(school), "csrf": token},
    )
    assert foreign.status_code == 403
    assert (
        client.post("/analytics/sign-in", data={"partner_id": "x", "csrf": ""}).status_code == 403
    )


def test_sign_out_needs_the_token(client: TestClient, school: Store) -> None:
    signed_in(client, school)
    assert client.post("/analytics/sign-out", data={"csrf": "forged"}).status_code == 403
    assert client.post("/analytics/sign-out", data={"csrf": "é"}).status_code == 403  # not a 500
    assert client.get(ROOM + ".json", params=DAY).status_code == 200


def test_next_never_leaves_the_dashboard(client: TestClient, school: Store) -> None:
    client.cookies.clear()
    token = _csrf(client.get("/analytics/sign-in").text)
    fields = {"partner_id": "101", "secret": secret(school), "csrf": token}
    for target in ("https://evil.example/", "//evil.example/analytics/", "/api_v3/x"):
        done = client.post("/analytics/sign-in", data={**fields, "next": target})
        assert done.headers["location"] == "/analytics"


def test_a_ks_link_sets_the_session_and_drops_the_ks(client: TestClient, school: Store) -> None:
    client.cookies.clear()
    token = make_ks(school)
    answer = client.get(ROOM, params={**DAY, "ks": token})
    assert answer.status_code == 303
    assert "ks=" not in answer.headers["location"] and "preset=custom" in answer.headers["location"]
    assert client.get(answer.headers["location"]).status_code == 200
    # a twin answers a KS directly
    client.cookies.clear()
    assert client.get(ROOM + ".json", params={**DAY, "ks": token}).status_code == 200
    assert client.get(ROOM + ".json").status_code == 401  # and set no cookie


def test_a_bad_ks_is_refused_as_kaltura_refuses_it(client: TestClient, school: Store) -> None:
    client.cookies.clear()
    expired = ks.generate(secret(school), 101, version=2, type=ks.ADMIN, expiry=-10)
    answer = client.get(ROOM + ".json", params={"ks": expired})
    assert answer.status_code == 401 and "EXPIRED" in answer.json()["error"]["message"]
    fenced = make_ks(school, "iprestrict:10.0.0.0/8")
    assert "EXCEEDED_RESTRICTED_IP" in client.get(ROOM + ".json", params={"ks": fenced}).text
    assert client.get(ROOM, params={"ks": "garbage"}).status_code == 401


def test_a_tampered_or_expired_cookie_is_no_session(client: TestClient, school: Store) -> None:
    signed_in(client, school)
    value = client.cookies["vantage_session"]
    client.cookies.clear()
    client.cookies.set("vantage_session", value[:-2] + "AA")
    assert client.get(ROOM + ".json").status_code == 401
    signer = Signer("test key")
    assert signer.unsign(signer.sign({"p": 101, "exp": 100}), now=99) is not None
    assert signer.unsign(signer.sign({"p": 101, "exp": 100}), now=100) is None
    assert Signer("other key").unsign(signer.sign({"p": 101, "exp": 100}), now=1) is None


@pytest.mark.parametrize(
    ("privileges", "type_", "room", "other_room", "category"),
    [
        ("", ks.ADMIN, 200, 200, 200),  # partner-wide
        ("sview:1_main", ks.USER, 200, 403, 403),
        ("sview:1_other/1_main", ks.ADMIN, 200, 200, 403),
        ("virtualeventid:7", ks.USER, 200, 403, 403),  # 1_main is virtual event 7's
        ("virtualeventid:8", ks.ADMIN, 403, 403, 403),
        ("categoryid:5", ks.USER, 200, 403, 200),  # 1_main is in category 5
        ("sview:1_other,categoryid:5", ks.ADMIN, 403, 403, 403),  # limits add up
    ],
)
def test_what_a_session_may_see(
    client: TestClient,
    school: Store,
    privileges: str,
    type_: int,
    room: int,
    other_room: int,
    category: int,
) -> None:
    signed_in(client, school, privileges, type_)
    assert client.get(ROOM + ".json", params=DAY).status_code == room
    assert client.get(ROOM + "/panels/overview.json", params=DAY).status_code == room
    assert client.get("/analytics/rooms/1_other.json", params=DAY).status_code == other_room
    assert client.get("/analytics/categories/5.json", params=DAY).status_code == category


def test_a_limited_session_lists_only_what_it_may_open(client: TestClient, school: Store) -> None:
    signed_in(client, school, "sview:1_main", ks.USER)
    home = client.get("/analytics.json").json()
    assert home == {"rooms": [{"id": "1_main", "name": "Biology 101"}], "categories": []}
    signed_in(client, school)
    home = client.get("/analytics.json").json()
    assert {r["id"] for r in home["rooms"]} == {"1_main", "1_break", "1_other"}
    assert home["categories"] == [{"id": 5, "name": "Biology"}, {"id": 6, "name": "Chemistry"}]


def test_a_user_ks_without_limits_sees_nothing(client: TestClient, school: Store) -> None:
    client.cookies.clear()
    answer = client.get(ROOM + ".json", params={"ks": make_ks(school, type_=ks.USER)})
    assert answer.status_code == 403
    # a role without ANALYTICS_BASE: none named "nobody" exists, so the KS has no permissions
    answer = client.get(ROOM + ".json", params={"ks": make_ks(school, "setrole:nobody")})
    assert answer.status_code == 403
    unreadable = make_ks(school, "virtualeventid:seven", ks.USER)
    assert client.get(ROOM + ".json", params={"ks": unreadable}).status_code == 403


def test_a_blocked_partner_s_sessions_end(client: TestClient, school: Store) -> None:
    from dataclasses import replace

    signed_in(client, school)
    directory = client.app.state.directory  # type: ignore[attr-defined]
    partner = directory.partner(101)
    directory._partners[101] = replace(partner, status="blocked")
    try:
        assert client.get(ROOM + ".json", params=DAY).status_code == 401
    finally:
        directory._partners[101] = partner
    assert client.get(ROOM + ".json", params=DAY).status_code == 200


def test_pages_are_private_and_never_framed(client: TestClient, school: Store) -> None:
    signed_in(client, school)
    for url in (ROOM, ROOM + ".json", ROOM + "/panels/overview", "/analytics/rooms/nope"):
        headers = client.get(url, params=DAY).headers
        assert headers["cache-control"] == "private, no-store"
        assert headers["x-frame-options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in headers["content-security-policy"]
