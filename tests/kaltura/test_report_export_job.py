"""report.exportToCsv end to end: the official client asks for an export, the server's job
runner writes the CSV, a real SMTP server on 127.0.0.1 receives the e-mail, and its link
downloads the file. The kind's steps — ``write`` with a sink and ``deliver`` with the SMTP
server — are also called directly.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from KalturaClient import KalturaClient, KalturaConfiguration
from KalturaClient.exceptions import KalturaException
from KalturaClient.Plugins.Core import (
    KalturaReportExportItem,
    KalturaReportExportItemType,
    KalturaReportExportParams,
    KalturaReportExportResponse,
    KalturaReportInputFilter,
)

from tests.integration.server import Server, cli
from tests.kaltura.export_runner import Api, FileSink, api_server, job_of
from tests.smtp_server import Inbox, free_port, smtp_server
from vantage.config import Settings
from vantage.ingest.store import Store
from vantage.jobs import runner as runner_module
from vantage.jobs.kinds import JobFailed
from vantage.jobs.model import Job
from vantage.jobs.runner import DATABASE, store_folder
from vantage.kaltura.services.report_export_job import EXPORT_KIND, reference_of

PARTNER = 501
SECRET = "e".ljust(32, "a")
DAY = 86_400


@dataclass(frozen=True)
class Live:
    api: Api
    inbox: Inbox
    settings: Settings
    store: Store
    admin_ks: str  # no user
    ann_ks: str  # a user with an e-mail in the users entity


def _seed(folder: Path) -> Path:
    """A partner, its user Ann (with an e-mail), a video and Ann's play of it, stored by a
    real server from what a player sends."""
    store = folder / "store.duckdb"
    partner = {
        "id": PARTNER,
        "name": "Exports",
        "adminSecrets": [SECRET],
        "userSecret": "u".ljust(32, "u"),
        "roles": [{"id": 1, "name": "Admin", "permissions": ["*", "ANALYTICS_BASE"]}],
    }
    (folder / "partners.json").write_text(json.dumps([partner]))
    cli(store, "import", str(folder / "partners.json"))
    server = Server(store).start()
    try:
        with httpx.Client(base_url=server.url, auth=(str(PARTNER), SECRET), timeout=30) as http:
            entry = {"partnerId": PARTNER, "id": "1_a", "name": "=Video A", "kind": "video"}
            ann = {
                "partnerId": PARTNER,
                "id": "ann",
                "email": "ann@school.example",
                "firstName": "Ann",
                "lastName": "Lee",
            }
            assert http.post("/api/v1/admin/entries", json=[{**entry, "duration": 100}]).is_success
            assert http.post("/api/v1/admin/users", json=[ann]).is_success
            for index, event in enumerate((1, 3), 1):
                query = {"service": "analytics", "action": "trackEvent", "eventType": event}
                beacon = {"partnerId": PARTNER, "entryId": "1_a", "sessionId": "s1"}
                answer = http.post(
                    "/api_v3/index.php",
                    params={**query, **beacon, "eventIndex": index},
                    json={"playbackType": "vod", "userId": "ann"},
                )
                assert answer.status_code == 200, answer.text
    finally:
        server.stop()
    return store


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("exports")
    path = _seed(folder)
    with smtp_server() as inbox:
        settings = Settings.load(
            engine=str(path),
            smtp_host="127.0.0.1",
            smtp_port=inbox.port,
            smtp_tls="none",
            smtp_sender="Vantage <reports@school.example>",
            reports_dir=str(folder / "reports"),
            jobs_dir=str(folder / "jobs"),
        )
        with Store.open(settings) as store, api_server(settings, store) as api:
            admin = _ks(api.url, "")
            yield Live(api, inbox, settings, store, admin, _ks(api.url, "ann"))


def _ks(url: str, user: str) -> str:
    answer = httpx.post(
        f"{url}/api_v3/service/session/action/start",
        data={"secret": SECRET, "partnerId": PARTNER, "type": 2, "userId": user, "format": 1},
    )
    return str(answer.json())


def _client(live: Live, ks: str) -> KalturaClient:
    made = KalturaClient(KalturaConfiguration(serviceUrl=live.api.url))
    made.setKs(ks)
    return made


def _filter() -> KalturaReportInputFilter:
    now = int(time.time())
    return KalturaReportInputFilter(fromDate=now - DAY, toDate=now + DAY)


def _mail_for(live: Live, reference: int) -> tuple[EmailMessage, Job]:
    """The e-mail of the export numbered ``reference`` and its job, once the server's runner
    has sent it (the Message-ID names the job)."""
    deadline = time.monotonic() + 30
    while True:
        for message in list(live.inbox.messages):
            found = re.fullmatch(r"<export-501-(\S+)@school\.example>", message["Message-ID"])
            if found is not None and reference_of(found.group(1)) == reference:
                return message, live.api.wait(found.group(1), PARTNER)
        assert time.monotonic() < deadline, f"no e-mail for export {reference}"
        time.sleep(0.05)


def _jobs(live: Live) -> int:
    """How many jobs the runner's table holds."""
    with sqlite3.connect(_jobs_table(live.settings)) as table:
        count: int = table.execute("SELECT count(*) FROM jobs").fetchone()[0]
        return count


