"""Reports 60006 EP_WEBCAST_TOP_PLATFORMS and 60007 EP_WEBCAST_MAP_OVERLAY_COUNTRY, and the
dashboard's countries and devices over them, on a class worked by hand.

Partner 101: room 1_main (category 5) with breakout 1_break; 1_rec a recording of 1_main
(rootEntryId), in category 5 too; 1_vid a video made from nothing. B is 2026-08-03 10:00 UTC.

Room 1_main, session s1 (live viewers: a presence period in the room):
  ann  joins at B from a Computer in Germany; 3 periods                → Computer, Germany
  ben  joins at B+10 from a Mobile in France, leaves; rejoins at B+30 from a Tablet in France;
       rejoins at B+50 saying nothing (no device, no country); a period after each join
                                                                       → Tablet, France
  cat  joins at B+5 saying nothing; 2 periods                          → unknown, unknown
  dan  joins at B+5 from a Smart TV in Japan, never present            → not a viewer
  hal  joined s0 ten days before B from a Mobile in Spain (his only join); present at B+40
                                                                       → Mobile, Spain
Breakout 1_break, session b1: eve joins from a Mobile in Italy, 2 periods → another entry: not
  1_main's (as in 60010)
Player beacons (a view each, or two):
  ann  watches 1_rec from a Mobile in Germany (DE)         → a recording viewer: Mobile, Germany
  fay  watches 1_rec from a Computer in the Netherlands    → Computer, Netherlands
  an anonymous viewer watches 1_rec from a Computer in the Netherlands → no user id: nobody
  gus  watches 1_main live from a Computer in Germany      → a live viewer: Computer, Germany
  zed  watches 1_vid from a Tablet in Spain                → not 1_main's recording

So for entryIdIn=1_main:
  device    recording (vod)   live (combined)
  Computer  fay          1    ann, gus   2
  Mobile    ann          1    hal        1
  Tablet                 0    ben        1
  (none)                 0    cat        1
  country
  Germany   ann          1    ann, gus   2
  France                 0    ben        1
  Netherlands fay        1               0
  Spain                  0    hal        1
  (none)                 0    cat        1
  totals: recording 2 (ann, fay), live 5 (ann, ben, cat, gus, hal)
ann counts in two device rows (Computer live, Mobile for the recording), once in Germany's.
"""

from __future__ import annotations

import contextlib
import itertools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.analytics.conftest import (
    ENGAGED,
    FROM,
    TO,
    B,
    append_events,
    beats,
    ev,
    open_store,
)
from tests.analytics.conftest import ENTRIES as SCHOOL
from tests.analytics.test_formulas import VIEW, beacon, send
from vantage.analytics import query as kq
from vantage.analytics import room_panels as rp
from vantage.analytics.report_types import REPORTS
from vantage.devices import Device
from vantage.ingest.store import Store
from vantage.kaltura import report_values as shown

ENTRIES: list[dict[str, Any]] = [
    {"partnerId": 101, "id": "1_main", "name": "Biology 101", "kind": "room", "categoryIds": [5]},
    *(e for e in SCHOOL if e["id"] == "1_break"),
    {
        "partnerId": 101,
        "id": "1_rec",
        "name": "Biology 101, recorded",
        "kind": "video",
        "duration": 100,
        "rootEntryId": "1_main",
        "categoryIds": [5],
    },
    {"partnerId": 101, "id": "1_vid", "name": "A video", "kind": "video", "duration": 100},
]
EVENTS: list[dict[str, Any]] = [
    ev("joinSession", "ann", B, device="Computer", country="Germany"),
    *beats("ann", B, [ENGAGED] * 3),
    ev("joinSession", "ben", B + 10, device="Mobile", country="France"),
    *beats("ben", B + 10, [ENGAGED]),
    ev("leaveSession", "ben", B + 20),
    ev("joinSession", "ben", B + 30, device="Tablet", country="France"),
    *beats("ben", B + 30, [ENGAGED]),
    ev("joinSession", "ben", B + 50),
    *beats("ben", B + 50, [ENGAGED]),
    ev("joinSession", "cat", B + 5),
    *beats("cat", B + 5, [ENGAGED] * 2),
    ev("joinSession", "dan", B + 5, device="Smart TV", country="Japan"),
    ev("joinSession", "hal", B - 864_000, "s0", device="Mobile", country="Spain"),
    *beats("hal", B + 40, [ENGAGED]),
    ev("joinSession", "eve", B + 100, "b1", "1_break", device="Mobile", country="Italy"),
    *beats("eve", B + 100, [ENGAGED] * 2, "b1", "1_break"),
]
NL = {"device": "Computer", "country": "Netherlands", "code": "NL"}


