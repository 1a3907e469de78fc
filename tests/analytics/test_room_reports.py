"""Room reports against the hand-worked school of conftest.py, compared as whole CSV files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.analytics.conftest import (
    ATTENDEES_CSV,
    ENGAGED,
    ENTRIES,
    FROM,
    TO,
    USERS,
    B,
    beats,
    ev,
    open_store,
    room_rows,
)
from tests.analytics.test_formulas import PLAY, VIEW, beacon, send
from vantage.entities import repository
from vantage.entities.model import KINDS
from vantage.ingest.store import Store
from vantage.kaltura.report_csv import csv_chunks, kept_columns
from vantage.kaltura.string_params import ParamError

RANGE = f"from_date={FROM};to_date={TO}"


def csv(
    store: Store,
    report_id: int,
    params: str = RANGE,
    excluded: str = "",
    partners: frozenset[int] = frozenset({101}),
) -> str:
    rows = room_rows(store.engine, report_id, params, partners)
    body = b"".join(csv_chunks(rows.headers, rows.batches, kept_columns(rows.headers, excluded)))
    assert body.startswith(b"\xef\xbb\xbf")
    return body[3:].decode()


def test_6000_room_data(school: Store) -> None:
    assert csv(school, 6000) == (
        "entry_id,entry_name,parent_entry_id,cue_point_id,session_start_time,session_end_time,"
        "session_host_user_id,meeting_view_period_unique_users,meeting_engaged_play_time_ratio\n"
        f"1_main,Biology 101,,s1,{B},{B + 600},prof,3,0.77777777777778\n"
        f"1_break,Group A,1_main,b1,{B + 100},{B + 250},alice,2,0.75\n"
        f"1_other,Chemistry,,s2,{B + 2000},{B + 2100},prof,0,\n"
    )


def test_6000_filters(school: Store) -> None:
    def rooms(params: str) -> list[str]:
        lines = csv(school, 6000, f"{RANGE};{params}").splitlines()[1:]
        return [line.split(",")[3] for line in lines]

    assert rooms("entry_ids=1_main") == ["s1", "b1"]  # a main room brings its breakouts
    assert rooms("entry_ids=1_break,1_other") == ["b1", "s2"]
    assert rooms("virtual_event_ids=7") == ["s1", "b1"]  # breakouts inherit the event
    assert rooms("virtual_event_ids=8") == []


def test_6001_attendees(school: Store) -> None:
    assert csv(school, 6001) == ATTENDEES_CSV


def test_6001_filters_and_excluded_fields(school: Store) -> None:
    assert csv(school, 6001, f"{RANGE};user_ids=bob", excluded="user_name,user_email") == (
        "entry_id,cue_point_id,user_id,user_type,meeting_view_time,meeting_engaged_play_time_ratio\n"
        "1_main,s1,bob,participant,0.5,0.33333333333333\n"
    )
    lines = csv(school, 6001, f"fromDate={FROM};toDate={TO};cue_point_ids=b1").splitlines()
    assert [line.split(",")[2] for line in lines[1:]] == ["alice", "carol"]


def test_6002_breakout_sessions(school: Store) -> None:
    expected = (
        "parent_entry_id,parent_entry_name,breakout_entry_id,breakout_entry_name,cue_point_id,"
        "session_initiator,session_start_time,session_end_time,duration,participant_count,"
        "engagement_rate\n"
        f"1_main,Biology 101,1_break,Group A,b1,Alice Liddell,{B + 100},{B + 250},150,2,0.75\n"
    )
    assert csv(school, 6002) == expected
    assert csv(school, 6002, f"{RANGE};parentEntryIds=1_main") == expected
    assert csv(school, 6002, f"{RANGE};parentEntryIds=1_other").count("\n") == 1


def test_4021_user_reactions(school: Store) -> None:
    assert csv(school, 4021) == (
        "email,combined_live_engaged_users_play_time_ratio,download_attachment,add_to_calendar,"
        "raise_hand,mic_on,cam_on,clap_clicked_count,heart_clicked_count,think_clicked_count,"
        "wow_clicked_count,smile_clicked_count,total_reactions_activity,answered_polls,"
        "messages_sent_group,qna_threads\n"
        "alice@x.edu,0.84615384615385,2,1,1,1,0,2,1,0,0,0,3,2,2,1\n"
        "bob@x.edu,0.33333333333333,0,1,0,0,2,0,0,0,1,0,1,0,0,1\n"
        "carol,0.5,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
        "prof@x.edu,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
    )


def test_enriched_reports(school: Store) -> None:
    assert csv(school, 3006) == (
        "entry_id,user_id,email,count_add_to_calendar_clicked,first_name,last_name,company\n"
        "1_main,alice,alice@x.edu,1,Alice,Liddell,Oxford\n"
        "1_other,bob,bob@x.edu,1,Bob,Builder,\n"
    )
    day = "20260803"
    assert csv(school, 3006, f"from_date_id={day};to_date_id={day};entries_ids=1_other") == (
        "entry_id,user_id,email,count_add_to_calendar_clicked,first_name,last_name,company\n"
        "1_other,bob,bob@x.edu,1,Bob,Builder,\n"
    )
    # the attachment title's comma becomes a space, as Kaltura writes it
    assert csv(school, 3008).splitlines()[1] == (
        "alice,alice@x.edu,1_main,att1,Slides  week 1,2,Alice,Liddell,Oxford"
    )
    assert csv(school, 3009, f"{RANGE};user_ids=alice").splitlines()[1:] == [
        "alice,alice@x.edu,1_break,b1,Group A,0.33333333333333",
        "alice,alice@x.edu,1_main,s1,Biology 101,0.75",
    ]
    assert csv(school, 3010, f"{RANGE};user_id=alice") == (
        "Date,Entry Id,Session Id,Entry Name,VOD Duration (min),View Time (min)\n"
        "2026-08-03,1_break,b1,Group A,,0.33333333333333\n"
        "2026-08-03,1_main,s1,Biology 101,,0.75\n"
    )


def test_day_ids_follow_the_time_zone(school: Store) -> None:
    def sessions(day: str, offset: int) -> list[str]:
        text = csv(school, 6000, f"from_date_id={day};to_date_id={day};timezone_offset={offset}")
        return [line.split(",")[3] for line in text.splitlines()[1:]]

    assert sessions("20260803", 0) == ["s1", "b1", "s2"]
    # In UTC+14 (offset -840) the local 3 August ended at B, when s1 began.
    assert sessions("20260803", -840) == []
    assert sessions("20260804", -840) == ["s1", "b1", "s2"]
    # In UTC-10 the local 2 August ended at B as well.
    assert sessions("20260802", 600) == []


def test_partner_isolation(school: Store) -> None:
    assert "alice@elsewhere.org" not in csv(school, 4021)
    other = csv(school, 6001, partners=frozenset({102}))
    assert other.splitlines()[1:] == ["2_room,s1,alice,Other,alice@elsewhere.org,,0.5,1"]


@pytest.mark.parametrize(
    ("report_id", "params", "name"),
    [
        (6000, "to_date=5", "from_date"),
        (6000, "from_date=yesterday;to_date=5", "from_date"),
        (3010, RANGE, "user_id"),
        (6002, f"{RANGE};user_ids=alice", "user_ids"),
        (3006, "from_date_id=2026-08-03;to_date_id=20260803", "from_date_id"),
    ],
)
def test_param_errors_name_the_param(school: Store, report_id: int, params: str, name: str) -> None:
    with pytest.raises(ParamError) as info:
        room_rows(school.engine, report_id, params, frozenset({101}))
    assert info.value.name == name



HOSTILE_ROOM = '=HYPERLINK("http://evil.example/"; "open")'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A room and a person whose names and e-mail are spreadsheet formulas."""
    entries = [{"partnerId": 101, "id": "1_h", "name": HOSTILE_ROOM, "kind": "room"}]
    users = [
        {"partnerId": 101, "id": "-u", "firstName": "=1+1", "email": "@SUM(1)", "role": "+host"}
    ]
    room_events = [
        ev("sessionStarted", "-u", B, "-s", "1_h"),
        *beats("-u", B, [ENGAGED], "-s", "1_h"),
        ev("sessionEnded", "-u", B + 10, "-s", "1_h"),
    ]
    path = tmp_path_factory.mktemp("hostile") / "store.duckdb"
    with open_store(path, entries, users, room_events) as store:
        yield store


