"""Attacks on sessions through the endpoints: fields smuggled into a KS v1, roles picked with the
user secret, ``urirestrict`` dodged by repeated keys, oversized multirequests, guessed secrets."""

from __future__ import annotations

import dataclasses
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from tests.kaltura.test_routes import FILTER, Api, admin_ks, demo_registry
from vantage.access import ks
from vantage.access.directory import Directory
from vantage.access.roles import session_permissions
from vantage.config import Settings
from vantage.entities import repository
from vantage.entities.model import KINDS, Partner
from vantage.ingest.store import Store
from vantage.kaltura import routes

LIMITS = {"max_multirequest_calls": 5, "max_failed_secrets": 3}
FIXTURES = [HealthCheck.function_scoped_fixture]


@pytest.fixture
def v1(store: Store, partner: Partner) -> Partner:
    """A partner whose sessions are KS v1."""
    older = msgspec.structs.replace(partner, id=partner.id + 50, ks_version=1)
    store.writer.submit(lambda tx: repository.upsert(tx, KINDS["partners"], [older])).result()
    return older


@pytest.fixture
def directory(store: Store, v1: Partner) -> Directory:
    return Directory(store.engine)


@pytest.fixture
def api(settings: Settings, store: Store, directory: Directory) -> Api:
    limited = dataclasses.replace(settings, **LIMITS)
    return Api(Starlette(routes=routes.routes(limited, store, directory, demo_registry())))


def start(api: Api, p: Partner, secret: str | None = None, ip: str = "127.0.0.1", **kw: Any) -> Any:
    data = {"format": "1", "partnerId": str(p.id), "secret": secret or p.user_secret, **kw}
    return api("POST", "/api_v3/service/session/action/start", ip=ip, data=data).json()


def session_of(api: Api, token: str) -> Any:
    return api.json(service="session", action="get", ks=token)


@pytest.mark.parametrize("user_id", ["x;", "x;setrole:1", ";;;"])
def test_a_v1_user_id_with_a_semicolon_is_refused(api: Api, v1: Partner, user_id: str) -> None:
    answer = start(api, v1, userId=user_id, privileges="actionslimit:5")
    assert answer["code"] == "INVALID_PARAMETER_VALUE" and answer["args"] == {
        "PARAM_NAME": "userId"
    }
    privileges = start(api, v1, v1.admin_secrets[0], privileges="a:1;setrole:1")
    assert privileges["args"] == {"PARAM_NAME": "privileges"}


def test_a_v2_user_id_with_a_semicolon_is_kept_whole(api: Api, partner: Partner) -> None:
    token = start(api, partner, userId="x;setrole:1", privileges="actionslimit:5")
    info = session_of(api, token)
    assert (info["userId"], info["privileges"]) == ("x;setrole:1", "actionslimit:5")


@pytest.mark.parametrize(
    "role", ["setrole:1", "setrole:01", "setrole: 1", "SETROLE:partner ADMINISTRATOR", "setrole:2"]
)
def test_the_user_secret_cannot_pick_a_role(api: Api, partner: Partner, role: str) -> None:
    assert start(api, partner, privileges=role)["code"] == "INVALID_SET_ROLE"
    by_admin = start(api, partner, partner.admin_secrets[0], privileges=role)
    assert session_of(api, by_admin)["privileges"] == role  # an admin secret may


