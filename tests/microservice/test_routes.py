"""The Reports Microservice's answers: the seed guide's flow, statuses, errors and access."""

from __future__ import annotations

import csv
import io
import re
import time

import pytest
from starlette.testclient import TestClient

from tests.microservice.conftest import CANCEL, GENERATE, SERVE, Api
from vantage.jobs import runner as runner_module

REGISTRATION = {"reportName": "registration", "reportParameters": {"appGuid": "app-1"}}


def _generate(api: Api, body: dict[str, object] = REGISTRATION, token: str | None = None) -> str:
    answer = api.post(GENERATE, body, token)
    assert answer.status_code == 200, answer.text
    assert set(answer.json()) == {"sessionId"}
    return str(answer.json()["sessionId"])


def _error(answer: object) -> tuple[int, str]:
    return answer.status_code, answer.json()["error"]["code"]  # type: ignore[attr-defined]


def test_generate_poll_and_download(api: Api) -> None:
    session = _generate(api)
    status = api.post(SERVE, {"sessionId": session, "statusOnly": True}).json()
    assert status["status"] == "pending" and status["reportName"] == "registration"
    assert status["rowsWritten"] == 0 and status["createdAt"].endswith("Z")
    assert _error(api.post(SERVE, {"sessionId": session})) == (409, "REPORT_NOT_READY")
    assert api.post(SERVE, {"sessionId": session}).json()["error"]["reportStatus"] == "pending"

    api.drain()
    status = api.post(SERVE, {"sessionId": session, "statusOnly": True}).json()
    assert status["status"] == "completed" and "completedAt" in status and "error" not in status
    answer = api.post(SERVE, {"sessionId": session})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert f'filename="registration-{session}.csv"' in answer.headers["content-disposition"]
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.content[3:].decode())))
    assert status["rowsWritten"] == len(rows) - 1


def test_the_ks_may_come_in_the_body(api: Api) -> None:
    answer = api.client.post(GENERATE, json={**REGISTRATION, "ks": api.ks()})
    assert answer.status_code == 200


def test_another_partners_session_is_unknown(api: Api) -> None:
    session = _generate(api)
    theirs = api.ks(partner=api.other)
    for path in (SERVE, CANCEL):
        foreign = api.post(path, {"sessionId": session, "statusOnly": True}, theirs)
        unknown = api.post(path, {"sessionId": "made-up", "statusOnly": True})
        assert _error(foreign) == _error(unknown) == (404, "SESSION_NOT_FOUND")
        assert foreign.json() == unknown.json()


def test_cancel_fails_the_job(api: Api) -> None:
    session = _generate(api)
    cancelled = api.post(CANCEL, {"sessionId": session}).json()
    assert (cancelled["status"], cancelled["error"]) == ("failed", "cancelled")
    api.drain()
    assert _error(api.post(SERVE, {"sessionId": session})) == (409, "REPORT_FAILED")


def test_an_expired_result_is_gone(api: Api) -> None:
    session = _generate(api)
    api.drain()
    api.runner.sweep(time.time() + 8 * 86_400)
    status = api.post(SERVE, {"sessionId": session, "statusOnly": True}).json()
    assert status["status"] == "completed" and status["expired"] is True
    assert _error(api.post(SERVE, {"sessionId": session})) == (410, "REPORT_EXPIRED")


@pytest.mark.parametrize(
    ("body", "status", "code", "parameter"),
    [
        ({"reportName": "noSuchReport"}, 400, "UNKNOWN_REPORT", None),
        ({"reportParameters": {}}, 400, "MISSING_PARAMETER", "reportName"),
        ({"reportName": 5}, 400, "INVALID_PARAMETER", "reportName"),
        ({**REGISTRATION, "descriptiveHeaders": "yes"}, 400, "INVALID_PARAMETER", None),
        ({"reportName": "registration"}, 400, "MISSING_PARAMETER", "appGuid"),
        (
            {"reportName": "registration", "reportParameters": []},
            400,
            "INVALID_PARAMETER",
            "reportParameters",
        ),
        (
            {
                "reportName": "registration",
                "reportParameters": {"appGuid": "a", "from_date_id": "15/09/2025"},
            },
            400,
            "INVALID_PARAMETER",
            "from_date_id",
        ),
        ({"reportName": "pollsActivity"}, 403, "PERMISSION_DENIED", None),
    ],
)
def test_bad_generate_requests_are_refused_before_any_job(
    api: Api, body: dict[str, object], status: int, code: str, parameter: str | None
) -> None:
    answer = api.post(GENERATE, body)
    assert _error(answer) == (status, code)
    if parameter:
        assert answer.json()["error"]["parameter"] == parameter
    assert api.runner.queue.claim(time.time()) is None


