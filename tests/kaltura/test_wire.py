"""Raw HTTP against a real server: curl recipes, the path-pairs URL form, and Kaltura's errors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.kaltura.conftest import Live
from vantage.access import ks


def post(live: Live, path: str = "/api_v3/index.php", **data: Any) -> httpx.Response:
    answer = httpx.post(live.url + path, data=data, timeout=30)
    assert answer.status_code == 200  # API errors too
    return answer


def call(live: Live, service: str, action: str, **data: Any) -> Any:
    return post(live, f"/api_v3/service/{service}/action/{action}", format="1", **data).json()


def start(live: Live, privileges: str = "", **data: Any) -> str:
    account = live.main
    ks_text = call(
        live,
        "session",
        "start",
        secret=account.admin_secret,
        partnerId=account.id,
        type="2",
        privileges=privileges,
        **data,
    )
    assert isinstance(ks_text, str), ks_text
    return ks_text


def test_curl_form_posts_and_every_url_form(live: Live) -> None:
    key = start(live)
    as_json = httpx.get(f"{live.url}/api_v3/service/session/action/get/ks/{key}/format/1").json()
    assert as_json["objectType"] == "KalturaSessionInfo" and as_json["partnerId"] == live.main.id
    for url in (
        f"/api_v3/index.php/service/session/action/get/ks/{key}",
        f"/api_v3/index.php?service=session&action=get&ks={key}",
        f"/api_v3/service/session/action/get?ks={key}",
    ):
        answer = httpx.get(live.url + url)
        assert answer.headers["content-type"] == "text/xml"
        assert answer.text.startswith('<?xml version="1.0" encoding="utf-8"?><xml><result>')
        assert f"<partnerId>{live.main.id}</partnerId>" in answer.text


def test_curl_multirequest_numbered_from_one_with_a_reference(live: Live) -> None:
    answer = post(
        live,
        "/api_v3/service/multirequest",
        format="1",
        partnerId=live.main.id,
        **{
            "1:service": "session",
            "1:action": "start",
            "1:secret": live.main.user_secret,
            "1:userId": "pupil",
            "2:service": "session",
            "2:action": "get",
            "2:ks": "{1:result}",
        },
    ).json()
    assert answer[1]["ks"] == answer[0] and answer[1]["userId"] == "pupil"


def test_read_only_partners_may_start_sessions_blocked_ones_may_not(live: Live) -> None:
    only = live.read_only
    ok = call(live, "session", "start", secret=only.admin_secret, partnerId=only.id, type="2")
    assert call(live, "session", "get", ks=ok)["partnerId"] == only.id
    blocked = live.blocked
    refused = call(live, "session", "start", secret=blocked.admin_secret, partnerId=blocked.id)
    assert refused["code"] == "START_SESSION_ERROR" and refused["args"] == {"PID": str(blocked.id)}
    made = ks.generate(blocked.admin_secret, blocked.id, version=2, type=ks.ADMIN)
    assert call(live, "session", "get", ks=made)["args"]["KSID"] == "INVALID_PARTNER"


def invalid_ks(live: Live, key: str) -> str:
    answer = call(live, "session", "get", ks=key)
    assert answer["code"] == "INVALID_KS", answer
    assert (answer["args"]["ERR_CODE"], answer["args"]["ERR_DESC"]) == ("-1", "INVALID_STR")
    assert answer["message"] == f'Invalid KS "{answer["args"]["KSID"]}", Error "-1,INVALID_STR"'
    return str(answer["args"]["KSID"])


def test_invalid_sessions(live: Live) -> None:
    main = live.main
    for key in (
        "not-a-ks",
        ks.generate("x" * 32, main.id, version=2),
        ks.generate(main.admin_secret, 999_999, version=1),
    ):
        assert invalid_ks(live, key) == key
    expired = ks.generate(main.admin_secret, main.id, version=2, expiry=-5)
    assert invalid_ks(live, expired) == "EXPIRED"
    assert invalid_ks(live, start(live, "iprestrict:10.9.9.9")) == "EXCEEDED_RESTRICTED_IP"
    assert call(live, "session", "get", ks=start(live, "iprestrict:127.0.0.1"))["userId"] == ""
    report_only = start(live, "urirestrict:/api_v3/service/report/*")
    assert invalid_ks(live, report_only) == "EXCEEDED_RESTRICTED_URI"
    session_only = start(live, "urirestrict:/api_v3/service/session/*")
    assert call(live, "session", "get", ks=session_only)["objectType"] == "KalturaSessionInfo"
    once = start(live, "actionslimit:1")
    assert call(live, "session", "get", ks=once)["objectType"] == "KalturaSessionInfo"
    assert invalid_ks(live, once) == "EXCEEDED_ACTIONS_LIMIT"


@pytest.mark.parametrize(
    ("path", "data", "code", "args"),
    [
        ("session/action/get", {}, "MISSING_KS", []),
        ("Session/action/Nope", {}, "ACTION_DOES_NOT_EXISTS", {"ACTION_NAME": "nope"}),
        ("Media/action/list", {}, "SERVICE_DOES_NOT_EXISTS", {"SRV_NAME": "media"}),
        ("session/action/start", {}, "MISSING_MANDATORY_PARAMETER", {"PARAM_NAME": "secret"}),
        ("session/action/start", {"secret": "s", "type": "1"}, "INVALID_ENUM_VALUE", None),
        (
            "session/action/start",
            {"secret": "s", "expiry": "soon"},
            "INVALID_PARAMETER_VALUE",
            None,
        ),
        ("session/action/start", {"secret": "s", "partnerId": "7"}, "START_SESSION_ERROR", None),
    ],
)
def test_request_errors(live: Live, path: str, data: dict[str, str], code: str, args: Any) -> None:
    answer = post(live, f"/api_v3/service/{path}", format="1", **data).json()
    assert (answer["code"], answer["objectType"]) == (code, "KalturaAPIException")
    if args is not None:
        assert answer["args"] == args or set(args.items()) <= set(answer["args"].items())


def test_errors_that_need_a_partner(live: Live) -> None:
    main, other = live.main, live.v1
    unknown_role = call(
        live,
        "session",
        "start",
        secret=main.admin_secret,
        partnerId=main.id,
        privileges="setrole:9",
    )
    assert (unknown_role["code"], unknown_role["message"]) == ("UNKNOWN_ROLE_ID", "Unknown role id")
    foreign = call(live, "session", "get", ks=start(live), partnerId=other.id)
    assert foreign["code"] == "SERVICE_FORBIDDEN"
    assert foreign["message"] == "The access to service [session->get] is forbidden"
    assert post(live, service="", format="1").json()["code"] == "SERVICE_NOT_SPECIFIED"


def test_unknown_format_is_an_empty_answer_with_error_headers(live: Live) -> None:
    answer = post(live, "/api_v3/service/session/action/get", format="9")
    assert answer.content == b""
    assert answer.headers["X-Kaltura"] == "error- UNKNOWN_RESPONSE_FORMAT"
    assert answer.headers["X-Kaltura-App"] == (
        "exiting on error UNKNOWN_RESPONSE_FORMAT - "
        "Response format provided [9] is not recognized by server"
    )


def test_errors_in_xml_by_default(live: Live) -> None:
    answer = post(live, "/api_v3/service/session/action/get", ks="nonsense")
    assert answer.text.startswith(
        '<?xml version="1.0" encoding="utf-8"?><xml><result><error><code>INVALID_KS</code>'
    )
    assert "<objectType>KalturaApiExceptionArg</objectType><name>KSID</name>" in answer.text
