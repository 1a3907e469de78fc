"""The JSON APIs check the caller's role: what each permission allows, who sees secrets, and
never a 5xx for any path, query, body or Authorization header."""

from __future__ import annotations

import base64
import dataclasses
import json
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from vantage.access import ks
from vantage.config import Settings
from vantage.entities.model import DEFAULT_ROLES, Partner
from vantage.ingest.store import Store
from vantage.server import create_app

ENTRY = {"partnerId": 101, "id": "1_a", "name": "A", "kind": "room"}
CHILD = {"id": 900, "name": "Child", "adminSecrets": ["c" * 32], "userSecret": "d" * 32}
SECRETS = {"adminSecrets", "userSecret"}
JSON = {"content-type": "application/json"}
FIXTURES = [HealthCheck.function_scoped_fixture]


@pytest.fixture
def client(settings: Settings, store: Store, partner: Partner) -> TestClient:
    app = create_app(dataclasses.replace(settings, max_failed_secrets=3), store)
    return TestClient(app, raise_server_exceptions=False)


def as_ks(partner: Partner, privileges: str = "", type_: int = ks.ADMIN) -> dict[str, str]:
    token = ks.generate(
        partner.admin_secrets[0], partner.id, version=2, type=type_, privileges=privileges
    )
    return {"Authorization": f"KS {token}"}


def basic(user: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()}


def code(answer: Any) -> tuple[int, str | None]:
    body = answer.json()
    return answer.status_code, body.get("error", {}).get("code") if isinstance(body, dict) else None


def test_a_viewer_reads_but_never_sees_secrets_nor_writes(
    client: TestClient, partner: Partner
) -> None:
    viewer = as_ks(partner, "setrole:2")
    listed = client.get("/api/v1/admin/partners", headers=viewer).json()["objects"]
    assert listed and not SECRETS & set(listed[0])
    assert not SECRETS & set(client.get("/api/v1/admin/partners/101", headers=viewer).json())
    assert client.get("/api/v1/admin/entries", headers=viewer).status_code == 200
    assert client.get("/api/v1/events", headers=viewer).status_code == 200
    denied = (403, "PERMISSION_DENIED")
    assert code(client.post("/api/v1/admin/entries", json=ENTRY, headers=viewer)) == denied
    assert code(client.delete("/api/v1/admin/entries/1_a", headers=viewer)) == denied
    own = {**CHILD, "id": 101, "name": "Mine"}
    assert code(client.post("/api/v1/admin/partners", json=own, headers=viewer)) == denied
    events = client.post("/api/v1/events", content=b"[]", headers=viewer | JSON)
    assert code(events) == denied


def test_a_ks_that_picked_its_role_never_sees_secrets(client: TestClient, partner: Partner) -> None:
    chosen = as_ks(partner, "setrole:1")  # the administrator role, but picked
    assert client.post("/api/v1/admin/entries", json=ENTRY, headers=chosen).status_code == 200
    listed = client.get("/api/v1/admin/partners", headers=chosen).json()["objects"]
    assert not SECRETS & set(listed[0])
    child = {**CHILD, "parentPartnerId": 101}
    refused = client.post("/api/v1/admin/partners", json=child, headers=chosen)
    assert code(refused) == (403, "PERMISSION_DENIED")


@pytest.mark.parametrize("how", ["ks", "basic"])
def test_a_full_administrator_sees_secrets_and_writes_partners(
    client: TestClient, partner: Partner, how: str
) -> None:
    headers = as_ks(partner) if how == "ks" else basic("101", partner.admin_secrets[0])
    listed = client.get("/api/v1/admin/partners", headers=headers).json()["objects"]
    assert listed[0]["adminSecrets"] == partner.admin_secrets
    child = {**CHILD, "parentPartnerId": 101}
    assert client.post("/api/v1/admin/partners", json=child, headers=headers).status_code == 200


