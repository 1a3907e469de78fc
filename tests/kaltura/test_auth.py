"""KS checks in Kaltura's order, roles and permissions, partner isolation."""

from __future__ import annotations

import time
from typing import Any

import msgspec
import pytest

from vantage.access import ks
from vantage.access.directory import Directory
from vantage.access.ks_checks import raw_privilege
from vantage.access.ks_uses import UsageCounter
from vantage.entities import repository
from vantage.entities.model import KINDS, Partner
from vantage.ingest.store import Store
from vantage.kaltura import auth
from vantage.kaltura.actions import Action, KsPolicy, Param
from vantage.kaltura.auth import RequestInfo
from vantage.kaltura.errors import APIException
from vantage.kaltura.schema import STRING

NOW = int(time.time())
HERE = RequestInfo("10.1.2.3", "/api_v3/service/report/action/getTable?format=1")


def handler(ctx: Any, **kwargs: Any) -> None:
    return None


REPORT = Action("report", "getTable", (), handler, permission="ANALYTICS_BASE")
ANY_SESSION = Action("session", "get", (Param("session", STRING, None),), handler)
NO_KS = Action("session", "start", (), handler, ks=KsPolicy.IGNORED)


@pytest.fixture
def directory(store: Store, partner: Partner) -> Directory:
    blocked = msgspec.structs.replace(partner, id=partner.id + 1, status="blocked")
    store.writer.submit(lambda tx: repository.upsert(tx, KINDS["partners"], [blocked])).result()
    return Directory(store.engine)


def token(partner: Partner, privileges: str = "", type_: int = ks.ADMIN, **kw: Any) -> str:
    secret = partner.admin_secrets[0]
    return ks.generate(
        secret, partner.id, version=2, type=type_, privileges=privileges, now=NOW, **kw
    )


def caller(directory: Directory, action: Action = REPORT, **tree: Any) -> auth.Caller:
    return auth.identify(action, tree, HERE, directory, UsageCounter(), NOW)


def refusal(directory: Directory, action: Action = REPORT, **tree: Any) -> APIException:
    with pytest.raises(APIException) as info:
        auth.authorize(action, caller(directory, action, **tree))
    return info.value


def ksid(directory: Directory, text: str) -> str:
    error = refusal(directory, ks=text)
    assert (error.code, error.arguments["ERR_CODE"], error.arguments["ERR_DESC"]) == (
        "INVALID_KS",
        "-1",
        "INVALID_STR",
    )
    return error.arguments["KSID"]


def test_unreadable_unknown_and_wrongly_signed_ks_name_themselves(
    directory: Directory, partner: Partner
) -> None:
    assert ksid(directory, "garbage") == "garbage"
    stranger = ks.generate(partner.admin_secrets[0], 999, version=2)
    assert ksid(directory, stranger) == stranger
    forged = ks.generate("f" * 32, partner.id, version=1)
    assert ksid(directory, forged) == forged


def test_parsable_ks_refusals_name_the_reason_in_kaltura_order(
    directory: Directory, partner: Partner
) -> None:
    expired = token(partner, "iprestrict:192.168.0.1", expiry=-10)
    assert ksid(directory, expired) == "EXPIRED"
    assert ksid(directory, token(partner, "iprestrict:192.168.0.1")) == "EXCEEDED_RESTRICTED_IP"
    assert ksid(directory, token(partner, "urirestrict:/other*")) == "EXCEEDED_RESTRICTED_URI"
    blocked = msgspec.structs.replace(partner, id=partner.id + 1)
    assert ksid(directory, token(blocked, "iprestrict:10.0.0.0/8")) == "INVALID_PARTNER"


@pytest.mark.parametrize(
    "privileges",
    [
        "iprestrict:10.0.0.0/8",
        "iprestrict:10.1.2.3",
        "urirestrict:/api_v3/service/report/*",
        "urirestrict:/nope|" + HERE.uri,
    ],
)
def test_restrictions_that_match_let_the_call_through(
    directory: Directory, partner: Partner, privileges: str
) -> None:
    auth.authorize(REPORT, caller(directory, ks=token(partner, privileges)))


def test_actions_limit_counts_uses_of_one_ks(directory: Directory, partner: Partner) -> None:
    counter, limited = UsageCounter(), token(partner, "actionslimit:2")
    for _ in range(2):
        auth.identify(REPORT, {"ks": limited}, HERE, directory, counter, NOW)
    with pytest.raises(APIException) as info:
        auth.identify(REPORT, {"ks": limited}, HERE, directory, counter, NOW)
    assert info.value.arguments["KSID"] == "EXCEEDED_ACTIONS_LIMIT"
    with pytest.raises(APIException) as info:
        auth.identify(
            REPORT, {"ks": token(partner, "actionslimit:x")}, HERE, directory, counter, NOW
        )
    assert info.value.code == "INVALID_ACTIONS_LIMIT"


def test_counter_forgets_expired_sessions() -> None:
    counter = UsageCounter()
    counter.PRUNE_ABOVE = 2
    for i in range(3):
        counter.use(f"old{i}", NOW - 1, NOW)
    assert counter.use("new", NOW + 60, NOW) == 1 and counter.use("old0", NOW - 1, NOW) == 1


@pytest.mark.parametrize(
    ("type_", "privileges", "expected"),
    [
        (ks.ADMIN, "", {"*", "ANALYTICS_BASE"}),
        (ks.USER, "", set()),
        (ks.USER, "setrole:2", {"ANALYTICS_BASE"}),
        (ks.USER, "setrole:analytics VIEWER", {"ANALYTICS_BASE"}),
        (ks.ADMIN, "setrole:99", set()),
    ],
)
def test_permissions_come_from_the_role(
    directory: Directory, partner: Partner, type_: int, privileges: str, expected: set[str]
) -> None:
    found = caller(directory, ks=token(partner, privileges, type_))
    assert auth.permissions(found) == expected


def test_missing_ks_forbidden_and_foreign_partners(directory: Directory, partner: Partner) -> None:
    assert refusal(directory).code == "MISSING_KS"
    forbidden = refusal(directory, partnerId=str(partner.id))
    assert forbidden.arguments == {"SERVICE": "report->getTable"}
    assert forbidden.headers["X-Kaltura"] == "error-SERVICE_FORBIDDEN"
    user = token(partner, type_=ks.USER)
    assert refusal(directory, ks=user).code == "SERVICE_FORBIDDEN"
    other = str(partner.id + 1)
    assert refusal(directory, ANY_SESSION, ks=token(partner), partnerId=other).code == (
        "SERVICE_FORBIDDEN"
    )
    auth.authorize(ANY_SESSION, caller(directory, ANY_SESSION, ks=user, p=str(partner.id)))
    auth.authorize(NO_KS, caller(directory, NO_KS, ks="ignored garbage"))


def test_reference_time_and_raw_privileges(partner: Partner) -> None:
    session = ks.verify(
        token(partner, "reftime:1700000000,urirestrict:/a/b*|/c"), partner.admin_secrets
    )
    assert auth.reference_time(session, NOW) == 1_700_000_000
    assert auth.reference_time(None, NOW) == NOW
    assert raw_privilege(session.privileges, "urirestrict") == "/a/b*|/c"
    assert raw_privilege("edit,setrole", "setrole") == ""
    assert raw_privilege("edit", "setrole") is None
