"""The room and category pages, their panels and JSON twins, on the hand-worked school
(tests/web/conftest.py): numbers by hand, and the same numbers as the Kaltura API's."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.web.conftest import DAY, make_ks, signed_in
from vantage.ingest.store import Store

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
    # each built panel is a fragment htmx loads; the others say they are coming
    assert 'hx-get="/analytics/rooms/1_main/panels/overview?preset=custom' in html
    assert 'hx-get="/analytics/rooms/1_main/panels/engagement?preset=custom' in html
    assert "Coming: this panel is not built yet." in html
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
    assert set(frame["panels"]) == {"overview", "engagement", "timeline", "interactions"}
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
    # s1's ten minutes: alice engaged in minute 0 and on stage in minute 5
    assert twin["heatmaps"] == {
        "prof": [e] + [o] * 9,
        "alice": [e, o, o, o, o, e, o, o, o, o],
        "bob": [e] + [o] * 9,  # his camera was on in one of his three periods
    }
    html = client.get(url, params={**DAY, "session": "s1"}).text
    assert 'aria-label="Alice Liddell: engaged 2, not engaged 0, offline 8 of 10 minutes"' in html
    assert html.count('<rect x="') == 30


def test_the_timeline_of_a_session(client: TestClient) -> None:
    url = ROOM + "/panels/timeline"
    assert client.get(url + ".json", params=DAY).json()["minutes"] is None
    assert "Pick a session" in client.get(url, params=DAY).text
    twin = client.get(url + ".json", params={**DAY, "session": "s1", "tz": "Europe/Paris"})
    minutes = twin.json()["minutes"]
    assert [(m["viewers"], m["engaged"], m["engaged_rate"]) for m in minutes] == [
        (3, 3, 1.0),  # 10:00 UTC: prof, alice and bob, each engaged at least once
        *[(0, 0, None)] * 4,
        (1, 1, 1.0),  # 10:05: alice on stage
        *[(0, 0, None)] * 4,
    ]
    html = client.get(url, params={**DAY, "session": "s1", "tz": "Europe/Paris"}).text
    assert "<title>12:00 (Europe/Paris): 3 viewers, engaged 100.0%</title>" in html
    assert "<title>12:01 (Europe/Paris): 0 viewers, engaged –</title>" in html
    # the rate's line breaks where nobody was there to divide by: two runs, not one through 0
    assert html.count('class="line-rate"') == 2
    assert "<tr><td>12:05</td><td>1</td><td>1</td><td>100.0%</td></tr>" in html


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
    assert set(frame["panels"]) == {"overview", "engagement"}  # interactions are a room's
    assert client.get("/analytics/categories/5/panels/interactions", params=DAY).status_code == 404


def test_the_interactions_fragment(client: TestClient) -> None:
    html = client.get(ROOM + "/panels/interactions", params=DAY).text
    quiz = html[html.index("2 + 2?") : html.index("Ready?")]
    assert "quiz · 1 participant · launched 2026-08-03 10:00 (UTC)" in quiz
    # alice answered 4 (right) and then 5: each answer 1 of the poll's 1 participant
    assert "<td>4</td><td>1</td>" in quiz and "<td>5</td><td>1</td>" in quiz
    assert quiz.count("100.0%") == 2 and "✓ correct" in quiz and "✗" in quiz
    assert "<td>yes</td><td>1</td>" in html[html.index("Ready?") :]
    twin = client.get(ROOM + "/panels/interactions.json", params=DAY).json()
    assert [(p["id"], p["type"], p["participants"]) for p in twin["polls"]] == [
        ("poll1", "quiz", 1),
        ("poll2", "poll", 1),
    ]
    assert twin["polls"][0]["answers"][0] == {
        "answer": "4",
        "participants": 1,
        "rate": 1.0,
        "correct": True,
    }


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