@contextlib.contextmanager
def open_class(path: Path) -> Iterator[Store]:
    """A store of the class above: its entries, room events and player beacons."""
    with open_store(path, ENTRIES, [], EVENTS) as store:
        de = {"country": "Germany", "code": "DE"}
        send(store, B + 60, beacon(VIEW, "p1", "1_rec", "ann"), device="Mobile", **de)
        send(store, B + 70, beacon(VIEW, "p2", "1_rec", "fay"), beacon(VIEW, "p3", "1_rec"), **NL)
        live = beacon(VIEW, "p4", "1_main", "gus", playback="live")
        send(store, B + 80, live, device="Computer", **de)
        send(store, B + 90, beacon(VIEW, "p5", "1_vid", "zed"), device="Tablet", country="Spain")
        yield store


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_class(tmp_path_factory.mktemp("clients") / "store.duckdb") as store:
        yield store


def _query(report: int, **values: Any) -> kq.ReportQuery:
    given = {"fromDate": FROM, "toDate": TO, "entryIdIn": "1_main", **values}
    return kq.build(
        REPORTS[report], frozenset({101}), {k: v for k, v in given.items() if v}, None, {}
    )


def _rows(store: Store, q: kq.ReportQuery) -> dict[Any, tuple[Any, ...]]:
    """Each row's name → (recording viewers, live viewers), as the API prints them."""
    found = shown.table(store.engine, q, None, 50, 1)
    return {row[0]: tuple(row[-2:]) for row in found.rows}


def _total(store: Store, q: kq.ReportQuery) -> tuple[Any, ...]:
    found = shown.total(store.engine, q)
    assert found.headers == ("unique_vod_viewers", "unique_combined_live_viewers")
    return tuple(found.values or ())


DEVICES = {"Computer": (1, 2), "Mobile": (1, 1), "Tablet": (0, 1), "": (0, 1)}
COUNTRIES = {
    "Germany": (1, 2),
    "France": (0, 1),
    "Netherlands": (1, 0),
    "Spain": (0, 1),
    "": (0, 1),
}


# the whole day reads the hourly presence facts; a range inside two hours, the events
@pytest.mark.parametrize("span", [{}, {"fromDate": B - 1800, "toDate": B + 3000}])
def test_viewers_per_device_and_country(clients: Store, span: dict[str, int]) -> None:
    devices = _query(60006, **span)
    assert shown.table(clients.engine, devices, None, 50, 1).headers == (
        "device",
        "unique_vod_viewers",
        "unique_combined_live_viewers",
    )
    assert _rows(clients, devices) == DEVICES
    assert _total(clients, devices) == (2, 5)
    countries = _query(60007, **span)
    table = shown.table(clients.engine, countries, None, 50, 1)
    assert table.headers[:3] == ("object_id", "country", "coordinates")
    # a country is its name on both sides (a join carries no ISO code), coordinates empty
    assert {row[0]: row[1:3] for row in table.rows}["Germany"] == ("Germany", "")
    assert {row[1]: tuple(row[-2:]) for row in table.rows} == COUNTRIES
    assert _total(clients, countries) == (2, 5)


def test_a_channel_reads_its_categorys_entries(clients: Store) -> None:
    # category 5: 1_main and 1_rec, the same viewers (1_break and 1_vid are in none)
    by_category = _query(60006, entryIdIn="", categoriesIdsIn="5")
    assert _rows(clients, by_category) == DEVICES


