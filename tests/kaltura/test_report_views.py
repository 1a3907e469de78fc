"""report.getTable / getTotal / getGraphs on a real server: beacons sent as a web player sends
them, then read back by curl-style form posts and by the official Kaltura client, alone and
as the dashboard's multirequest. The numbers are worked out by hand below."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from KalturaClient import KalturaClient, KalturaConfiguration
from KalturaClient.exceptions import KalturaException
from KalturaClient.Plugins.Core import (
    KalturaFilterPager,
    KalturaReportGraph,
    KalturaReportInputFilter,
    KalturaReportResponseOptions,
    KalturaReportTable,
    KalturaReportTotal,
    KalturaSessionType,
)

from tests.integration.server import Server, cli
from vantage.analytics.report_types import REPORTS, header_of

PARENT, CHILD = 401, 402
SECRETS = {PARENT: "p".ljust(32, "a"), CHILD: "c".ljust(32, "a")}
ROLES = [{"id": 1, "name": "Admin", "permissions": ["*", "ANALYTICS_BASE"]}]
DAY = 86_400


@dataclass(frozen=True)
class Live:
    url: str
    parent_ks: str
    child_ks: str


def _beacon(http: httpx.Client, partner: int, entry: str, session: str, **fields: object) -> None:
    event = fields.pop("eventType")
    query = {
        "service": "analytics",
        "action": "trackEvent",
        "eventType": event,
        "partnerId": partner,
        "entryId": entry,
        "sessionId": session,
    }
    body = {"playbackType": "vod", **fields}
    answer = http.post("/api_v3/index.php", params=query, json=body)
    assert answer.status_code == 200 and "viewEventsEnabled" in answer.text


def _ks(http: httpx.Client, partner: int) -> str:
    answer = http.post(
        "/api_v3/service/session/action/start",
        data={"secret": SECRETS[partner], "partnerId": partner, "type": 2, "format": 1},
    )
    return str(answer.json())


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("reports")
    store = folder / "store.duckdb"
    partners = [
        {
            "id": PARENT,
            "name": "Parent",
            "adminSecrets": [SECRETS[PARENT]],
            "userSecret": "u".ljust(32, "u"),
            "roles": ROLES,
        },
        {
            "id": CHILD,
            "name": "Child",
            "adminSecrets": [SECRETS[CHILD]],
            "userSecret": "v".ljust(32, "u"),
            "roles": ROLES,
            "parentPartnerId": PARENT,
        },
    ]
    (folder / "partners.json").write_text(json.dumps(partners))
    cli(store, "import", str(folder / "partners.json"))
    server = Server(store).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            for partner, entry, name in ((PARENT, "1_a", "Video A"), (CHILD, "2_b", "Video B")):
                created = http.post(
                    "/api/v1/admin/entries",
                    auth=(str(partner), SECRETS[partner]),
                    json=[
                        {
                            "partnerId": partner,
                            "id": entry,
                            "name": name,
                            "kind": "video",
                            "duration": 100,
                        }
                    ],
                )
                assert created.status_code == 200, created.text
            # Ann loads and plays 1_a, watches its first 10 s and reaches 25 %;
            # an anonymous viewer only loads it. The child's viewer plays 2_b.
            _beacon(http, PARENT, "1_a", "s1", eventType=1, eventIndex=1, userId="ann")
            _beacon(http, PARENT, "1_a", "s1", eventType=3, eventIndex=2, userId="ann")
            _beacon(
                http,
                PARENT,
                "1_a",
                "s1",
                eventType=99,
                eventIndex=3,
                userId="ann",
                position=10,
                playTimeSum=10,
            )
            _beacon(http, PARENT, "1_a", "s1", eventType=11, eventIndex=4, userId="ann")
            _beacon(http, PARENT, "1_a", "s2", eventType=1, eventIndex=1)
            _beacon(http, CHILD, "2_b", "s3", eventType=1, eventIndex=1, userId="bob")
            _beacon(http, CHILD, "2_b", "s3", eventType=3, eventIndex=2, userId="bob")
            yield Live(server.url, _ks(http, PARENT), _ks(http, CHILD))
    finally:
        server.stop()


def _form(live: Live, action: str, ks: str, **fields: object) -> dict[str, object]:
    data = {
        "ks": ks,
        "format": 1,
        "reportInputFilter[fromDate]": -DAY,  # relative to now
        "reportInputFilter[toDate]": DAY,
        **fields,
    }
    answer = httpx.post(f"{live.url}/api_v3/service/report/action/{action}", data=data)
    result = answer.json()
    assert isinstance(result, dict | list)
    return result  # type: ignore[return-value]


# 1_a: 1 play, 2 loads; 25 s of quartile time (a quarter of 100 s) and 10 s of view time;
# percentiles 0–10 watched (11); Ann is the only known user.
TOP_CONTENT_ROW = "1_a,Video A,1,0.41666666666667,0.41666666666667,2,0.5,0.25,1,"
TOP_CONTENT_ROW += "0.16666666666667,0.16666666666667,11;"


def test_get_table_as_a_form_post(live: Live) -> None:
    answer = _form(live, "getTable", live.parent_ks, reportType=1, **{"pager[pageSize]": 10})
    assert answer == {
        "header": "object_id,entry_name,count_plays,sum_time_viewed,avg_time_viewed,"
        "count_loads,load_play_ratio,avg_view_drop_off,unique_known_users,sum_view_period,"
        "avg_view_period_time,avg_completion_rate",
        "data": TOP_CONTENT_ROW,
        "totalCount": 1,
        "objectType": "KalturaReportTable",
    }


def test_empty_answers_have_kalturas_shapes(live: Live) -> None:
    fields = {"reportType": 1, "reportInputFilter[entryIdIn]": "1_none"}
    assert _form(live, "getTable", live.parent_ks, **fields, **{"pager[pageSize]": 10}) == {
        "objectType": "KalturaReportTable"
    }
    total = _form(live, "getTotal", live.parent_ks, **fields)
    assert total["data"] == "," * 9
    assert _form(live, "getGraphs", live.parent_ks, **fields) == [
        {"id": g, "data": "", "objectType": "KalturaReportGraph"}
        for g in (
            "count_plays",
            "sum_time_viewed",
            "avg_time_viewed",
            "count_loads",
            "sum_view_period",
            "avg_view_period_time",
        )
    ]


def test_errors(live: Live) -> None:
    no_graphs = _form(live, "getGraphs", live.parent_ks, reportType=36)
    assert no_graphs["code"] == "INTERNAL_SERVERL_ERROR"
    unknown = _form(live, "getTotal", live.parent_ks, reportType=9999)
    assert unknown["code"] == "INVALID_ENUM_VALUE"
    beyond = _form(
        live,
        "getTable",
        live.parent_ks,
        reportType=1,
        **{"pager[pageSize]": 500, "pager[pageIndex]": 25},
    )
    assert beyond["code"] == "INTERNAL_SERVERL_ERROR"
    no_pager = _form(live, "getTable", live.parent_ks, reportType=1)
    assert no_pager["code"] == "MISSING_MANDATORY_PARAMETER"


def test_multi_account_reports_see_the_children(live: Live) -> None:
    pager = {"pager[pageSize]": 10}
    own = _form(live, "getTable", live.parent_ks, reportType=2, **pager)
    assert str(own["data"]).startswith("1_a,")
    both = _form(live, "getTable", live.parent_ks, reportType=20001, **pager)
    # one play each: ties go by entry id
    assert both["data"] == "1_a,Video A,401,1,1,0,0,0,0,2;2_b,Video B,402,1,0,0,0,0,0,1;"
    child = _form(live, "getTable", live.child_ks, reportType=20001, **pager)
    assert child["data"] == "2_b,Video B,402,1,0,0,0,0,0,1;"


def _client(live: Live, ks: str) -> KalturaClient:
    client = KalturaClient(KalturaConfiguration(serviceUrl=live.url))
    client.setKs(ks)
    return client


def _filter() -> KalturaReportInputFilter:
    return KalturaReportInputFilter(fromDate=-DAY, toDate=DAY, interval="days")


def test_the_official_client_reads_every_action(live: Live) -> None:
    client = _client(live, live.parent_ks)
    table = client.report.getTable("1", _filter(), KalturaFilterPager(pageSize=10), "-count_plays")
    assert isinstance(table, KalturaReportTable) and table.data == TOP_CONTENT_ROW
    total = client.report.getTotal("2", _filter())
    assert isinstance(total, KalturaReportTotal)
    assert total.data == "1,1,0,0,0,0,2"
    graphs = client.report.getGraphs("2", _filter())
    assert [(g.id, g.data) for g in graphs] == [
        (
            "content_dropoff",
            "count_plays,1;count_plays_25,1;count_plays_50,0;count_plays_75,0;"
            "count_plays_100,0;play_through_ratio,0;",
        )
    ]
    options = KalturaReportResponseOptions(delimiter="|")
    piped = client.report.getTable(
        "13", _filter(), KalturaFilterPager(pageSize=10), None, None, options
    )
    assert piped.header.startswith("name|full_name|unique_videos|count_plays")


def test_the_dashboard_multirequest(live: Live) -> None:
    client = _client(live, live.parent_ks)
    client.startMultiRequest()
    client.report.getTotal("1", _filter())
    client.report.getGraphs("1", _filter())
    client.report.getTable("1", _filter(), KalturaFilterPager(pageSize=10))
    total, graphs, table = client.doMultiRequest()
    assert isinstance(total, KalturaReportTotal)
    assert total.data == (
        "1,0.41666666666667,0.41666666666667,2,0.5,0.25,1,0.16666666666667,0.16666666666667,11"
    )
    assert isinstance(graphs, list) and all(isinstance(g, KalturaReportGraph) for g in graphs)
    assert [g.id for g in graphs][:2] == ["count_plays", "sum_time_viewed"]
    assert graphs[0].data.endswith(",1;")  # today's label, one play
    assert isinstance(table, KalturaReportTable) and table.data == TOP_CONTENT_ROW


def test_a_report_session_type_is_needed(live: Live) -> None:
    client = KalturaClient(KalturaConfiguration(serviceUrl=live.url))
    with pytest.raises(KalturaException) as info:
        client.report.getTotal("1", _filter())
    assert info.value.code == "MISSING_KS"
    assert KalturaSessionType.ADMIN == 2


@pytest.mark.parametrize("report_type", sorted(REPORTS))
def test_the_official_client_calls_every_report_type(live: Live, report_type: int) -> None:
    client = _client(live, live.parent_ks)
    report = REPORTS[report_type]
    table = client.report.getTable(str(report_type), _filter(), KalturaFilterPager(pageSize=5))
    assert isinstance(table, KalturaReportTable)
    assert table.totalCount in (NotImplemented, None) or table.totalCount >= 0
    if report.has_total:
        total = client.report.getTotal(str(report_type), _filter())
        assert isinstance(total, KalturaReportTotal)
        assert total.header.split(",") == [header_of(c) for c in report.totals]
    if report.graphs is None:
        with pytest.raises(KalturaException) as info:
            client.report.getGraphs(str(report_type), _filter())
        assert info.value.code == "INTERNAL_SERVERL_ERROR"
    else:
        graphs = client.report.getGraphs(str(report_type), _filter())
        assert all(isinstance(g, KalturaReportGraph) for g in graphs)


def _export(live: Live, **fields: object) -> object:
    data = {
        "ks": live.parent_ks,
        "format": 1,
        "reportTitle": "Top content",
        "reportText": "=Plays by entry",
        "headers": "Plays,Loads;Entry,Name,Plays",
        "reportType": 1,
        "reportInputFilter[fromDate]": -DAY,
        "reportInputFilter[toDate]": DAY,
        **fields,
    }
    answer = httpx.post(f"{live.url}/api_v3/service/report/action/getUrlForReportAsCsv", data=data)
    return answer.json()


def test_a_report_as_a_csv_file_to_download(live: Live) -> None:
    url = _export(live, dimension="count_plays")
    assert isinstance(url, str) and url.endswith("/report.csv")
    got = httpx.get(url)
    assert got.status_code == 200 and got.headers["content-type"] == "text/csv"
    lines = got.content.decode("utf-8-sig").splitlines()
    today = dt.datetime.now(dt.UTC)
    day = f"{today:%A, %B} {today.day}, {today.year}"
    assert lines[0] == '"Top content"'
    assert lines[2] == '"\'=Plays by entry"'  # a formula guard, as Kaltura writes it
    assert lines[3:6] == ['"# ------------------------------------"', '""', lines[3]]
    assert f'"{day}","1"' in lines  # the count_plays graph: one play today
    total = lines.index('"# Total"')
    assert lines[total + 2 : total + 4] == ['"Plays","Loads"', '"1","0.41666666666667"']
    table = next(i for i, text in enumerate(lines) if text.startswith('"# Table"'))
    assert lines[table] == '"# Table","","Total Count","1"'
    assert lines[table + 2 :] == ['"Entry","Name","Plays"', '"1_a","Video A","1"']


def test_the_download_ks_opens_its_own_file_only(live: Live) -> None:
    url = _export(live)
    assert isinstance(url, str)
    ks_part = url.split("/ks/")[1].split("/")[0]
    other = f"{live.url}/api_v3/service/report/action/serve/ks/{ks_part}/id/someone_else"
    assert httpx.get(other).headers["x-kaltura"] == "error- SERVICE_FORBIDDEN"
    bad = f"{live.url}/api_v3/service/report/action/serve/ks/{live.parent_ks}/id/..%2Fx"
    assert httpx.get(bad).headers["x-kaltura"] == "error- REPORT_NOT_FOUND"
    too_big = _export(live, **{"pager[pageSize]": 30_000, "pager[pageIndex]": 3})
    assert isinstance(too_big, dict) and too_big["code"] == "SEARCH_TOO_GENERAL"
    assert _export(live, reportType=36, headers="Plays;Country") is not None


def test_the_official_client_gets_the_csv_url(live: Live) -> None:
    client = _client(live, live.parent_ks)
    url = client.report.getUrlForReportAsCsv(
        "Drop-off", "Last day", "Plays;Entry,Name,Plays", "2", _filter(), "content_dropoff"
    )
    body = httpx.get(url).content.decode("utf-8-sig")
    assert '"count_plays","1"' in body.splitlines()  # report 2 prints its points as they are
    assert '"1_a","Video A","1"' in body.splitlines()