def _link(message: EmailMessage) -> str:
    body = message.get_content()
    assert isinstance(body, str)
    found = re.search(r"http://\S+/report\.csv", body)
    assert found, body
    return found.group(0)


def test_the_official_client_exports_and_the_mail_link_downloads_the_file(live: Live) -> None:
    items = [
        KalturaReportExportItem(
            reportTitle="Top content",
            action=KalturaReportExportItemType.TABLE,
            reportType="1",
            filter=_filter(),
        ),
        KalturaReportExportItem(
            reportTitle="Totals",
            action=KalturaReportExportItemType.TOTAL,
            reportType="1",
            filter=_filter(),
        ),
    ]
    params = KalturaReportExportParams(
        recipientEmail="dean@school.example",
        recipientName="The Dean",
        reportItems=items,
        reportsItemsGroup="Weekly  numbers",
    )
    answer = _client(live, live.admin_ks).report.exportToCsv(params)
    assert isinstance(answer, KalturaReportExportResponse)
    assert answer.reportEmail == "dean@school.example" and answer.referenceJobId > 0
    message, job = _mail_for(live, answer.referenceJobId)
    assert job.delivery == "done" and job.delivery_attempts == 1
    assert message["To"] == "The Dean <dean@school.example>"
    assert message["From"] == "Vantage <reports@school.example>"
    assert message["Subject"] == "Weekly numbers is ready to download"
    got = httpx.get(_link(message))
    assert got.status_code == 200 and got.headers["content-type"] == "text/csv"
    assert got.content.startswith(b"\xef\xbb\xbf")
    lines = got.content.decode("utf-8-sig").splitlines()
    rule = '"# ------------------------------------"'
    assert lines[:2] == [rule, '"Report: Top content"']
    assert lines[2].startswith('"Filtered dates: ') and lines[2].endswith(' (UTC)"')
    assert lines[3] == rule
    assert lines[4].startswith('"object_id","entry_name","count_plays"')
    assert lines[5].startswith('"1_a","\'=Video A","1"')  # guarded against formulas
    assert lines[6:8] == ["", rule] and lines[8] == '"Report: Totals"'
    assert lines[11].startswith('"count_plays"') and lines[12].startswith('"1"')
    assert job.rows_written == 2


def test_the_link_opens_its_own_file_only_and_only_while_it_is_kept(live: Live) -> None:
    params = KalturaReportExportParams(
        recipientEmail="dean@school.example",
        reportItems=[
            KalturaReportExportItem(action=1, reportType="1", filter=_filter()),
        ],
    )
    answer = _client(live, live.admin_ks).report.exportToCsv(params)
    message, job = _mail_for(live, answer.referenceJobId)
    link = _link(message)
    assert httpx.get(link).status_code == 200
    download_ks = link.split("/ks/")[1].split("/")[0]
    info = _client(live, download_ks).session.get()
    assert info.privileges == f"download:{link.split('/id/')[1].split('/')[0]}"
    assert job.expires_at is not None
    assert abs(info.expiry - (job.expires_at + DAY)) < 5  # a day past the file: REPORT_EXPIRED
    other = re.sub(r"/id/[^/]+/", "/id/export_1.csv/", link)
    assert httpx.get(other).headers["x-kaltura"] == "error- SERVICE_FORBIDDEN"
    admin = f"{live.api.url}/api_v3/service/report/action/serve/ks/{live.admin_ks}/id/nothing.csv"
    assert httpx.get(admin).headers["x-kaltura"] == "error- REPORT_NOT_FOUND"
    live.api.runner.sweep(job.expires_at + 1)  # its keep time has passed: the file is deleted
    refused = httpx.get(link)
    assert refused.headers["x-kaltura"] == "error- REPORT_EXPIRED" and not refused.content


