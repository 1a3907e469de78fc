"""Any value for any declared parameter of any action: never HTTP 5xx, never an unexpected error.

Each registered action gets random and hostile values for its declared parameters (nested
objects, integers past 64 bits, NaN and infinities, long and odd text, nesting far past the
cap), sent as PHP brackets or as a JSON body, with an admin KS, through the app on a real store
that holds a played video (some SQL fails only when there are rows).
Kaltura's own INTERNAL_SERVERL_ERROR for well-formed report calls it cannot run (a page beyond
12,000 rows, getGraphs of a report without graphs) is allowed; the dispatcher's "unexpected
error" path (a traceback in the log) is not.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from tests.faults import Faults, watching
from vantage.analytics.report_types import REPORTS
from vantage.config import Settings
from vantage.entities import partners, repository
from vantage.entities.model import KINDS, Entry, EntryKind
from vantage.ingest.store import Store
from vantage.kaltura.actions import Action
from vantage.kaltura.classes import END_USER_REPORT_INPUT_FILTER
from vantage.kaltura.schema import BOOL, FLOAT, INT, TIME, ArrayOf, EnumType, ObjectClass
from vantage.server import create_app, kaltura_registry

ACTIONS = list(kaltura_registry(submit=lambda *job: None))  # with report.exportToCsv
VIDEO = "1_clip"
# What Kaltura answers with INTERNAL_SERVERL_ERROR when a well-formed report cannot run.
KALTURA_INTERNAL = {"getTable", "getTotal", "getGraphs", "getBaseTotal"}

NUMBERS = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.integers(-5, 40_000).map(str),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "1e20", "99999999999999", "1" * 400, ""]),
    st.sampled_from(["9223372036854", "-9223372036854", "9223372036854775807", "-1e300"]),
    st.floats().map(repr),
)


def nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = {"a": value}
    return value


HOSTILE = st.one_of(
    NUMBERS,
    st.text(max_size=40),
    st.sampled_from(["%", "_", "Array", "{1:result}", "x" * 300, "\ud800", "=1+1"]),
    st.integers(1, 1_200).map(nested),
    st.lists(st.text(max_size=3), max_size=2),
)


def values(declared: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Plausible values of the declared type, mixed with hostile ones."""
    plausible: st.SearchStrategy[Any]
    if isinstance(declared, ArrayOf):
        plausible = st.lists(values(declared.item, depth + 1), max_size=3)
    elif isinstance(declared, ObjectClass):
        fields = {f.name: values(f.type, depth + 1) for f in declared.all_fields}
        plausible = st.fixed_dictionaries({}, optional=fields) if depth < 3 else st.just({})
    elif isinstance(declared, EnumType):
        plausible = st.sampled_from(declared.values)
    elif declared in (INT, FLOAT, TIME):
        plausible = NUMBERS
    elif declared is BOOL:
        plausible = st.sampled_from(["1", "0", "true", "false", ""])
    else:
        plausible = st.text(max_size=20)
    return st.one_of(plausible, plausible, HOSTILE)


def brackets(tree: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(tree, list):
        tree = dict(enumerate(tree))
    if not isinstance(tree, dict):
        return [(prefix, str(tree))]
    pairs: list[tuple[str, str]] = []
    for key, value in tree.items():
        pairs += brackets(value, f"{prefix}[{key}]" if prefix else str(key))
    return pairs


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str, Faults]]:
    folder = tmp_path_factory.mktemp("hostile")
    config = Settings.load(
        engine=str(folder / "store.duckdb"),
        reports_dir=str(folder / "reports"),
        jobs_dir=str(folder / "jobs"),
        smtp_host="127.0.0.1",  # exports are queued; their e-mail fails (port 9: discard)
        smtp_port=9,
        smtp_tls="none",
    )
    with watching() as faults, Store.open(config) as store:
        partner = store.writer.submit(lambda tx: partners.create(tx, "Hostile U")).result()
        video = Entry(partner_id=partner.id, id=VIDEO, name="Clip", kind=EntryKind.VIDEO)
        store.writer.submit(lambda tx: repository.upsert(tx, KINDS["entries"], [video])).result()
        with TestClient(create_app(config, store), raise_server_exceptions=False) as client:
            played(client, partner.id)
            started = client.post(
                "/api_v3/service/session/action/start",
                data={"secret": partner.admin_secrets[0], "partnerId": partner.id, "type": 2},
                params={"format": "1"},
            ).json()
            assert isinstance(started, str), started
            yield client, started, faults