def test_a_partner_made_without_roles_has_the_default_ones(
    client: TestClient, partner: Partner
) -> None:
    admin = as_ks(partner)
    client.post("/api/v1/admin/partners", json={**CHILD, "parentPartnerId": 101}, headers=admin)
    made = client.get("/api/v1/admin/partners/900", headers=admin).json()
    assert [r["id"] for r in made["roles"]] == [r.id for r in DEFAULT_ROLES]
    renamed = {**CHILD, "parentPartnerId": 101, "roles": [{"id": 5, "name": "Only"}]}
    client.post("/api/v1/admin/partners", json=renamed, headers=admin)
    client.post("/api/v1/admin/partners", json={**CHILD, "parentPartnerId": 101}, headers=admin)
    kept = client.get("/api/v1/admin/partners/900", headers=admin).json()
    assert [r["id"] for r in kept["roles"]] == [5]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/v1/admin/categories/abc", (400, "INVALID_PARAMETER")),
        ("/api/v1/admin/categories/99999999999999999999", (400, "INVALID_PARAMETER")),
        ("/api/v1/admin/entries?offset=9223372036854775808", (400, "INVALID_PARAMETER")),
        ("/api/v1/admin/entries?offset=9223372036854775807", (200, None)),
        ("/api/v1/admin/partners/" + "9" * 400, (400, "INVALID_PARAMETER")),
        ("/api/v1/admin/entries?partnerId=" + "9" * 400, (400, "INVALID_PARAMETER")),
        ("/api/v1/admin/partners/9223372036854775807", (404, "NOT_FOUND")),
    ],
)
def test_numbers_out_of_range_are_client_errors(
    client: TestClient, partner: Partner, path: str, expected: tuple[int, str | None]
) -> None:
    assert code(client.get(path, headers=as_ks(partner))) == expected


@pytest.mark.parametrize(
    "header",
    [
        "Basic " + base64.b64encode(b"\xff\xfe:\x80").decode(),
        "Basic " + base64.b64encode(b"9" * 5000 + b":x").decode(),
        "Basic " + base64.b64encode(b"9" * 400 + b":x").decode(),
        "Basic !!!",
        "KS " + "A" * 300,
        "Basic",
    ],
)
def test_malformed_credentials_are_401(client: TestClient, header: str) -> None:
    answer = client.get("/api/v1/admin/entries", headers={"Authorization": header})
    assert answer.status_code == 401


def test_guessing_the_basic_secret_is_stopped(client: TestClient, partner: Partner) -> None:
    for _ in range(3):
        assert client.get("/api/v1/admin/entries", headers=basic("101", "guess")).status_code == 401
    right = basic("101", partner.admin_secrets[0])
    assert code(client.get("/api/v1/admin/entries", headers=right)) == (429, "TOO_MANY_FAILURES")


SEGMENT = st.text(string.ascii_letters + string.digits + "-_%.~", max_size=25)
PATHS = st.builds(
    lambda kind, rest: f"/api/v1/admin/{kind}" + (f"/{rest}" if rest is not None else ""),
    st.sampled_from(["partners", "users", "entries", "categories", "virtual-events", "sessions"])
    | SEGMENT,
    st.none() | SEGMENT | st.integers(-(2**70), 2**70).map(str),
) | st.just("/api/v1/events")
QUERY = st.dictionaries(
    st.sampled_from(
        ["limit", "offset", "partnerId", "id", "kind", "categoryIds", "createdAt", "since"]
    )
    | SEGMENT,
    st.integers(-(2**70), 2**70).map(str) | st.text(max_size=10) | st.just("nan"),
    max_size=4,
)
NUMBER = st.integers(-(2**70), 2**70)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | NUMBER | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
ENTRY_LIKE = st.fixed_dictionaries(
    {
        "partnerId": NUMBER,
        "id": st.text(max_size=5),
        "name": st.text(max_size=5),
        "kind": st.sampled_from(["room", "x"]),
        "duration": NUMBER | st.floats(),
    }
)
BODY = st.binary(max_size=200) | (JSON_VALUE | ENTRY_LIKE).map(lambda v: json.dumps(v).encode())
AUTH = st.one_of(
    st.sampled_from(["ks", "viewer", "basic", "none"]),
    st.binary(max_size=40).map(lambda b: "Basic " + base64.b64encode(b).decode()),
    st.text(string.printable, max_size=40),
)


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURES)
@given(
    method=st.sampled_from(["GET", "POST", "DELETE"]),
    path=PATHS,
    query=QUERY,
    body=BODY,
    auth=AUTH,
)
def test_no_request_gets_a_5xx(
    client: TestClient,
    partner: Partner,
    method: str,
    path: str,
    query: dict[str, str],
    body: bytes,
    auth: str,
) -> None:
    named = {
        "ks": as_ks(partner),
        "viewer": as_ks(partner, "setrole:2"),
        "basic": basic("101", partner.admin_secrets[0]),
        "none": {},
    }
    headers = dict(named.get(auth) or {"Authorization": auth.replace("\n", " ").replace("\r", " ")})
    answer = client.request(method, path, params=query, content=body, headers=headers | JSON)
    assert answer.status_code < 500, (answer.status_code, answer.text)