def test_the_recipient_defaults_to_the_ks_user_and_descriptive_headers(live: Live) -> None:
    form = {
        "ks": live.ann_ks,
        "format": 1,
        "params[reportItems][0][action]": 1,
        "params[reportItems][0][reportType]": 1,
        "params[reportItems][0][filter][fromDate]": -DAY,
        "params[reportItems][0][filter][toDate]": DAY,
        "params[reportItems][0][responseOptions][delimiter]": "|",
        "params[descriptiveHeaders]": 1,
    }
    url = f"{live.api.url}/api_v3/service/report/action/exportToCsv"
    answer = httpx.post(url, data=form).json()
    assert answer["reportEmail"] == "ann@school.example", answer
    assert answer["objectType"] == "KalturaReportExportResponse"
    message, _ = _mail_for(live, answer["referenceJobId"])
    assert message["To"] == "Ann Lee <ann@school.example>"
    lines = httpx.get(_link(message)).content.decode("utf-8-sig").splitlines()
    assert lines[1] == '"Report: default"'
    assert lines[4].startswith('"Object ID","Entry name","Plays",')


ITEM = "params[reportItems][0]"
NO_ITEMS = {f"{ITEM}[action]": None, f"{ITEM}[reportType]": None, f"{ITEM}[filter][fromDay]": None}


@pytest.mark.parametrize(
    ("changes", "code", "argument"),
    [
        (NO_ITEMS, "MISSING_MANDATORY_PARAMETER", "params:reportItems"),
        (
            {f"{ITEM}[filter][fromDay]": None},
            "MISSING_MANDATORY_PARAMETER",
            "params:reportItems:0:filter",
        ),
        (
            {"params[reportItems][1][reportType]": 1},
            "MISSING_MANDATORY_PARAMETER",
            "params:reportItems:1:action",
        ),
        ({"params[reportsItemsGroup]": "-weekly"}, "INVALID_REPORT_ITEMS_GROUP", None),
        ({"params[recipientEmail]": "dean@"}, "INVALID_PARAMETER_VALUE", "params:recipientEmail"),
        (
            {"params[recipientEmail]": "a@b.example\r\nBcc: x@y.example"},
            "INVALID_PARAMETER_VALUE",
            "params:recipientEmail",
        ),
        ({"params[recipientEmail]": None}, "MISSING_MANDATORY_PARAMETER", "params:recipientEmail"),
        (
            {f"{ITEM}[action]": 3, f"{ITEM}[reportType]": 30},  # no graphs
            "INVALID_PARAMETER_VALUE",
            "params:reportItems:0",
        ),
        ({f"{ITEM}[reportType]": 3}, "REPORT_NOT_FOUND", "3"),
    ],
)
def test_refused_requests(
    live: Live, changes: dict[str, object], code: str, argument: str | None
) -> None:
    form: dict[str, object] = {
        "ks": live.admin_ks,  # no user: no e-mail to fall back on
        "format": 1,
        "params[recipientEmail]": "dean@school.example",
        f"{ITEM}[action]": 1,
        f"{ITEM}[reportType]": 1,
        f"{ITEM}[filter][fromDay]": "20261101",
    }
    form = {k: v for k, v in {**form, **changes}.items() if v is not None}
    before = _jobs(live)
    answer = httpx.post(f"{live.api.url}/api_v3/service/report/action/exportToCsv", data=form)
    error = answer.json()
    assert error["code"] == code, error
    if argument is not None:
        assert argument in error["message"]
    assert _jobs(live) == before  # nothing was queued


def test_without_an_smtp_server_exports_are_refused_clearly(live: Live, tmp_path: Path) -> None:
    settings = replace(live.settings, smtp_host="", jobs_dir=str(tmp_path / "jobs"))
    with api_server(settings, live.store) as api:
        client = KalturaClient(KalturaConfiguration(serviceUrl=api.url))
        client.setKs(live.admin_ks)
        params = KalturaReportExportParams(
            recipientEmail="dean@school.example",
            reportItems=[KalturaReportExportItem(action=1, reportType="1", filter=_filter())],
        )
        with pytest.raises(KalturaException) as info:
            client.report.exportToCsv(params)
    assert info.value.code == "EMAIL_NOT_CONFIGURED"
    assert "smtp_host" in info.value.message


# --- the kind's steps, called as the runner calls them -------------------------------------