def test_too_many_waiting_jobs_are_refused(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner_module, "MAX_ACTIVE_PER_PARTNER", 1)
    _generate(api)
    assert _error(api.post(GENERATE, REGISTRATION)) == (429, "TOO_MANY_JOBS")


def test_virtual_event_reports_need_the_privilege(api: Api) -> None:
    polls = {"reportName": "pollsActivity", "reportParameters": {"virtual_event_ids": ["7"]}}
    assert api.post(GENERATE, polls, api.ks("virtualeventid:7")).status_code == 200
    outside = api.post(GENERATE, polls, api.ks("virtualeventid:8"))
    assert _error(outside) == (403, "PERMISSION_DENIED")
    assert outside.json()["error"]["parameter"] == "virtual_event_ids"


def test_bodies_that_are_not_json_objects(api: Api) -> None:
    auth = {"Authorization": f"Bearer {api.ks()}"}
    json_type = {**auth, "Content-Type": "application/json"}
    bad = api.client.post(GENERATE, content=b"{", headers=json_type)
    assert _error(bad) == (400, "INVALID_JSON")
    assert _error(api.client.post(GENERATE, content=b"[1]", headers=json_type)) == (
        400,
        "INVALID_JSON",
    )
    form = api.client.post(GENERATE, data={"reportName": "registration"}, headers=auth)
    assert _error(form) == (415, "UNSUPPORTED_MEDIA_TYPE")
    lenient = {**auth, "Content-Type": "application/json; charset=utf-8"}
    assert api.client.post(GENERATE, json=REGISTRATION, headers=lenient).status_code == 200
    huge = b'{"reportName": "' + b"x" * (17 * 1024 * 1024) + b'"}'
    assert _error(api.client.post(GENERATE, content=huge, headers=json_type)) == (
        413,
        "BODY_TOO_LARGE",
    )


def test_authentication_and_permission(api: Api) -> None:
    assert _error(api.client.post(GENERATE, json=REGISTRATION)) == (401, "MISSING_KS")
    assert _error(api.post(GENERATE, REGISTRATION, "not-a-ks")) == (401, "INVALID_KS")
    expired = api.ks(expiry=-10)
    assert _error(api.post(GENERATE, REGISTRATION, expired)) == (401, "INVALID_KS")
    no_role = api.ks("setrole:99")
    assert _error(api.post(GENERATE, REGISTRATION, no_role)) == (403, "PERMISSION_DENIED")
    viewer = api.ks("setrole:2")
    assert api.post(GENERATE, REGISTRATION, viewer).status_code == 200


def test_the_openapi_description_names_every_route(api: Api) -> None:
    spec = api.client.get("/api/v1/report/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert set(spec["paths"]) == {
        "/api/v1/report/generate",
        "/api/v1/report/serve",
        "/api/v1/report/cancel",
        "/api/v1/report/openapi.json",
    }
    refs = re.findall(r"'\$ref': '#/components/schemas/(\w+)'", str(spec))
    assert refs and set(refs) <= set(spec["components"]["schemas"])  # every reference resolves
    for path, methods in spec["paths"].items():
        for operation in methods.values():
            assert operation["responses"], path
    text = str(spec)
    for code in (
        "UNKNOWN_REPORT",
        "MISSING_PARAMETER",
        "INVALID_PARAMETER",
        "MISSING_KS",
        "INVALID_KS",
        "PERMISSION_DENIED",
        "SESSION_NOT_FOUND",
        "REPORT_NOT_READY",
        "REPORT_FAILED",
        "REPORT_EXPIRED",
        "BODY_TOO_LARGE",
        "UNSUPPORTED_MEDIA_TYPE",
        "INVALID_JSON",
        "TOO_MANY_JOBS",
    ):
        assert code in text


def test_the_servers_workers_run_jobs_while_it_serves(api: Api) -> None:
    with TestClient(api.client.app) as serving:  # the lifespan starts and stops the workers
        api.client = serving
        session = _generate(api)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status = api.post(SERVE, {"sessionId": session, "statusOnly": True}).json()
            if status["status"] == "completed":
                break
            time.sleep(0.05)
        assert status["status"] == "completed"
        assert api.post(SERVE, {"sessionId": session}).status_code == 200
