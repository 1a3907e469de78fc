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


CHANNEL = "/analytics/categories/5"  # 1_main (virtual event 7) and, with it, its breakout


def test_the_channel_menu_and_its_files(client: TestClient, school: Store) -> None:
    signed_in(client, school)
    page = client.get(CHANNEL, params=DAY).text
    for title in ("Group Chat Transcripts", "Polls Activity", "Breakout Room Sessions", "RSVP"):
        assert f"download>{title}</a>" in page
    assert f'href="{CHANNEL}/reports/roomData.csv?preset=custom&amp;from=2026-08-03' in page
    answer = client.get(CHANNEL + "/reports/attendeesData.csv", params=DAY)
    assert 'filename="attendeesData-category-5.csv"' in answer.headers["content-disposition"]
    attendees = _lines(client, CHANNEL + "/reports/attendeesData.csv")
    # the category's room and its breakout (in its main room's category); never 1_other
    assert {line.split(",")[0] for line in attendees[1:]} == {"1_main", "1_break"}
    assert "1_main,s1,alice,Alice Liddell,alice@x.edu,speaker,0.75," in "\n".join(attendees)
    polls = _lines(client, CHANNEL + "/reports/pollsActivity.csv")
    assert [line.split(",")[1] for line in polls[1:]] == ["poll1", "poll1", "poll2"]
    breakouts = _lines(client, CHANNEL + "/reports/breakoutRoomSessions.csv")
    assert len(breakouts) == 2 and breakouts[1].startswith("1_main,Biology 101,1_break,Group A,b1,")
    # its only room's reports: the channel's files are the room's, line for line
    for name in ("groupChatTranscripts", "chatUserActivity", "roomData", "attendeesData"):
        channel = _lines(client, f"{CHANNEL}/reports/{name}.csv")
        assert len(channel) > 1 and channel == _lines(client, f"{ROOM}/reports/{name}.csv")


def test_a_channel_of_no_virtual_event_has_no_chat_reports(
    client: TestClient, school: Store
) -> None:
    signed_in(client, school)
    chemistry = "/analytics/categories/6"  # 1_other alone, of no virtual event
    page = client.get(chemistry, params=DAY).text
    assert "Room Data" in page and "Group Chat Transcripts" not in page
    answer = client.get(chemistry + "/reports/groupChatTranscripts.csv", params=DAY)
    assert answer.status_code == 404 and "no room of this channel" in answer.text.lower()
    rooms = _lines(client, chemistry + "/reports/roomData.csv")
    assert [line.split(",")[:2] for line in rooms[1:]] == [["1_other", "Chemistry"]]  # s2


@pytest.mark.parametrize(
    ("privileges", "type_", "url", "status"),
    [
        ("categoryid:5", ks.ADMIN, CHANNEL, 403),  # its page, but no menu: an LMS link
        ("sview:1_main", ks.USER, CHANNEL, 403),  # not its channel's page at all
        ("virtualeventid:7", ks.USER, CHANNEL, 403),
        ("", ks.ADMIN, "/analytics/categories/77", 404),  # no such category
        ("", ks.ADMIN, "/analytics/categories/9", 404),  # another partner's
        ("", ks.ADMIN, "/analytics/categories/x5", 404),
    ],
)
def test_who_may_download_a_channels_reports(
    client: TestClient, school: Store, privileges: str, type_: int, url: str, status: int
) -> None:
    signed_in(client, school, privileges, type_)
    answer = client.get(url + "/reports/pollsActivity.csv", params=DAY)
    assert answer.status_code == status
    assert "poll1" not in answer.text
    if privileges == "categoryid:5":
        page = client.get(CHANNEL, params=DAY)
        assert page.status_code == 200 and "Custom report" not in page.text


def test_a_channel_has_only_the_menus_reports(client: TestClient, school: Store) -> None:
    signed_in(client, school)
    for name in ("registration", "attachment", "nothing", "6001"):
        answer = client.get(f"{CHANNEL}/reports/{name}.csv", params=DAY)
        assert answer.status_code == 404, name
