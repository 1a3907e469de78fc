"""Stage participation (vantage.analytics.session_panels' ``OnStage``) on a class worked by hand.

Partner 101, room 1_main (category 5) with breakout 1_break; B is 2026-08-03 10:00 UTC; session
s1 runs B .. B+300; every presence period is 10 seconds.

  prof   joins s1 as host; 6 periods on stage from B, then 3 off → 60 s on stage of 90 present,
         first B, last B+50; profile "Ada Lovelace"
  eve    joins s1 as participant at B, again as speaker at B+100 (her latest role); 2 periods
         off stage from B+100, 3 on from B+120 → 30 s of 50, first B+120, last B+140
  dan    4 periods in s1, never on stage → not listed
  (a role is the latest join up to the range's end, however early)
  carol  in the breakout's session b1, one period on stage at B+60; no join, so her usual
         role "assistant" → listed for the room (breakouts included), not for s1

Partner 102 has a room with the same ids, where eve is on stage for a minute; none of it shows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.analytics.conftest import ENGAGED, FROM, TO, B, beats, ev, open_store
from vantage.analytics import run
from vantage.analytics.period import Period
from vantage.analytics.session_panels import OnStage, PanelQuery
from vantage.ingest.store import Store

STAGE = {**ENGAGED, "onStage": True}

EVENTS = [
    ev("sessionStarted", "prof", B),
    ev("sessionEnded", "prof", B + 300),
    ev("joinSession", "prof", B, role="host"),
    *beats("prof", B, [STAGE] * 6 + [ENGAGED] * 3),
    ev("joinSession", "eve", B, role="participant"),
    ev("joinSession", "eve", B + 100, role="speaker"),
    *beats("eve", B + 100, [ENGAGED] * 2 + [STAGE] * 3),
    *beats("dan", B, [ENGAGED] * 4),
    *beats("carol", B + 60, [STAGE], "b1", "1_break"),
    *(ev("viewPeriod", "eve", B + 10 * i, partner=102, **STAGE) for i in range(6)),
]
ENTRIES = [
    {"partnerId": 101, "id": "1_main", "name": "Biology", "kind": "room", "categoryIds": [5]},
    {"partnerId": 101, "id": "1_break", "name": "A", "kind": "room", "parentEntryId": "1_main"},
    {"partnerId": 102, "id": "1_main", "name": "Elsewhere", "kind": "room"},
]
USERS = [
    {"partnerId": 101, "id": "prof", "firstName": "Ada", "lastName": "Lovelace", "role": "lead"},
    {"partnerId": 101, "id": "eve"},
    {"partnerId": 101, "id": "dan"},
    {"partnerId": 101, "id": "carol", "role": "assistant"},
    {"partnerId": 102, "id": "eve", "firstName": "Other"},
]
PROF = OnStage("prof", "Ada Lovelace", "host", 60.0, 90.0, B, B + 50)
EVE = OnStage("eve", None, "speaker", 30.0, 50.0, B + 120, B + 140)
CAROL = OnStage("carol", None, "assistant", 10.0, 10.0, B + 60, B + 60)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("stage") / "store.duckdb"
    with open_store(path, ENTRIES, USERS, EVENTS) as s:
        yield s


def query(session: str | None = None, partner: int = 101) -> PanelQuery:
    return PanelQuery(frozenset({partner}), Period(FROM, TO), "1_main", session)


def test_a_session_lists_who_was_on_stage_most_first(store: Store) -> None:
    assert run.on_stage(store.engine, query("s1")) == [PROF, EVE]
    assert PROF.share == pytest.approx(2 / 3)
    assert EVE.share == pytest.approx(0.6)


def test_the_room_reads_its_breakouts(store: Store) -> None:
    assert run.on_stage(store.engine, query()) == [PROF, EVE, CAROL]


def test_the_range_cuts_presence(store: Store) -> None:
    # from B+30: prof's last 3 stage periods (B+30, B+40, B+50) and his 3 off stage; a tie
    # with eve's 30 s, broken by user id; his role is still the one he joined with before
    q = PanelQuery(frozenset({101}), Period(B + 30, TO), "1_main", "s1")
    prof = OnStage("prof", "Ada Lovelace", "host", 30.0, 60.0, B + 30, B + 50)
    assert run.on_stage(store.engine, q) == [EVE, prof]


def test_a_category_reads_its_rooms_and_their_breakouts(store: Store) -> None:
    q = PanelQuery(frozenset({101}), Period(FROM, TO), category_id=5)
    assert run.on_stage(store.engine, q) == [PROF, EVE, CAROL]
    elsewhere = PanelQuery(frozenset({101}), Period(FROM, TO), category_id=6)
    assert run.on_stage(store.engine, elsewhere) == []


def test_another_partner_sees_only_its_own(store: Store) -> None:
    assert run.on_stage(store.engine, query("s1", 102)) == [
        OnStage("eve", "Other", None, 60.0, 60.0, B, B + 50)
    ]


def test_an_empty_range_lists_nobody(store: Store) -> None:
    q = PanelQuery(frozenset({101}), Period(B, B), "1_main", "s1")
    assert run.on_stage(store.engine, q) == []
