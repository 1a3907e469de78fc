"""Usage reports and report.getBaseTotal on a real server: a parent partner and its child,
entries with sizes added over the admin API ten days ago, read back as a form post and by the
official client."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from KalturaClient import KalturaClient, KalturaConfiguration
from KalturaClient.Plugins.Core import KalturaReportBaseTotal, KalturaReportInputFilter

from tests.integration.server import Server, cli

PARENT, CHILD = 501, 502
SECRETS = {PARENT: "p".ljust(32, "b"), CHILD: "c".ljust(32, "b")}
ROLES = [{"id": 1, "name": "Admin", "permissions": ["*", "ANALYTICS_BASE"]}]
DAY = 86_400
MB = 1_048_576


@dataclass(frozen=True)
class Live:
    url: str
    ks: str


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("usage")
    store = folder / "store.duckdb"
    partners = [
        {
            "id": pid,
            "name": f"Partner {pid}",
            "adminSecrets": [SECRETS[pid]],
            "userSecret": "u".ljust(32, "u"),
            "roles": ROLES,
            **({"parentPartnerId": PARENT} if pid == CHILD else {}),
        }
        for pid in (PARENT, CHILD)
    ]
    (folder / "partners.json").write_text(json.dumps(partners))
    cli(store, "import", str(folder / "partners.json"))
    server = Server(store).start()
    created = int(time.time()) - 10 * DAY
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            for partner, entry, mb in ((PARENT, "5_a", 3), (CHILD, "6_b", 5)):
                answer = http.post(
                    "/api/v1/admin/entries",
                    auth=(str(partner), SECRETS[partner]),
                    json=[
                        {
                            "partnerId": partner,
                            "id": entry,
                            "name": entry,
                            "kind": "video",
                            "creatorUserId": "tom",
                            "createdAt": created,
                            "duration": 20,
                            "size": mb * MB,
                        }
                    ],
                )
                assert answer.status_code == 200, answer.text
            ks = http.post(
                "/api_v3/service/session/action/start",
                data={"secret": SECRETS[PARENT], "partnerId": PARENT, "type": 2, "format": 1},
            ).json()
        yield Live(server.url, str(ks))
    finally:
        server.stop()


def _form(live: Live, action: str, **fields: object) -> object:
    data = {
        "ks": live.ks,
        "format": 1,
        "reportInputFilter[fromDate]": -5 * DAY,  # relative to now
        "reportInputFilter[toDate]": 0,
        **fields,
    }
    return httpx.post(f"{live.url}/api_v3/service/report/action/{action}", data=data).json()


def test_base_totals_of_user_usage(live: Live) -> None:
    assert _form(live, "getBaseTotal", reportType=17) == [
        {"id": "total_storage_mb", "data": "3", "objectType": "KalturaReportBaseTotal"},
        {"id": "total_entries", "data": "1", "objectType": "KalturaReportBaseTotal"},
        {"id": "total_msecs", "data": "20000", "objectType": "KalturaReportBaseTotal"},
    ]
    for other in (1, 201, 20004):
        answer = _form(live, "getBaseTotal", reportType=other)
        assert isinstance(answer, dict) and answer["code"] == "INTERNAL_SERVERL_ERROR"


def test_the_official_client_reads_base_totals(live: Live) -> None:
    client = KalturaClient(KalturaConfiguration(serviceUrl=live.url))
    client.setKs(live.ks)
    now = int(time.time())
    items = client.report.getBaseTotal(
        "17", KalturaReportInputFilter(fromDate=now - 5 * DAY, toDate=now)
    )
    assert all(isinstance(i, KalturaReportBaseTotal) for i in items)
    assert [(i.id, i.data) for i in items] == [
        ("total_storage_mb", "3"),
        ("total_entries", "1"),
        ("total_msecs", "20000"),
    ]


def test_partner_usage_reads_the_children_named_in_object_ids(live: Live) -> None:
    def storage(report: int, objects: str | None = None) -> list[str]:
        fields: dict[str, object] = {"reportType": report}
        if objects is not None:
            fields["objectIds"] = objects
        answer = _form(live, "getTotal", **fields)
        assert isinstance(answer, dict), answer
        header, data = str(answer["header"]).split(","), str(answer["data"]).split(",")
        return [data[header.index(h)] for h in ("average_storage", "transcoding_consumption")]

    assert storage(201) == ["3", ""]  # the caller's own; no transcoding data: empty
    assert storage(201, str(CHILD)) == ["5", ""]
    assert storage(201, f"{PARENT},{CHILD}") == ["8", ""]
    assert storage(201, "7777") == ["0", ""]
    assert storage(20021) == ["8", ""]
