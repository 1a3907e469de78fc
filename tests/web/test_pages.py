"""The room and category pages, their panels and JSON twins, on the hand-worked school
(tests/web/conftest.py): numbers by hand, and the same numbers as the Kaltura API's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.analytics.conftest import B
from tests.web.conftest import DAY, make_ks, signed_in
from vantage.ingest.store import Store
from vantage.web.panels import PANELS

ROOM = "/analytics/rooms/1_main"


@pytest.fixture(autouse=True)
def admin(client: TestClient, school: Store) -> None:
    signed_in(client, school)


def test_the_room_page_frame(client: TestClient) -> None:
    page = client.get(ROOM, params={**DAY, "tz": "Europe/Paris"})
    assert page.status_code == 200
    html = page.text
    assert "<h1>Biology 101</h1>" in html
    # the session picker, in the chosen zone (s1 is 10:00–10:10 UTC: 12:00 in Paris in August)
    assert "2026-08-03, 12:00–12:10 (Europe/Paris), 10 min 00 s" in html
    for preset in ("7", "30", "120", "365"):
        assert f'<option value="{preset}">Last {preset} days</option>' in html
    # each panel is a fragment htmx loads, in the registry's order; none is left "coming"
    loaded = re.findall(r'hx-get="/analytics/rooms/1_main/panels/(\w+)\?preset=custom', html)
    assert loaded == list(PANELS)
    assert "Coming" not in html
    assert 'href="/analytics/rooms/1_main.json?preset=custom&amp;from=2026-08-03' in html
    assert page.cookies.get("vantage_tz", "").strip('"') == "Europe/Paris"  # remembered


def test_the_room_page_twin(client: TestClient) -> None:
    frame = client.get(ROOM + ".json", params={**DAY, "tz": "Europe/Paris"}).json()
    assert (frame["name"], frame["time_zone"], frame["from"], frame["to"]) == (
        "Biology 101",
        "Europe/Paris",
        "2026-08-03",
        "2026-08-03",
    )
    assert frame["end"] - frame["start"] == 86_400 - 1  # a whole Paris day
    s1 = frame["sessions"][0]
    assert (s1["id"], s1["start_local"], s1["end_local"], s1["duration_seconds"]) == (
        "s1",
        "12:00",
        "12:10",
        600,
    )
    assert set(frame["panels"]) == {
        "overview",
        "engagement",
        "stage",
        "timeline",
        "interactions",
        "recordings",
        "countries",
        "devices",
    }
    assert frame["panels"]["overview"].startswith(ROOM + "/panels/overview.json?")


def test_a_remembered_zone_is_used(client: TestClient) -> None:
    client.get(ROOM + ".json", params={**DAY, "tz": "Asia/Tokyo"})
    without = {k: v for k, v in DAY.items() if k != "tz"}
    assert client.get(ROOM + ".json", params=without).json()["time_zone"] == "Asia/Tokyo"


def test_the_overview_fragment(client: TestClient) -> None:
    html = client.get(ROOM + "/panels/overview", params=DAY).text
    assert '<span class="value">3</span> unique viewers' in html
    assert '<span class="value">0.8 min</span> average minutes viewed' in html  # 2.25 / 3
    assert '<span class="value">77.8%</span> average live engagement rate' in html  # 105 / 135
    assert "66.7%</span> Reactions" in html and "of 3 unique viewers · 4 reactions sent" in html
    assert "33.3%</span> Group chat" in html and "of 3 logged-in users · 2 messages" in html
    assert "33.3%</span> Polls" in html
    assert "66.7%</span> Q&amp;A" in html and "2 threads" in html
    assert (
        "33.3%</span> Attachment downloads" in html and "of 3 unique viewers · 2 downloads" in html
    )


def test_a_session_narrows_the_range(client: TestClient) -> None:
    twin = client.get(ROOM + "/panels/overview.json", params={**DAY, "session": "s1"}).json()
    assert (twin["frame"]["session"], twin["frame"]["end"] - twin["frame"]["start"]) == ("s1", 600)
    assert twin["unique_viewers"] == 3
    assert client.get(ROOM + ".json", params={**DAY, "session": "nope"}).status_code == 404


def test_the_engagement_fragment(client: TestClient) -> None:
    html = client.get(ROOM + "/panels/engagement", params=DAY).text
    rows = html[html.index("<tbody>") : html.index("</tbody>")]
    assert rows.index("Pat Professor") < rows.index("Alice Liddell") < rows.index("Bob Builder")
    assert "Company: Oxford" in rows and "Role: student" in rows  # Alice's card
    # under her row: her Q&A threads, downloads and raised hands
    assert "Q&amp;A threads 1 · attachment downloads 2 · raised hands 1" in rows
    # Alice: 0.75 min, 3 reactions, 2 messages, 3 poll answers, a raised hand, 35/45 engaged
    alice = rows[rows.index("Alice Liddell") :]
    cells = [c.split("<")[0] for c in alice.split("<td>")[1:7]]
    assert cells == ["0.8", "3", "2", "3", "1", "77.8%"]
    total = html[html.index("<tfoot>") :]
    assert [c.split("<")[0] for c in total.split("<td>")[2:8]] == [
        "2.2",  # 2.25 rounded half to even
        "4",
        "2",
        "3",
        "1",
        "77.8%",
    ]


def test_heatmaps_come_with_a_session(client: TestClient) -> None:
    url = ROOM + "/panels/engagement"
    assert client.get(url + ".json", params=DAY).json()["heatmaps"] is None
    html = client.get(url, params=DAY).text
    assert "Pick a session to see each person's engagement minute by minute." in html
    twin = client.get(url + ".json", params={**DAY, "session": "s1"}).json()
    e, o = "engaged", "offline"
    # s1's ten minutes (its stored start to end), by Kaltura's heatmap rule: prof's tab focused
    # with sound on in minute 0; alice so at B+10 and B+30, and on stage in minute 5; bob's
    # tab unfocused (sound on) in his three periods, but his camera on in one
    assert twin["heatmap_step"] == 60
    assert twin["heatmaps"] == {
        "prof": [e] + [o] * 9,
        "alice": [e, o, o, o, o, e, o, o, o, o],
        "bob": [e] + [o] * 9,
    }
    html = client.get(url, params={**DAY, "session": "s1"}).text
    assert 'aria-label="Alice Liddell: engaged 2, not engaged 0, offline 8 of 10 minutes"' in html
    # one rectangle a run of one state: prof 2, alice 4 (her two engaged minutes apart), bob 2
    assert html.count('<rect x="') == 8
    assert '<rect x="5" width="1" height="1" class="engaged"/><rect x="6" width="4"' in html
    assert "Under each person, the session minute by minute:" in html


def test_the_timeline_of_a_session(client: TestClient) -> None:
    url = ROOM + "/panels/timeline"
    without = client.get(url + ".json", params=DAY).json()
    assert (without["step"], without["points"]) == (None, None)
    assert "Pick a session" in client.get(url, params=DAY).text
    twin = client.get(url + ".json", params={**DAY, "session": "s1", "tz": "Europe/Paris"}).json()
    assert twin["step"] == 60
    points = twin["points"]
    assert [p["start"] - points[0]["start"] for p in points] == [60 * i for i in range(10)]
    # seconds present and engaged by the meeting rule (an unfocused tab is engaged with the
    # camera on or on stage): minute 0 prof 60 / 60, alice 25 / 15 (10 + 5 engaged, 10 idle),
    # bob 30 / 10 (the camera on in one period); minute 5 alice on stage 20 / 20
    assert [(p["viewers"], p["present_seconds"], p["engaged_seconds"]) for p in points] == [
        (3, 115.0, 85.0),
        *[(0, 0.0, 0.0)] * 4,
        (1, 20.0, 20.0),
        *[(0, 0.0, 0.0)] * 4,
    ]
    assert [p["rate"] for p in points] == [
        pytest.approx(85 / 115),
        *[None] * 4,
        1.0,
        *[None] * 4,
    ]
    html = client.get(url, params={**DAY, "session": "s1", "tz": "Europe/Paris"}).text
    assert "<title>12:00 (Europe/Paris): 3 viewers, engagement rate 73.9%</title>" in html
    assert "<title>12:01 (Europe/Paris): 0 viewers, engagement rate –</title>" in html
    assert "a point every 1 minute of the session;" in html
    # the rate's line breaks where nobody was there to divide by: two runs, not one through 0
    assert html.count('class="line-rate"') == 2
    assert "<tr><td>12:00</td><td>3</td><td>115.0</td><td>85.0</td><td>73.9%</td></tr>" in html
    assert "<tr><td>12:05</td><td>1</td><td>20.0</td><td>20.0</td><td>100.0%</td></tr>" in html


def test_the_engagement_table_sorts_pages_and_searches(client: TestClient) -> None:
    url = ROOM + "/panels/engagement.json"
    page2 = client.get(url, params={**DAY, "size": "10", "page": "1", "order": "+live_view_time"})
    assert [r["user_id"] for r in page2.json()["rows"]] == ["bob", "alice", "prof"]
    found = client.get(url, params={**DAY, "search": "Lid"}).json()
    assert [r["user_id"] for r in found["rows"]] == ["alice"] and found["search"] == "Lid"
    short = client.get(url, params={**DAY, "search": "Li"}).json()
    assert short["total_count"] == 3 and short["search"] == ""
    html = client.get(ROOM + "/panels/engagement", params={**DAY, "search": "zzz"}).text
    assert "No viewers named like “zzz” in this range." in html


def test_the_category_page(client: TestClient) -> None:
    page = client.get("/analytics/categories/5", params=DAY)
    assert page.status_code == 200 and "<h1>Biology</h1>" in page.text
    assert 'name="session"' not in page.text  # a channel has no session picker
    twin = client.get("/analytics/categories/5/panels/overview.json", params=DAY).json()
    assert twin["unique_viewers"] == 3  # 1_main is its only room
    frame = client.get("/analytics/categories/5.json", params=DAY).json()
    assert set(frame["panels"]) == {
        "overview",
        "engagement",
        "stage",
        "interactions",
        "recordings",
        "countries",
        "devices",
    }
    # the timeline is a session's, and a channel has no session picker
    assert client.get("/analytics/categories/5/panels/timeline", params=DAY).status_code == 404


def test_the_category_interactions_show_each_polls_room(client: TestClient) -> None:
    url = "/analytics/categories/5/panels/interactions"
    twin = client.get(url + ".json", params=DAY).json()["interactions"]
    # 1_main's two polls (its page's numbers), each launched in 1_main "Biology 101"
    assert [(i["poll_id"], i["participants"], i["entry_id"], i["entry_name"]) for i in twin] == [
        ("poll1", 1, "1_main", "Biology 101"),
        ("poll2", 1, "1_main", "Biology 101"),
    ]
    room = client.get(ROOM + "/panels/interactions.json", params=DAY).json()["interactions"]
    assert twin == room
    html = client.get(url, params=DAY).text
    assert "launched 2026-08-03 10:00 (UTC) in Biology 101</summary>" in html
    assert " in Biology 101" not in client.get(ROOM + "/panels/interactions", params=DAY).text


def test_the_interactions_fragment(client: TestClient) -> None:
    html = client.get(ROOM + "/panels/interactions", params=DAY).text
    quiz = html[html.index("2 + 2?") : html.index("Ready?")]
    # alice answered 4 (right) and then 5: her latest answer, 5, is the one that counts
    assert "quiz · 1 participant · 0.0% right · launched 2026-08-03 10:00 (UTC)" in quiz
    assert "The correct answer: 4." in quiz
    assert "<td>4</td><td>0</td>" in quiz and "<td>5</td><td>1</td>" in quiz
    assert quiz.count("0.0%") == 3 and quiz.count("100.0%") == 1  # right, 4's rate; 5's rate
    assert "✓ correct" in quiz and "✗" in quiz
    assert "<td>yes</td><td>1</td>" in html[html.index("Ready?") :]
    twin = client.get(ROOM + "/panels/interactions.json", params=DAY).json()
    found = twin["interactions"]
    assert [(i["poll_id"], i["type"], i["participants"], i["correct_share"]) for i in found] == [
        ("poll1", "quiz", 1, 0.0),
        ("poll2", "poll", 1, None),
    ]
    assert found[0]["answers"] == [
        {"answer": "4", "participants": 0, "rate": 0.0, "correct": True},
        {"answer": "5", "participants": 1, "rate": 1.0, "correct": False},
    ]
    assert found[1]["answers"] == [
        {"answer": "yes", "participants": 1, "rate": 1.0, "correct": None}
    ]


def _kaltura(client: TestClient, token: str, action: str, report: int, **extra: str) -> Any:
    data = {
        "format": "1",
        "ks": token,
        "reportType": str(report),
        "reportInputFilter[objectType]": "KalturaReportInputFilter",
        "reportInputFilter[fromDate]": "1785715200",  # 2026-08-03 00:00 UTC
        "reportInputFilter[toDate]": "1785801599",
        "reportInputFilter[entryIdIn]": "1_main",
        **extra,
    }
    data = {k: v for k, v in data.items() if v}  # an empty value: that filter left out
    answer = client.post(f"/api_v3/service/report/action/{action}", data=data)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "code" not in body, body  # Kaltura answers its exceptions with 200 too
    return body


def _numbers(header: str, data: str) -> dict[str, float]:
    return dict(zip(header.split(","), (float(v) for v in data.split(",")), strict=True))


def test_the_overview_twin_equals_the_kaltura_api(client: TestClient, school: Store) -> None:
    twin = client.get(ROOM + "/panels/overview.json", params=DAY).json()
    token = make_ks(school)
    highlights = _kaltura(client, token, "getTotal", 60001)
    h = _numbers(highlights["header"], highlights["data"])
    assert twin["avg_minutes_viewed"] == pytest.approx(h["vod_live_avg_view_time"])
    engagement = _kaltura(client, token, "getTotal", 60010)
    e = _numbers(engagement["header"], engagement["data"])
    assert twin["avg_live_engagement_rate"] == pytest.approx(
        e["combined_live_engaged_users_play_time_ratio"]
    )
    tiles = {t["name"]: t for t in twin["participation"]}
    assert tiles["reactions"]["count"] == e["count_reaction_clicked"]
    assert tiles["group_chat"]["count"] == e["count_group_chat_messages_sent"]
    assert tiles["qna"]["count"] == e["count_q_and_a_threads"]
    assert tiles["downloads"]["count"] == e["count_download_attachment_clicked"]
    # the shares' numerators: rows of 60010's table whose column is above 0
    table = _kaltura(client, token, "getTable", 60010, **{"pager[pageSize]": "500"})
    header = table["header"].split(",")
    rows = [
        dict(zip(header, line.split(","), strict=True)) for line in table["data"].split(";") if line
    ]
    assert twin["logged_in_users"] == len(rows) == int(table["totalCount"])
    for name, column in (("reactions", "count_reaction_clicked"), ("polls", "count_poll_answered")):
        did = sum(1 for r in rows if float(r[column]) > 0)
        assert tiles[name]["share"] == pytest.approx(did / tiles[name]["population_size"])


def test_the_engagement_twin_equals_the_kaltura_api(client: TestClient, school: Store) -> None:
    twin = client.get(ROOM + "/panels/engagement.json", params=DAY).json()
    table = _kaltura(client, make_ks(school), "getTable", 60010, **{"pager[pageSize]": "10"})
    header = table["header"].split(",")
    rows = [
        dict(zip(header, line.split(","), strict=True)) for line in table["data"].split(";") if line
    ]
    assert [r["user_id"] for r in rows] == [r["user_id"] for r in twin["rows"]]
    for ours, theirs in zip(twin["rows"], rows, strict=True):
        for column in ("live_view_time", "count_reaction_clicked", "count_raise_hand_clicked"):
            assert ours[column] == pytest.approx(float(theirs[column]))


def test_the_category_twin_equals_the_kaltura_api(client: TestClient, school: Store) -> None:
    twin = client.get("/analytics/categories/5/panels/overview.json", params=DAY).json()
    by_category = {"reportInputFilter[entryIdIn]": "", "reportInputFilter[categoriesIdsIn]": "5"}
    token = make_ks(school)
    highlights = _kaltura(client, token, "getTotal", 60001, **by_category)
    h = _numbers(highlights["header"], highlights["data"])
    assert twin["avg_minutes_viewed"] == pytest.approx(h["vod_live_avg_view_time"])
    engagement = _kaltura(client, token, "getTotal", 60010, **by_category)
    e = _numbers(engagement["header"], engagement["data"])
    tiles = {t["name"]: t for t in twin["participation"]}
    assert tiles["reactions"]["count"] == e["count_reaction_clicked"] == 4
    assert twin["avg_live_engagement_rate"] == pytest.approx(
        e["combined_live_engaged_users_play_time_ratio"]
    )
    rows = client.get("/analytics/categories/5/panels/engagement.json", params=DAY).json()
    table = _kaltura(client, token, "getTable", 60010, **by_category, **{"pager[pageSize]": "10"})
    assert rows["total_count"] == int(table["totalCount"]) == 3


def test_every_launched_poll_shows_answered_or_not(more: TestClient) -> None:
    twin = more.get(ROOM + "/panels/interactions.json", params=DAY).json()
    found = {i["poll_id"]: i for i in twin["interactions"]}
    assert list(found) == ["poll1", "poll2", "poll3", "poll4"]  # by launch
    # the open question: one participant, no answers table, both of bob's texts in time order
    open_ = found["poll3"]
    assert (open_["participants"], open_["answers"]) == (1, [])
    assert [(t["user_id"], t["answer"], t["time"]) for t in open_["texts"]] == [
        ("bob", "none", B + 70),
        ("bob", "one, in fact", B + 80),
    ]
    # the rating scale nobody answered: its options, each 0 and no rate
    scale = found["poll4"]
    assert scale["participants"] == 0
    assert [(a["answer"], a["participants"], a["rate"]) for a in scale["answers"]] == [
        ("1", 0, None),
        ("2", 0, None),
        ("3", 0, None),
    ]
    html = more.get(ROOM + "/panels/interactions", params=DAY).text
    assert "<li>none <span" in html and "<li>one, in fact <span" in html
    rating = html[html.index("Rate the class") :]
    assert "ratingScale · 0 participants · launched 2026-08-03 10:01 (UTC)" in rating
    assert "Nobody answered." in rating and "<td>1</td><td>0</td>" in rating
    assert "<td>–</td>" in rating and "bar" not in rating  # no rate, no bar


def test_a_session_over_500_minutes_has_coarser_points(more: TestClient) -> None:
    s9 = {**DAY, "session": "s9"}
    timeline = more.get("/analytics/rooms/1_other/panels/timeline.json", params=s9).json()
    # 601 minutes in 2-minute points from 10:50 UTC (a whole number of 2 minutes since 1970)
    points = timeline["points"]
    assert timeline["step"] == 120 and len(points) == 301
    assert (points[0]["start"], points[-1]["start"]) == (B + 3000, B + 3000 + 300 * 120)
    # the first point: prof and bob, both engaged by the meeting rule (their tabs focused)
    assert (points[0]["viewers"], points[0]["rate"]) == (2, 1.0)
    assert [p["viewers"] for p in points[1:]] == [0] * 300
    html = more.get("/analytics/rooms/1_other/panels/timeline", params=s9).text
    assert "(it is longer than 500 minutes: 500 points at most, each 2 minutes)" in html
    assert "The numbers, point by point (2 minutes each)" in html
    table = more.get("/analytics/rooms/1_other/panels/engagement.json", params=s9).json()
    # the heatmap's rule is Kaltura's stricter one: bob's sound was off, so he was present but
    # not engaged, where the timeline's rate counts his focused tab
    assert table["heatmap_step"] == 120
    assert table["heatmaps"]["prof"] == ["engaged"] + ["offline"] * 300
    assert table["heatmaps"]["bob"] == ["not_engaged"] + ["offline"] * 300
    html = more.get("/analytics/rooms/1_other/panels/engagement", params=s9).text
    assert "the session in points of 2 minutes (it is longer than 500 minutes)" in html
    assert "not engaged 1, offline 300 of 301 points of 2 minutes" in html