PRIVILEGE_PARTS = st.sampled_from(
    [
        "setrole",
        "SetRole",
        " setrole ",
        ":",
        "1",
        "01",
        " ",
        ",",
        "*",
        "all",
        "Partner administrator",
        "actionslimit:9",
        "&",
        "=",
        "%",
        ".",
        "[",
        "]",
        "+",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURES)
@given(parts=st.lists(PRIVILEGE_PARTS, max_size=8), version=st.sampled_from([1, 2]))
def test_no_user_secret_session_has_a_permission(
    api: Api, directory: Directory, partner: Partner, v1: Partner, parts: list[str], version: int
) -> None:
    p = v1 if version == 1 else partner
    token = start(api, p, privileges="".join(parts))
    if not isinstance(token, str):
        assert token["code"] in ("INVALID_SET_ROLE", "INVALID_PARAMETER_VALUE"), token
        return
    access = directory.partner(p.id)
    assert access is not None
    assert session_permissions(ks.verify(token, p.admin_secrets), access) == frozenset()
    refused = api.json(service="demo", action="describe", ks=token, **FILTER)
    assert refused["code"] in ("SERVICE_FORBIDDEN", "INVALID_ACTIONS_LIMIT"), refused


RESTRICTED = "urirestrict:/api_v3/index.php?service=session&action=get*"
KEYS = st.lists(
    st.sampled_from(
        ["service=session", "action=get", "service=demo", "action=ownScope", "service=Demo"]
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=100, deadline=None, suppress_health_check=FIXTURES)
@given(keys=KEYS)
def test_urirestrict_checks_the_call_that_runs(api: Api, partner: Partner, keys: list[str]) -> None:
    token = admin_ks(partner, RESTRICTED)
    query = "&".join(["service=session", "action=get", *keys, f"ks={token}", "format=1"])
    answer = api("GET", f"/api_v3/index.php?{query}").json()
    if isinstance(answer, str):  # demo.ownScope ran: it must not
        pytest.fail(f"{query} ran demo.ownScope under {RESTRICTED}")
    if answer.get("code") == "INVALID_KS":
        assert answer["args"]["KSID"] == "EXCEEDED_RESTRICTED_URI"
    elif answer["objectType"] == "KalturaAPIException":  # session.ownScope, demo.get
        assert answer["code"] == "ACTION_DOES_NOT_EXISTS"
    else:
        assert answer["objectType"] == "KalturaSessionInfo"


def test_urirestrict_the_repeated_key_of_the_issue(api: Api, partner: Partner) -> None:
    token = admin_ks(partner, RESTRICTED)
    sneaky = f"service=session&action=get&service=demo&action=ownScope&ks={token}&format=1"
    answer = api("GET", f"/api_v3/index.php?{sneaky}").json()
    assert answer["args"]["KSID"] == "EXCEEDED_RESTRICTED_URI"
    honest = api("GET", f"/api_v3/index.php?service=session&action=get&ks={token}&format=1")
    assert honest.json()["objectType"] == "KalturaSessionInfo"
    path_form = admin_ks(partner, "urirestrict:/api_v3/service/session*")
    query_form = api("GET", f"/api_v3/index.php?service=session&action=get&ks={path_form}")
    assert b"KalturaSessionInfo" in query_form.content  # the call's own URI matches


def test_urirestrict_checks_each_call_of_a_multirequest(api: Api, partner: Partner) -> None:
    calls = {
        "1:service": "session",
        "1:action": "get",
        "2:service": "demo",
        "2:action": "ownScope",
    }
    token = admin_ks(partner, "urirestrict:/api_v3/service/session*")
    first, second = api.json("/api_v3/service/multirequest", ks=token, **calls)
    assert first["objectType"] == "KalturaSessionInfo"
    assert second["args"]["KSID"] == "EXCEEDED_RESTRICTED_URI"
    whole = admin_ks(partner, "urirestrict:/api_v3/service/multirequest*")
    assert api.json("/api_v3/service/multirequest", ks=whole, **calls)[1] == str(partner.id)


def multirequest(count: int, **common: str) -> dict[str, str]:
    calls = {f"{i}:service": "session" for i in range(1, count + 1)}
    return {**calls, **{f"{i}:action": "get" for i in range(1, count + 1)}, **common}


def test_a_multirequest_over_the_cap_runs_nothing(api: Api, partner: Partner) -> None:
    limited = admin_ks(partner, "actionslimit:20")
    answer = api.json("/api_v3/service/multirequest", **multirequest(6, ks=limited))
    assert answer["code"] == "MULTIREQUEST_TOO_LARGE" and answer["args"] == {"MAX": "5"}
    assert len(api.json("/api_v3/service/multirequest", **multirequest(5, ks=limited))) == 5


def test_each_call_of_a_multirequest_counts_against_actionslimit(
    api: Api, partner: Partner
) -> None:
    twice = admin_ks(partner, "actionslimit:2")
    answers = api.json("/api_v3/service/multirequest", **multirequest(3, ks=twice))
    assert [a["objectType"] for a in answers[:2]] == ["KalturaSessionInfo"] * 2
    assert answers[2]["args"]["KSID"] == "EXCEEDED_ACTIONS_LIMIT"


def test_guessing_secrets_is_stopped_per_partner_and_address(api: Api, partner: Partner) -> None:
    guesses = {f"{i}:secret": f"guess{i}" for i in range(1, 5)}
    calls = {**{f"{i}:service": "session" for i in range(1, 5)}, **guesses}
    calls |= {f"{i}:action": "start" for i in range(1, 5)}
    answers = api.json("/api_v3/service/multirequest", partnerId=str(partner.id), **calls)
    assert [a["code"] for a in answers] == ["START_SESSION_ERROR"] * 4
    assert start(api, partner)["code"] == "START_SESSION_ERROR"  # the right secret, unchecked
    assert isinstance(start(api, partner, ip="10.0.0.9"), str)  # another address


@pytest.mark.parametrize("where", ["partnerId", "p"])
def test_a_partner_id_of_400_digits_is_an_ordinary_refusal(api: Api, where: str) -> None:
    huge = "9" * 400
    answer = api.json(service="session", action="start", secret="s", **{where: huge})
    assert answer["code"] in ("START_SESSION_ERROR", "INVALID_PARAMETER_VALUE")
    assert api.json(service="demo", action="ownScope", **{where: huge})["code"] == "MISSING_KS"
    forged = ks.generate("s" * 32, 10**399, version=2)
    assert api.json(service="session", action="get", ks=forged)["code"] == "INVALID_KS"