@pytest.mark.parametrize("report_id", [6000, 6001, 6002, 4021, 3006, 3007, 3008, 3009, 3010])
def test_no_cell_is_a_live_formula(hostile: Store, report_id: int) -> None:
    params = f"{RANGE};user_id=-u" if report_id == 3010 else RANGE
    for line in csv(hostile, report_id, params).splitlines():
        for cell in line.split(","):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (report_id, cell)


def test_formula_text_is_shown_as_written(hostile: Store) -> None:
    attendee = csv(hostile, 6001).splitlines()[1]
    assert attendee == "1_h,'-s,'-u,'=1+1,'@SUM(1),'+host,0.16666666666667,1"
    room = csv(hostile, 6000).splitlines()[1].split(",")[:2]
    assert room == ["1_h", "'" + HOSTILE_ROOM]


@pytest.fixture(scope="module")
def fractional(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Breakout b1 of 1_break (main room 1_main) from B+100.6 to B+250.4: rounding would print
    B+101 and B+250 and a duration of round(149.8) = 150, which is not 250 − 101. Alice is
    present 10 s; carol joins but is never present."""
    room_events = [
        ev("sessionStarted", "alice", B + 100.6, "b1", "1_break"),
        ev("viewPeriod", "alice", B + 110.9, "b1", "1_break", **ENGAGED),
        ev("joinSession", "carol", B + 120, "b1", "1_break"),
        ev("sessionEnded", "alice", B + 250.4, "b1", "1_break"),
    ]
    path = tmp_path_factory.mktemp("fractional") / "store.duckdb"
    with open_store(path, ENTRIES, USERS, room_events) as store:
        yield store


def test_times_drop_their_fraction_and_durations_add_up(fractional: Store) -> None:
    room = csv(fractional, 6000).splitlines()[1].split(",")
    assert room[3:6] == ["b1", str(B + 100), str(B + 250)]
    breakout = csv(fractional, 6002).splitlines()[1].split(",")
    assert breakout[4:9] == ["b1", "Alice Liddell", str(B + 100), str(B + 250), "150"]


def test_report_times_are_the_admin_apis(fractional: Store) -> None:
    session = repository.get(fractional.engine, KINDS["sessions"], (101, "b1"))
    assert session is not None
    assert (session["startTime"], session["endTime"]) == (B + 100, B + 250)


def test_a_person_never_present_was_present_0_minutes(fractional: Store) -> None:
    assert csv(fractional, 6001).splitlines()[1:] == [
        "1_break,b1,alice,Alice Liddell,alice@x.edu,student,0.16666666666667,1",
        "1_break,b1,carol,,,participant,0,",  # no presence: no engagement ratio
    ]
    viewership = csv(fractional, 3007, f"{RANGE};user_ids=carol").splitlines()[1].split(",")
    assert viewership[5:7] == ["0", "1"]  # view_time, play


LECTURE_ENTRIES: list[dict[str, Any]] = [
    {**ENTRIES[0], "categoryIds": [10]},  # 1_main; its breakout 1_break is in 10 through it
    ENTRIES[1],
    *(
        {"partnerId": 101, "id": i, "name": n, "kind": k, "mediaType": t, "categoryIds": [c]}
        for i, n, k, t, c in (
            ("1_vid", "Lecture 1", "video", 1, 10),
            ("1_aud", "Podcast", "audio", 5, 20),
            ("1_web", "Town hall", "webcast", 201, 10),
        )
    ),
]


def _play(
    store: Store, entry: str, user: str | None, at: int, views: int, live: bool = False
) -> None:
    """A play of ``entry`` and ``views`` view beacons 10 s apart, each 10 s of playback."""
    session, playback = f"{entry}-{user}-{at}", "live" if live else "vod"
    send(store, at, beacon(PLAY, session, entry, user, playback=playback))
    for i in range(1, views + 1):
        view = beacon(VIEW, session, entry, user, playback=playback, playTimeSum=10 * i)
        send(store, at + 10 * i, view)


@pytest.fixture(scope="module")
def lectures(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Rooms and media in categories 10 and 20, watched in rooms and in players:
    alice  1_main room: joins, 2 × 10 s present              → 0.33333333333333 min, 1 play
           1_vid video: 1 play, 3 views                     → 0.5 min, 1 play
           1_web webcast: 1 live play, 2 views (20 s) and
                  in its room 1 join, 1 × 10 s present      → 30 s = 0.5 min, 2 plays
    bob    1_aud audio (category 20): 1 play, 1 view         → 0.16666666666667 min, 1 play
    carol  1_break breakout of 1_main: joins, 10 s present  → 0.16666666666667 min, 1 play
    Not counted: an anonymous play of 1_vid, and alice's play of 1_vid three days before."""
    room_events = [
        ev("joinSession", "alice", B),
        *beats("alice", B, [ENGAGED] * 2),
        ev("joinSession", "carol", B, "b1", "1_break"),
        *beats("carol", B, [ENGAGED], "b1", "1_break"),
        ev("joinSession", "alice", B, "w1", "1_web"),
        *beats("alice", B, [ENGAGED], "w1", "1_web"),
    ]
    path = tmp_path_factory.mktemp("lectures") / "store.duckdb"
    with open_store(path, LECTURE_ENTRIES, USERS, room_events) as store:
        _play(store, "1_vid", "alice", B + 100, 3)
        _play(store, "1_web", "alice", B + 200, 2, live=True)
        _play(store, "1_aud", "bob", B + 300, 1)
        _play(store, "1_vid", None, B + 400, 1)
        _play(store, "1_vid", "alice", B - 3 * 86_400, 5)
        yield store


VIEWERSHIP = {
    "1_aud": "bob,bob@x.edu,1_aud,Podcast,5,0.16666666666667,1,Bob,Builder,",
    "1_break": "carol,,1_break,Group A,,0.16666666666667,1,,,",
    "1_main": "alice,alice@x.edu,1_main,Biology 101,,0.33333333333333,1,Alice,Liddell,Oxford",
    "1_vid": "alice,alice@x.edu,1_vid,Lecture 1,1,0.5,1,Alice,Liddell,Oxford",
    "1_web": "alice,alice@x.edu,1_web,Town hall,201,0.5,2,Alice,Liddell,Oxford",
}


def test_3007_adds_player_views_to_rooms(lectures: Store) -> None:
    assert csv(lectures, 3007) == (
        "user_id,email,entry_id,entry_name,media_type,view_time,play,first_name,last_name,"
        "company\n" + "".join(f"{row}\n" for row in VIEWERSHIP.values())
    )
    assert csv(lectures, 3007, partners=frozenset({102})).count("\n") == 1  # the header only


@pytest.mark.parametrize(
    ("params", "entries"),
    [
        ("cat_ids=10", ["1_break", "1_main", "1_vid", "1_web"]),  # the seed's course category
        ("cat_ids=20", ["1_aud"]),
        ("categoriesIdsIn=20,10", ["1_aud", "1_break", "1_main", "1_vid", "1_web"]),
        ("cat_ids=30", []),
        ("cat_ids=10;user_ids=carol", ["1_break"]),
        ("entry_ids=1_main", ["1_break", "1_main"]),
        ("entry_ids=1_vid,1_aud", ["1_aud", "1_vid"]),
        ("user_ids=bob", ["1_aud"]),
        ("virtual_event_ids=7", ["1_break", "1_main"]),  # 1_main's event, and its breakout's
    ],
)
def test_3007_filters_rooms_and_player_views_alike(
    lectures: Store, params: str, entries: list[str]
) -> None:
    lines = csv(lectures, 3007, f"{RANGE};{params}").splitlines()[1:]
    assert lines == [VIEWERSHIP[e] for e in entries]


def test_category_ids_are_numbers(lectures: Store) -> None:
    with pytest.raises(ParamError) as info:
        room_rows(lectures.engine, 3007, f"{RANGE};cat_ids=10,math", frozenset({101}))
    assert info.value.name == "cat_ids"