def _job(live: Live, tmp_path: Path, **request: object) -> tuple[Job, FileSink]:
    item = {
        "reportTitle": "Drop-off",
        "action": 3,
        "reportType": "2",
        "filter": {"fromDate": int(time.time()) - DAY, "toDate": int(time.time()) + DAY},
        "order": None,
        "objectIds": None,
        "responseOptions": {"delimiter": ",", "skipEmptyDates": True},
    }
    stored = {
        "recipientEmail": "dean@school.example",
        "recipientName": "",
        "timeZoneOffset": -120,
        "reportsItemsGroup": "",
        "descriptiveHeaders": False,
        "serverUrl": live.api.url,
        "partnerIds": [PARTNER],
        "items": [item],
        **request,
    }
    return job_of(PARTNER, stored, file="Jb_7-test.csv"), FileSink(tmp_path / "out.csv")


def test_write_graphs_and_a_cancelled_job(live: Live, tmp_path: Path) -> None:
    job, sink = _job(live, tmp_path)
    env = live.api.runner.env
    EXPORT_KIND.write(env, job, sink)
    lines = sink.path.read_text("utf-8-sig").splitlines()
    assert lines[1] == '"Report: Drop-off"'
    assert lines[4].startswith('"id","content_dropoff"')  # 2's single graph, by metric
    assert '"count_plays","1"' in lines
    platforms = {**job.request["items"][0], "reportType": "21", "reportTitle": "Devices"}
    job.request["items"] = [platforms]
    job.request["descriptiveHeaders"] = True
    EXPORT_KIND.write(env, job, FileSink(tmp_path / "platforms.csv"))
    lines = (tmp_path / "platforms.csv").read_text("utf-8-sig").splitlines()
    assert lines[4].startswith('"id","key","Plays","Minutes played",')  # by date and device
    assert re.fullmatch(r'"20\d{6}","[^"]*","1",.*', lines[5]), lines[5]  # httpx: no device
    cancelled, _ = _job(live, tmp_path)
    sink = FileSink(tmp_path / "cancelled.csv", cancel=True)
    EXPORT_KIND.write(env, cancelled, sink)
    assert sink.path.read_bytes() == b"\xef\xbb\xbf"  # nothing past the first check


def test_write_fails_the_job_on_a_report_that_cannot_run(live: Live, tmp_path: Path) -> None:
    job, sink = _job(live, tmp_path)
    job.request["items"][0]["reportType"] = "3"
    with pytest.raises(JobFailed, match="not found"):
        EXPORT_KIND.write(live.api.runner.env, job, sink)


def test_deliver_fails_with_what_the_smtp_server_said(live: Live, tmp_path: Path) -> None:
    assert EXPORT_KIND.deliver is not None
    job, _ = _job(live, tmp_path, recipientEmail="gone@school.example")
    live.inbox.refuse["gone@school.example"] = "550 no such user"
    with pytest.raises(JobFailed, match="550"):
        EXPORT_KIND.deliver(live.api.runner.env, job)
    env = live.api.runner.env
    down = replace(env, settings=replace(env.settings, smtp_port=free_port()))
    with pytest.raises(JobFailed, match="not sent: cannot reach"):  # the runner retries it
        EXPORT_KIND.deliver(down, job)


def test_a_resend_carries_the_same_message_id(live: Live, tmp_path: Path) -> None:
    assert EXPORT_KIND.deliver is not None
    job, _ = _job(live, tmp_path, recipientEmail="twice@school.example")
    for _ in range(2):
        EXPORT_KIND.deliver(live.api.runner.env, job)
    sent = [m for m in live.inbox.messages if m["To"] == "twice@school.example"]
    assert len(sent) == 2 and sent[0]["Message-ID"] == sent[1]["Message-ID"]
    assert sent[0]["Message-ID"] == f"<export-{PARTNER}-Jb_7-test@school.example>"
    assert "(UTC+0200)" in str(sent[0].get_content())  # the recipient's time zone


def test_a_partner_with_its_queue_full_is_told_to_wait(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner_module, "MAX_ACTIVE_PER_PARTNER", 0)
    before = _jobs(live)
    form = {
        "ks": live.admin_ks,
        "format": 1,
        "params[recipientEmail]": "dean@school.example",
        f"{ITEM}[action]": 1,
        f"{ITEM}[reportType]": 1,
        f"{ITEM}[filter][fromDay]": "20261101",
    }
    answer = httpx.post(f"{live.api.url}/api_v3/service/report/action/exportToCsv", data=form)
    assert answer.json()["code"] == "TOO_MANY_JOBS" and _jobs(live) == before


def _jobs_table(settings: Settings) -> Path:
    """The job table of the store these settings open (jobs_dir keeps one per store)."""
    return Path(settings.jobs_dir) / store_folder(settings.engine) / DATABASE
