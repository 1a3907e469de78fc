"""The custom report menu: a room's named reports as CSV for the page's range, and who may
download them."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.web.conftest import DAY, signed_in
from vantage.access import ks
from vantage.ingest.store import Store

ROOM = "/analytics/rooms/1_main"


def _lines(client: TestClient, url: str, params: dict[str, str] = DAY) -> list[str]:
    answer = client.get(url, params=params)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    return answer.text.removeprefix("\ufeff").splitlines()


def test_the_menu_and_its_files(client: TestClient, school: Store) -> None:
    signed_in(client, school)
    page = client.get(ROOM, params=DAY).text
    for title in ("Group Chat Transcripts", "Polls Activity", "Attendees Data", "RSVP"):
        assert f"download>{title}</a>" in page
    assert f'href="{ROOM}/reports/roomData.csv?preset=custom&amp;from=2026-08-03' in page
    attendees = _lines(client, ROOM + "/reports/attendeesData.csv")
    assert attendees[0].startswith("entry_id,cue_point_id,user_id,user_name")
    # the room and its breakout, as report 6001 filters by a main room; never 1_other
    assert {line.split(",")[0] for line in attendees[1:]} == {"1_main", "1_break"}
    assert "1_main,s1,alice,Alice Liddell,alice@x.edu,speaker,0.75," in "\n".join(attendees)
    polls = _lines(client, ROOM + "/reports/pollsActivity.csv")
    assert [line.split(",")[1] for line in polls[1:]] == ["poll1", "poll1", "poll2"]
    breakouts = _lines(client, ROOM + "/reports/breakoutRoomSessions.csv")
    assert breakouts[1].startswith("1_main,Biology 101,1_break,Group A,b1,")
    # the range: the day after, nothing
    after = {**DAY, "from": "2026-08-04", "to": "2026-08-04"}
    assert len(_lines(client, ROOM + "/reports/pollsActivity.csv", after)) == 1


def test_a_room_of_no_virtual_event_has_no_chat_reports(client: TestClient, school: Store) -> None:
    signed_in(client, school)
    page = client.get("/analytics/rooms/1_other", params=DAY).text
    assert "Room Data" in page and "Group Chat Transcripts" not in page
    answer = client.get("/analytics/rooms/1_other/reports/groupChatTranscripts.csv", params=DAY)
    assert answer.status_code == 404 and "no virtual event" in answer.text
    assert client.get(ROOM + "/reports/registration.csv", params=DAY).status_code == 404


@pytest.mark.parametrize(
    ("privileges", "type_", "status"),
    [
        ("virtualeventid:7", ks.USER, 200),  # the Reports Microservice's own rule
        ("sview:1_main", ks.USER, 403),  # an LMS link for one person: no transcripts
        ("categoryid:5", ks.ADMIN, 403),
    ],
)
def test_who_may_download(
    client: TestClient, school: Store, privileges: str, type_: int, status: int
) -> None:
    signed_in(client, school, privileges, type_)
    assert client.get(ROOM, params=DAY).status_code == 200
    answer = client.get(ROOM + "/reports/groupChatTranscripts.csv", params=DAY)
    assert answer.status_code == status
    page = client.get(ROOM, params=DAY).text
    assert ("Custom report" in page) == (status == 200)