def test_device_and_country_filters_apply_to_room_viewers_too(clients: Store) -> None:
    assert _rows(clients, _query(60006, deviceIn="Tablet")) == {"Tablet": (0, 1)}
    assert _rows(clients, _query(60006, deviceIn="Mobile")) == {"Mobile": (1, 1)}
    assert _rows(clients, _query(60007, countryIn="France")) == {"France": (0, 1)}


def test_object_ids_are_country_names(clients: Store) -> None:
    q = kq.build(
        REPORTS[60007],
        frozenset({101}),
        {"fromDate": FROM, "toDate": TO, "entryIdIn": "1_main"},
        "Germany,Spain",
        {},
    )
    assert {row[1]: tuple(row[-2:]) for row in shown.table(clients.engine, q, None, 9, 1).rows} == {
        "Germany": (1, 2),
        "Spain": (0, 1),
    }


def test_the_panels_sort_by_live_and_recording_viewers(clients: Store) -> None:
    ask = rp.Ask(101, FROM, TO, ("1_main",))
    devices = rp.viewers_by(clients.engine, ask, rp.DEVICES, "device")
    # Computer 3; then Mobile 2; Tablet 1 and the unknown 1, the unknown last
    assert [
        (r["device"], r["unique_combined_live_viewers"], r["unique_vod_viewers"])
        for r in devices.rows
    ] == [
        ("Computer", 2, 1),
        ("Mobile", 1, 1),
        ("Tablet", 1, 0),
        (None, 1, 0),
    ]
    assert (devices.more, devices.total_count) == (0, 4)
    countries = rp.viewers_by(clients.engine, ask, rp.COUNTRIES, "country", shown=2)
    assert [r["country"] for r in countries.rows] == ["Germany", "France"]  # 3; then 1s by name
    assert (countries.more, countries.total_count) == (3, 5)


def test_another_range_has_no_rows(clients: Store) -> None:
    ask = rp.Ask(101, TO + 1, TO + 86_400, ("1_main",))
    assert rp.viewers_by(clients.engine, ask, rp.DEVICES, "device") == rp.ViewersBy(
        "device", [], 0, 0
    )


# --- any joins: each person present counts once, under their latest join's client ------------

Join = tuple[Device | None, str | None]  # what one join says: its device and country
_COUNTRY = st.from_regex(
    r"[^\x00-\x20\x7f]([^\x00-\x1f\x7f]{0,20}[^\x00-\x20\x7f])?", fullmatch=True
)
_JOIN = st.tuples(st.none() | st.sampled_from(Device), st.none() | _COUNTRY)
_PEOPLE = st.lists(st.tuples(st.lists(_JOIN, min_size=1, max_size=3), st.booleans()), max_size=4)
_rooms = itertools.count()


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(tmp_path_factory.mktemp("joins") / "store.duckdb", [], [], []) as store:
        yield store


def _latest(joins: list[Join], at: int) -> str:
    """What the latest join naming one says (joins in time order); "" when none does."""
    return next((str(j[at]) for j in reversed(joins) if j[at] is not None), "")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=_PEOPLE)
def test_each_person_present_counts_once_under_their_latest_joins_client(
    empty: Store, people: list[tuple[list[Join], bool]]
) -> None:
    room = f"h_{next(_rooms)}"  # a room of its own each example
    events: list[dict[str, Any]] = []
    for n, (joins, present) in enumerate(people):
        for i, (device, country) in enumerate(joins):
            said = {"device": device, "country": country}
            named = {k: v for k, v in said.items() if v is not None}
            events.append(ev("joinSession", f"u{n}", B + 10 * i, entry=room, **named))
        if present:
            events += beats(f"u{n}", B + 100, [ENGAGED], entry=room)
    if events:
        append_events(empty, events)
    here = [joins for joins, present in people if present]
    for report, at in ((60006, 0), (60007, 1)):
        found = shown.table(empty.engine, _query(report, entryIdIn=room), None, 50, 1)
        expected = Counter(_latest(joins, at) for joins in here)
        # the first column names the row (60007's object_id is the country's name)
        assert {row[0]: tuple(row[-2:]) for row in found.rows} == {
            name: (0, live) for name, live in expected.items()
        }
        assert _total(empty, _query(report, entryIdIn=room)) == ((0, len(here)) if here else ())
