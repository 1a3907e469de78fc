"""The endpoints in-process, with demo actions that exercise what session.* cannot: object
parameters, permissions, file answers and their errors, crashes, multi-account scope."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from vantage.access import ks
from vantage.access.directory import Directory
from vantage.config import Settings
from vantage.entities import partners
from vantage.entities.model import Partner
from vantage.ingest.store import Store
from vantage.kaltura import errors, routes
from vantage.kaltura.actions import Action, Param, Registry
from vantage.kaltura.classes import FILTER_PAGER, KEY_VALUE_ARRAY, REPORT_INPUT_FILTER
from vantage.kaltura.context import CallContext
from vantage.kaltura.files import FileResult
from vantage.kaltura.schema import INT, STRING, ApiObject
from vantage.kaltura.services import session


def describe(
    ctx: CallContext, reportInputFilter: ApiObject, pager: ApiObject | None, params: list[ApiObject]
) -> str:
    f = reportInputFilter
    return "|".join(
        [
            f.cls.name,
            str(f.get("fromDate")),
            str(f.get("toDay")),
            str(f.get("interval")),
            str(f.get("searchInTags")),
            str(pager.get("pageSize") if pager else None),
            ",".join(f"{p.get('key')}={p.get('value')}" for p in params),
        ]
    )


def csv(ctx: CallContext, id: int, params: str | None) -> FileResult:
    def rows() -> Iterator[bytes]:
        if id != 6000:
            raise errors.REPORT_NOT_FOUND(id)
        yield b"\xef\xbb\xbfentry_id,plays\n"
        yield f"{params},{ctx.partner_id}\n".encode()

    disposition = f'attachment; filename="Report_{id}_{ctx.partner_id}.csv"'
    return FileResult("text/csv", rows(), {"Content-Disposition": disposition})


async def scope(ctx: CallContext) -> str:
    return ",".join(str(p) for p in sorted(ctx.partner_ids))


def boom(ctx: CallContext) -> None:
    raise RuntimeError("a bug")


def odd(ctx: CallContext) -> object:
    return object()


def demo_registry() -> Registry:
    registry = Registry()
    session.register(registry)
    filter_params = (
        Param("reportInputFilter", REPORT_INPUT_FILTER),
        Param("pager", FILTER_PAGER, None),
        Param("params", KEY_VALUE_ARRAY),
    )
    for action in [
        Action("demo", "describe", filter_params, describe, permission="ANALYTICS_BASE"),
        Action(
            "demo",
            "csv",
            (Param("id", INT), Param("params", STRING, None)),
            csv,
            permission="ANALYTICS_BASE",
            returns_file=True,
        ),
        Action("demo", "scope", (), scope, multi_account=True),
        Action("demo", "ownScope", (), scope),
        Action("demo", "boom", (), boom),
        Action("demo", "boomFile", (), boom, returns_file=True),
        Action("demo", "odd", (), odd),
    ]:
        registry.add(action)
    return registry


class Api:
    def __init__(self, app: Starlette) -> None:
        self.app = app

    def __call__(self, method: str, url: str, ip: str = "127.0.0.1", **kw: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=(ip, 5000))
            async with httpx.AsyncClient(transport=transport, base_url="http://vantage") as c:
                return await c.request(method, url, **kw)

        return asyncio.run(send())

    def json(self, url: str = "/api_v3/index.php", **data: Any) -> Any:
        return self("POST", url, data={"format": "1", **data}).json()


@pytest.fixture
def child(store: Store, partner: Partner) -> Partner:
    return store.writer.submit(
        lambda tx: partners.create(tx, "Child", parent_partner_id=partner.id)
    ).result()


@pytest.fixture
def api(settings: Settings, store: Store, partner: Partner, child: Partner) -> Api:
    directory = Directory(store.engine)
    return Api(Starlette(routes=routes.routes(settings, store, directory, demo_registry())))


def admin_ks(partner: Partner, privileges: str = "", type_: int = ks.ADMIN) -> str:
    return ks.generate(
        partner.admin_secrets[0], partner.id, version=2, type=type_, privileges=privileges
    )


FILTER = {
    "reportInputFilter[objectType]": "KalturaEndUserReportInputFilter",
    "reportInputFilter[fromDate]": "-86400",
    "reportInputFilter[interval]": "days",
    "pager[pageSize]": "25",
}


def test_curl_style_brackets_and_python_client_style_json_read_alike(
    api: Api, partner: Partner
) -> None:
    key = admin_ks(partner, "reftime:1700000000")
    form = api.json(
        service="demo",
        action="describe",
        ks=key,
        **FILTER,
        **{"params[0][key]": "a", "params[0][value]": "1", "reportInputFilter[toDay__null]": ""},
    )
    body = {
        "format": "1",
        "reportInputFilter": {
            "fromDate": "-86400",
            "interval": "days",
            "objectType": "KalturaEndUserReportInputFilter",
            "searchInTags": "False",
            "toDay__null": "",
        },
        "pager": {"objectType": "KalturaFilterPager", "pageSize": "25"},
        "params": [{"objectType": "KalturaKeyValue", "key": "a", "value": "1"}],
        "ks": key,
        "kalsig": "ignored",
    }
    from_json = api("POST", "/api_v3/service/demo/action/describe", json=body).json()
    expected = "KalturaEndUserReportInputFilter|1699913600|None|days|{}|25|a=1"
    assert form == expected.format("None") and from_json == expected.format("False")
    body.pop("pager")
    empty = {**body, "params": {"-": ""}, "pager__null": ""}
    answer = api("POST", "/api_v3/service/demo/action/describe", json=empty).json()
    assert answer.endswith("|None|")


@pytest.mark.parametrize(
    ("extra", "code", "arguments"),
    [
        ({"reportInputFilter[objectType]": "KalturaFilterPager"}, "INVALID_OBJECT_TYPE", None),
        ({"reportInputFilter": "x"}, "PROPERTY_VALIDATION_WRONG_FORMAT", None),
        ({"pager[pageSize]": "lots"}, "INVALID_PARAMETER_VALUE", {"PARAM_NAME": "pager:pageSize"}),
        ({"reportInputFilter[interval]": "week"}, "INVALID_ENUM_VALUE", None),
        ({"params[0]": "x"}, "PROPERTY_VALIDATION_WRONG_FORMAT", None),
    ],
)
def test_parameter_errors(
    api: Api, partner: Partner, extra: dict[str, str], code: str, arguments: Any
) -> None:
    answer = api.json(
        service="demo", action="describe", ks=admin_ks(partner), **{**FILTER, **extra}
    )
    assert answer["code"] == code and answer["objectType"] == "KalturaAPIException"
    if arguments:
        assert answer["args"] == arguments
    missing = api.json(service="demo", action="describe", ks=admin_ks(partner))
    assert missing["message"] == 'Missing parameter "reportInputFilter"'


def test_permissions(api: Api, partner: Partner) -> None:
    user = admin_ks(partner, type_=ks.USER)
    answer = api("POST", "/api_v3/service/demo/action/describe", data={"ks": user, **FILTER})
    assert answer.status_code == 200
    assert "<code>SERVICE_FORBIDDEN</code>" in answer.text
    assert "[demo-&gt;describe]" in answer.text
    assert answer.headers["X-Kaltura"] == "error-SERVICE_FORBIDDEN"
    viewer = admin_ks(partner, "setrole:Analytics viewer", ks.USER)
    assert api.json(service="demo", action="describe", ks=viewer, **FILTER).startswith("Kaltura")
    assert api.json(service="demo", action="describe", partnerId=partner.id, **FILTER)["code"] == (
        "SERVICE_FORBIDDEN"
    )
    assert api.json(service="demo", action="describe", **FILTER)["code"] == "MISSING_KS"


def test_multi_account_scope(api: Api, partner: Partner, child: Partner) -> None:
    key = admin_ks(partner)
    assert api.json(service="demo", action="scope", ks=key) == f"{partner.id},{child.id}"
    assert api.json(service="demo", action="ownScope", ks=key) == str(partner.id)
    assert api.json(service="demo", action="scope", ks=admin_ks(child)) == str(child.id)


def test_file_from_the_seed_url_form(api: Api, partner: Partner) -> None:
    url = (
        f"/api_v3/service/demo/action/csv/id/6000/ks/{admin_ks(partner)}"
        "/params/from_date=1722470400;to_date=1725148800"
    )
    answer = api("GET", url)
    assert answer.headers["content-type"] == "text/csv"
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="Report_6000_{partner.id}.csv"'
    )
    assert answer.content == (
        b"\xef\xbb\xbfentry_id,plays\nfrom_date=1722470400;to_date=1725148800,"
        + str(partner.id).encode()
        + b"\n"
    )


def test_file_errors_inside_the_action_have_no_body(api: Api, partner: Partner) -> None:
    answer = api("GET", f"/api_v3/service/demo/action/csv?id=6003&ks={admin_ks(partner)}")
    assert (answer.status_code, answer.content) == (200, b"")
    assert answer.headers["X-Kaltura"] == "error- REPORT_NOT_FOUND"
    assert answer.headers["X-Kaltura-App"] == (
        'exiting on error REPORT_NOT_FOUND - Report id "6003" not found'
    )


@pytest.mark.parametrize(
    ("query", "code"),
    [("id=6000&ks=bad", "INVALID_KS"), ("ks={ks}", "MISSING_MANDATORY_PARAMETER")]
    + [("id=6000&ks={user}", "SERVICE_FORBIDDEN"), ("id=6000", "MISSING_KS")],
)
def test_file_errors_before_the_action_are_ordinary(
    api: Api, partner: Partner, query: str, code: str
) -> None:
    query = query.format(ks=admin_ks(partner), user=admin_ks(partner, type_=ks.USER))
    answer = api("GET", f"/api_v3/service/demo/action/csv?{query}")
    assert f"<code>{code}</code>" in answer.text  # a serialised error, not an empty body


def test_crashes_are_internal_errors_and_logged(
    api: Api, partner: Partner, caplog: pytest.LogCaptureFixture
) -> None:
    key = admin_ks(partner)
    with caplog.at_level(logging.ERROR, logger="vantage.kaltura.dispatch"):
        for action in ("boom", "boomFile"):
            answer = api.json(service="demo", action=action, ks=key)
            assert answer["code"] == "INTERNAL_SERVERL_ERROR"
            assert answer["message"] == "Internal server error occurred"
    assert "a bug" in caplog.text and "Traceback" in caplog.text


def test_multirequest_returns_only_a_file(api: Api, partner: Partner) -> None:
    data = {
        "ks": admin_ks(partner),
        "1:service": "demo",
        "1:action": "ownScope",
        "2:service": "demo",
        "2:action": "csv",
        "2:id": "6000",
        "2:params": "{1:result}",
    }
    answer = api("POST", "/api_v3/service/multirequest", data=data)
    assert answer.content.endswith(f"{partner.id},{partner.id}\n".encode())
    failing = api("POST", "/api_v3/service/multirequest", data={**data, "2:id": "1"})
    assert failing.content == b"" and failing.headers["X-Kaltura"] == "error- REPORT_NOT_FOUND"


def test_restricted_sessions_by_client_ip(api: Api, partner: Partner) -> None:
    key = admin_ks(partner, "iprestrict:10.0.0.0/8")
    allowed = api("GET", f"/api_v3/service/demo/action/ownScope?format=1&ks={key}", ip="10.9.8.7")
    assert allowed.json() == str(partner.id)
    refused = api("GET", f"/api_v3/service/demo/action/ownScope?format=1&ks={key}", ip="11.0.0.1")
    assert refused.json()["args"]["KSID"] == "EXCEEDED_RESTRICTED_IP"


def test_content_type_override_and_ignore_null(api: Api, partner: Partner) -> None:
    url = f"/api_v3/service/session/action/get?ks={admin_ks(partner)}"
    xml = api("GET", url + "&content-type=text/plain")
    assert xml.headers["content-type"] == "text/plain"
    assert "<relatedObjects></relatedObjects>" in xml.text
    lean = api("GET", url + "&ignoreNull=1")
    assert "<relatedObjects>" not in lean.text and "<ks>" in lean.text
    injected = api("GET", url + "&content-type=text/plain%0D%0AX-Evil:%201")
    assert injected.headers["content-type"] == "text/plain  X-Evil: 1"
    assert "X-Evil" not in injected.headers


def test_answers_no_format_can_carry_are_internal_errors(api: Api, partner: Partner) -> None:
    answer = api.json(service="demo", action="odd", ks=admin_ks(partner))
    assert answer["code"] == "INTERNAL_SERVERL_ERROR"