def played(client: TestClient, partner_id: int) -> None:
    """A view of the video, so that reports have rows (some SQL fails only on rows)."""
    for event_type in (1, 2, 3):  # view, play, ...: a player's first beacons
        beacon = {"service": "analytics", "action": "trackEvent", "eventType": event_type}
        ids = {"partnerId": partner_id, "entryId": VIDEO, "sessionId": "s1"}
        answer = client.get("/api_v3/index.php", params={**beacon, **ids, "eventIndex": 1})
        assert b"viewEventsEnabled" in answer.content, answer.text


def send(client: TestClient, tree: dict[str, Any], as_json: bool) -> Any:
    if as_json:
        body = json.dumps(tree).encode()
        return client.post("/api_v3/index.php", content=body, headers=JSON)
    form = urllib.parse.urlencode(brackets(tree), errors="surrogatepass").encode()
    return client.post("/api_v3/index.php", content=form, headers=FORM)


JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.label)
def test_no_action_fails_inside_for_any_parameters(
    app: tuple[TestClient, str, Faults], action: Action
) -> None:
    client, admin_ks, faults = app
    params = st.fixed_dictionaries({}, optional={p.name: values(p.type) for p in action.params})

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(params=params, as_json=st.booleans(), fmt=st.sampled_from(["1", "2"]))
    def check(params: dict[str, Any], as_json: bool, fmt: str) -> None:
        faults.records.clear()
        tree = {"service": action.service, "action": action.name, "ks": admin_ks, "format": fmt}
        answer = send(client, {**tree, **params}, as_json)
        assert answer.status_code < 500, answer.text
        faults.assert_none()
        if action.name not in KALTURA_INTERNAL:
            assert b"INTERNAL_SERVERL_ERROR" not in answer.content, answer.text

    check()


@pytest.mark.parametrize("file_id", ["x" * 300, "é", "a\nb", "../x", "."])
def test_serve_answers_report_not_found_for_any_other_id(
    app: tuple[TestClient, str, Faults], file_id: str
) -> None:
    client, admin_ks, faults = app
    tree = {"service": "report", "action": "serve", "ks": admin_ks, "id": file_id}
    answer = send(client, tree, as_json=True)
    assert answer.status_code == 200 and answer.content == b""
    assert answer.headers["x-kaltura"] == "error- REPORT_NOT_FOUND"
    faults.assert_none()


def test_a_csv_export_reads_pager_values_below_one_as_the_defaults(
    app: tuple[TestClient, str, Faults],
) -> None:
    client, admin_ks, _ = app
    tree = {
        "service": "report",
        "action": "getUrlForReportAsCsv",
        "ks": admin_ks,
        "format": "1",
        "reportTitle": "t",
        "reportText": "",
        "headers": "Plays;Entry,Plays",
        "reportType": "1",
        "reportInputFilter": {"fromDate": "-86400", "toDate": "0"},
        "pager": {"pageSize": "-5", "pageIndex": "-5"},
    }
    url = send(client, tree, as_json=False).json()
    assert isinstance(url, str) and url.endswith("/report.csv")


