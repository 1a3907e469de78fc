"""The recordings panel and the overview's recording plays, worked by hand, and the same numbers as
the Kaltura API's reports 60005, 60012 and 60002.

The hand-worked school (tests/web/conftest.py: room 1_main in category 5, its breakout 1_break,
room 1_other) with, from 11:00 UTC on 2026-08-03, VOD player beacons on:

- 1_rec_main "Biology 101 — Recording" (100 s, a percentile a second; rootEntryId 1_main, in
  category 5). Each play below is an impression, a play and views 10 s apart (playTimeSum 10,
  20, …) at the positions given; a view at position p covers percentiles p − 10 … p:
    alice a1: views at 10, 20, 30 → 30 s, percentiles 0–30 (31)
    alice a2: view at 10 → 10 s, 11 percentiles
    alice a4: no view (she left at once) → 0 s, 0 percentiles
    bob   b1: an impression only (no play)
    bob   b3: view at 50 → 10 s, percentiles 40–50 (11)
    anonymous n1 (no user id): view at 100 → 10 s, percentiles 90–100 (11)
  → plays 5, impressions 6, 60 s (1 min), unique viewers 2 (alice, bob: an anonymous play has
    no one to count), completion (31 + 11 + 0 + 11 + 11) / 5 = 12.8 %.
- 1_rec_break "Group A — Recording" (200 s, a percentile every 2 s; rootEntryId 1_break, the
  breakout, so a recording of 1_main's too; in no category):
    bob b2: views at 10, 20 → 20 s, percentiles 0–5 then 5–10 (6 + 5 = 11)
  → plays 1, impressions 1, 20 s, unique viewers 1, completion 11 %.
- 1_rec_other (rootEntryId 1_other) played by carol, and 1_upload (in category 5, made from
  nothing) played by alice: neither is a recording of 1_main.

Per recording (60005 with entryIdIn 1_main): the two above, most plays first; total: plays 6,
impressions 7, 80 s = 4/3 min, unique viewers 2, completion (64 + 11) / 6 = 12.5 %.

Per viewer (60012): alice 3 plays, 40 s, 3 impressions, (31 + 11 + 0) / 3 = 14 %; bob 2 plays
(b2, b3), 30 s, 3 impressions (b1, b2, b3), (11 + 11) / 2 = 11 %; the anonymous viewer 1 play,
10 s, 1 impression, 11 %. Average minutes viewed per viewer (vod_avg_play_time) is their
minutes over the viewers with a user id among them: alice 2/3, bob 1/2, anonymous 0; in all
(4/3) / 2 = 2/3.

The overview (60002): recording viewers 2 (alice, bob), live 3 (prof, alice and bob in 1_main),
either 3; recording plays 6. Average minutes viewed (60001) is now live and recording minutes:
(135 s in the room + 80 s of recordings) / 60 / 3 viewers.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.analytics.conftest import ENTRIES, LAUNCHES, USERS, B, events, open_store
from tests.analytics.test_formulas import IMPRESSION, PLAY, VIEW, beacon, send
from tests.web.conftest import DAY, add_categories, make_ks, signed_in_dashboard
from tests.web.test_pages import _kaltura, _numbers
from vantage.analytics import recording_panels
from vantage.ingest.store import Store

ROOM = "/analytics/rooms/1_main"
CHANNEL = "/analytics/categories/5"
RECORDINGS = [
    {
        "partnerId": 101,
        "id": "1_rec_main",
        "name": "Biology 101 — Recording",
        "kind": "video",
        "duration": 100,
        "rootEntryId": "1_main",
        "categoryIds": [5],
    },
    {
        "partnerId": 101,
        "id": "1_rec_break",
        "name": "Group A — Recording",
        "kind": "video",
        "duration": 200,
        "rootEntryId": "1_break",
    },
    {
        "partnerId": 101,
        "id": "1_rec_other",
        "name": "Chemistry — Recording",
        "kind": "video",
        "duration": 100,
        "rootEntryId": "1_other",
    },
    {
        "partnerId": 101,
        "id": "1_upload",
        "name": "Cells explained",
        "kind": "video",
        "duration": 100,
        "categoryIds": [5],
    },
]
# (session, entry, user, view positions; None: an impression without a play)
PLAYS: list[tuple[str, str, str | None, list[int] | None]] = [
    ("a1", "1_rec_main", "alice", [10, 20, 30]),
    ("a2", "1_rec_main", "alice", [10]),
    ("a4", "1_rec_main", "alice", []),
    ("b1", "1_rec_main", "bob", None),
    ("b3", "1_rec_main", "bob", [50]),
    ("n1", "1_rec_main", None, [100]),
    ("b2", "1_rec_break", "bob", [10, 20]),
    ("c1", "1_rec_other", "carol", [10]),
    ("a3", "1_upload", "alice", [10]),
]


def _play(store: Store, at: int, session: str, entry: str, user: str | None, views: Any) -> None:
    send(store, at, beacon(IMPRESSION, session, entry, user))
    if views is None:
        return
    send(store, at + 1, beacon(PLAY, session, entry, user))
    for i, position in enumerate(views, 1):
        view = beacon(VIEW, session, entry, user, position=position, playTimeSum=10 * i)
        send(store, at + 1 + 10 * i, view)


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("recordings") / "store.duckdb"
    entries = [{**e, "categoryIds": [5]} if e["id"] == "1_main" else e for e in ENTRIES]
    with open_store(path, [*entries, *RECORDINGS], USERS, [*events(), *LAUNCHES]) as store:
        add_categories(store, {"partnerId": 101, "id": 7, "name": "No rooms"})
        for n, (session, entry, user, views) in enumerate(PLAYS):
            _play(store, B + 3600 + 100 * n, session, entry, user, views)
        yield store


@pytest.fixture(scope="module")
def recorded(school: Store) -> TestClient:
    return signed_in_dashboard(school)


def test_the_recordings_twin_by_hand(recorded: TestClient) -> None:
    twin = recorded.get(ROOM + "/panels/recordings.json", params=DAY).json()
    recs = twin["recordings"]
    assert [(r["entry_id"], r["entry_name"]) for r in recs["rows"]] == [
        ("1_rec_main", "Biology 101 — Recording"),
        ("1_rec_break", "Group A — Recording"),
    ]
    main, group = recs["rows"]
    assert (main["count_plays"], main["count_loads"], main["unique_viewers"]) == (5, 6, 2)
    assert main["sum_vod_view_period"] == pytest.approx(1.0)
    assert main["avg_completion_rate"] == pytest.approx(64 / 5)
    assert (group["count_plays"], group["count_loads"], group["unique_viewers"]) == (1, 1, 1)
    assert group["sum_vod_view_period"] == pytest.approx(20 / 60)
    assert group["avg_completion_rate"] == pytest.approx(11)
    total = recs["total"]
    assert (total["count_plays"], total["count_loads"], total["unique_viewers"]) == (6, 7, 2)
    assert total["sum_vod_view_period"] == pytest.approx(4 / 3)
    assert total["avg_completion_rate"] == pytest.approx(12.5)
    assert recs["total_count"] == 2

    viewers = twin["viewers"]
    assert [r["name"] for r in viewers["rows"][:2]] == ["alice", "bob"]
    alice, bob, nobody = viewers["rows"]
    assert alice["full_name"] == "Alice Liddell" and not nobody["name"]
    assert [(r["count_plays"], r["count_loads"]) for r in (alice, bob, nobody)] == [
        (3, 3),
        (2, 3),
        (1, 1),
    ]
    assert [r["sum_vod_view_period"] for r in (alice, bob, nobody)] == pytest.approx(
        [40 / 60, 30 / 60, 10 / 60]
    )
    assert [r["vod_avg_play_time"] for r in (alice, bob, nobody)] == pytest.approx(
        [40 / 60, 30 / 60, 0]
    )
    assert [r["avg_completion_rate"] for r in (alice, bob, nobody)] == pytest.approx([14, 11, 11])
    assert viewers["total"]["vod_avg_play_time"] == pytest.approx(2 / 3)
    assert (viewers["total"]["count_plays"], viewers["total_count"]) == (6, 3)


def test_the_recordings_fragment(recorded: TestClient) -> None:
    html = recorded.get(ROOM + "/panels/recordings", params=DAY).text
    assert '<h2 id="title-recordings">Recordings</h2>' in html
    # impressions, plays, unique viewers, minutes, completion
    assert (
        "<td>Biology 101 — Recording</td><td>6</td><td>5</td>\n"
        "      <td>2</td><td>1.0</td><td>12.8%</td>" in html
    )
    assert "<td>Total</td><td>7</td><td>6</td>\n    <td>2</td><td>1.3</td><td>12.5%</td>" in html
    assert "<td>Alice Liddell</td><td>3</td><td>3</td>" in html
    assert "<td>Viewers without a user id</td><td>1</td><td>1</td>" in html
    assert "Chemistry — Recording" not in html and "Cells explained" not in html


def test_the_overview_counts_recording_viewers_and_plays(recorded: TestClient) -> None:
    twin = recorded.get(ROOM + "/panels/overview.json", params=DAY).json()
    assert (twin["unique_viewers"], twin["live_viewers"], twin["recording_viewers"]) == (3, 3, 2)
    assert twin["recording_plays"] == 6
    assert twin["avg_minutes_viewed"] == pytest.approx((135 + 80) / 60 / 3)
    html = recorded.get(ROOM + "/panels/overview", params=DAY).text
    assert (
        '<span class="value">6</span> recording plays\n'
        '    <span class="base"><a href="#recordings">' in html
    )
    page = recorded.get(ROOM, params=DAY).text
    assert '<span class="anchor" id="recordings"></span>' in page
    assert 'hx-get="/analytics/rooms/1_main/panels/recordings?' in page
    assert "Recordings</h2><p>Coming" not in page


def test_the_twins_equal_the_kaltura_api(recorded: TestClient, school: Store) -> None:
    token = make_ks(school)
    twin = recorded.get(ROOM + "/panels/recordings.json", params=DAY).json()
    for report, listing, key in ((60005, "recordings", "entry_id"), (60012, "viewers", "name")):
        table = _kaltura(recorded, token, "getTable", report, **{"pager[pageSize]": "50"})
        header = table["header"].split(",")
        rows = [
            dict(zip(header, line.split(","), strict=True))
            for line in table["data"].split(";")
            if line
        ]
        ours = twin[listing]["rows"]
        assert [r[key] or "" for r in ours] == [r[key] for r in rows]
        assert int(table["totalCount"]) == twin[listing]["total_count"]
        for mine, theirs in zip(ours, rows, strict=True):
            for column, value in theirs.items():
                if column not in ("entry_id", "entry_name", "name", "full_name"):
                    assert mine[column] == pytest.approx(float(value)), (report, column)
        total = _kaltura(recorded, token, "getTotal", report)
        for column, value in _numbers(total["header"], total["data"]).items():
            assert twin[listing]["total"][column] == pytest.approx(value), (report, column)
    overview = recorded.get(ROOM + "/panels/overview.json", params=DAY).json()
    unique = _kaltura(recorded, token, "getTotal", 60002)
    u = _numbers(unique["header"], unique["data"])
    assert overview["unique_viewers"] == u["unique_vod_live_viewers"] == 3
    assert overview["live_viewers"] == u["unique_combined_live_viewers"]
    assert overview["recording_viewers"] == u["unique_vod_viewers"] == 2
    plays = _kaltura(recorded, token, "getTotal", 60005)
    assert overview["recording_plays"] == _numbers(plays["header"], plays["data"])["count_plays"]


def test_a_channel_shows_the_recordings_of_its_rooms(recorded: TestClient) -> None:
    """Category 5 holds 1_main (its one room) and 1_upload: the recordings are 1_main's, and
    1_upload, not made from a room, is not one; 1_rec_break is, though in no category."""
    room = recorded.get(ROOM + "/panels/recordings.json", params=DAY).json()
    channel = recorded.get(CHANNEL + "/panels/recordings.json", params=DAY).json()
    assert {k: v for k, v in channel.items() if k != "frame"} == {
        k: v for k, v in room.items() if k != "frame"
    }
    assert (
        recorded.get(CHANNEL + "/panels/overview.json", params=DAY).json()["recording_plays"] == 6
    )


def test_a_room_without_recordings_and_a_channel_without_rooms(recorded: TestClient) -> None:
    twin = recorded.get("/analytics/rooms/1_break/panels/recordings.json", params=DAY).json()
    # the breakout's own recording; a breakout has no breakouts
    assert [r["entry_id"] for r in twin["recordings"]["rows"]] == ["1_rec_break"]
    empty = {"preset": "custom", "from": "2026-07-01", "to": "2026-07-02", "tz": "UTC"}
    none = recorded.get(ROOM + "/panels/recordings.json", params=empty).json()
    assert none["recordings"] == {"rows": [], "total": {}, "total_count": 0, "page": 1, "pages": 1}
    html = recorded.get(ROOM + "/panels/recordings", params=empty).text
    assert "No recording of this room was played in this range." in html
    lonely = recorded.get("/analytics/categories/7/panels/recordings.json", params=DAY).json()
    assert lonely["recordings"]["rows"] == lonely["viewers"]["rows"] == []
    assert (
        recorded.get("/analytics/categories/7/panels/overview.json", params=DAY).json()[
            "recording_plays"
        ]
        == 0
    )


def test_the_tables_are_paged_as_the_kaltura_api_pages_them(
    recorded: TestClient, school: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recording_panels, "ROWS", 1)  # a row a page: 2 recordings, 3 viewers
    asked = {**DAY, "page": "2", "viewers_page": "3"}
    twin = recorded.get(ROOM + "/panels/recordings.json", params=asked).json()
    recs, viewers = twin["recordings"], twin["viewers"]
    assert [r["entry_id"] for r in recs["rows"]] == ["1_rec_break"]
    assert (recs["page"], recs["pages"], viewers["page"], viewers["pages"]) == (2, 2, 3, 3)
    assert [r["count_plays"] for r in viewers["rows"]] == [1]  # the anonymous viewer
    assert recs["total"]["count_plays"] == 6  # the total is of every page
    token = make_ks(school)
    for report, listing, key, index in ((60005, recs, "entry_id", 2), (60012, viewers, "name", 3)):
        pager = {"pager[pageSize]": "1", "pager[pageIndex]": str(index)}
        table = _kaltura(recorded, token, "getTable", report, **pager)
        theirs = table["data"].rstrip(";").split(",")[0]
        assert [r[key] or "" for r in listing["rows"]] == [theirs]
    html = recorded.get(ROOM + "/panels/recordings", params=asked).text
    assert "<span>Page 2 of 2</span>" in html and "<span>Page 3 of 3</span>" in html
    assert 'hx-get="/analytics/rooms/1_main/panels/recordings?' in html
    assert "page=1&amp;viewers_page=3" in html  # Previous keeps the other table's page
    beyond = recorded.get(ROOM + "/panels/recordings", params={**DAY, "page": "9"}).text
    assert "No more recordings." in beyond


@pytest.mark.parametrize("name", ["page", "viewers_page"])
@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5", "100001", "٣"])
def test_a_bad_page_is_a_clear_400(recorded: TestClient, name: str, value: str) -> None:
    for suffix in ("", ".json"):
        answer = recorded.get(ROOM + "/panels/recordings" + suffix, params={**DAY, name: value})
        message = answer.json()["error"]["message"] if suffix else unescape(answer.text)
        assert answer.status_code == 400 and f"'{name}' is a whole number from 1" in message