@pytest.mark.parametrize("action", ["getTable", "getTotal", "getGraphs"])
@pytest.mark.parametrize("moment", ["9223372036854", "-9223372036854", "0", "99999999999999"])
def test_every_time_a_report_filter_accepts_runs(
    app: tuple[TestClient, str, Faults], action: str, moment: str
) -> None:
    client, admin_ks, faults = app
    times = ("fromDate", "toDate", "entryCreatedAtGreaterThanOrEqual")
    tree = {
        "service": "report",
        "action": action,
        "ks": admin_ks,
        "format": "1",
        "reportType": "1",
        "reportInputFilter": {**dict.fromkeys(times, moment), "entryCreatedAtLessThanOrEqual": "0"},
        "pager": {"pageSize": "10"},
    }
    answer = send(client, tree, as_json=False).json()
    faults.assert_none()
    code = answer.get("code") if isinstance(answer, dict) else None  # getGraphs: a list
    assert code == ("INVALID_PARAMETER_VALUE" if moment == "99999999999999" else None), answer


FILTERS = [f.name for f in END_USER_REPORT_INPUT_FILTER.all_fields]
FILTER_VALUES = ["18446744073709551616", "-9223372036854775809", "9223372036854775807", "1,2"]
FILTER_VALUES += ["1e400", "'", "%", "_", "\\", "a;b", ",", "", "video", "1" * 400, "0x1", "\x00"]


def report_call(admin_ks: str, action: str, report_type: int, filters: dict[str, Any]) -> Any:
    given_filter = {"objectType": END_USER_REPORT_INPUT_FILTER.name, "fromDate": "-864000"}
    return {
        "service": "report",
        "action": action,
        "ks": admin_ks,
        "format": "1",
        "reportType": str(report_type),
        "reportInputFilter": {**given_filter, "toDate": "0", **filters},
        "pager": {"pageSize": "10"},
    }


@pytest.mark.parametrize("name", FILTERS)
def test_every_filter_with_any_value_answers_an_api_error_at_worst(
    app: tuple[TestClient, str, Faults], name: str
) -> None:
    client, admin_ks, faults = app
    faults.records.clear()
    for value in FILTER_VALUES:
        answer = send(client, report_call(admin_ks, "getTotal", 1, {name: value}), as_json=False)
        assert answer.status_code == 200 and b"INTERNAL_SERVERL_ERROR" not in answer.content
    faults.assert_none()


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    action=st.sampled_from(sorted(KALTURA_INTERNAL)),
    report_type=st.sampled_from(sorted(REPORTS)),
    filters=st.dictionaries(
        st.sampled_from(FILTERS),
        st.one_of(st.sampled_from(FILTER_VALUES), HOSTILE),
        min_size=1,
        max_size=3,
    ),
)
def test_any_report_with_any_filters_answers_an_api_error_at_worst(
    app: tuple[TestClient, str, Faults],
    action: str,
    report_type: int,
    filters: dict[str, Any],
) -> None:
    client, admin_ks, faults = app
    faults.records.clear()
    answer = send(client, report_call(admin_ks, action, report_type, filters), as_json=False)
    assert answer.status_code == 200
    faults.assert_none()


REFERENCES = st.sampled_from(["{1:result}", "{0:result:objects:0:id}", "{2:result:ks}", "{9:x}"])


@st.composite
def multirequests(draw: st.DrawFn) -> dict[str, Any]:
    """Numbered calls of random actions, some values referring to earlier results."""
    first = draw(st.sampled_from([0, 1]))
    tree: dict[str, Any] = {"service": "multirequest"}
    for number in range(first, first + draw(st.integers(1, 4))):
        action = draw(st.sampled_from(ACTIONS))
        fields = {p.name: values(p.type) | REFERENCES for p in action.params}
        call = draw(st.fixed_dictionaries({}, optional=fields))
        tree[str(number)] = {"service": action.service, "action": action.name, **call}
    return tree


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(tree=multirequests(), as_json=st.booleans(), fmt=st.sampled_from(["1", "2"]))
def test_no_multirequest_fails_inside(
    app: tuple[TestClient, str, Faults], tree: dict[str, Any], as_json: bool, fmt: str
) -> None:
    client, admin_ks, faults = app
    faults.records.clear()
    answer = send(client, {**tree, "ks": admin_ks, "format": fmt}, as_json)
    assert answer.status_code < 500, answer.text
    faults.assert_none()
