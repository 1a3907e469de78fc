"""A real browser on the room page of a demo school: Playwright drives Debian's Chromium
(headless) through the KS link, a date preset, the panels htmx loads, a three-letter search, a
person's card, a poll's answers, a session's heatmaps and timeline, a custom report's CSV and
the session's PDF report, and saves a screenshot (and the CSV and PDF) under var/test-output/.

Needs /usr/bin/chromium and the playwright package (never `playwright install`: no browser
downloads); without them the test skips and says why.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import uvicorn

from tests.integration.server import free_port
from vantage.access import ks
from vantage.config import Settings
from vantage.demo import generate
from vantage.ingest.store import Store
from vantage.server import create_app

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = Path(__file__).parents[2] / "var" / "test-output"
# Playwright adds --headless and a fresh --user-data-dir; these keep Chromium off the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.skipif(
        importlib.util.find_spec("playwright") is None, reason="the playwright package is missing"
    ),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """The dashboard of a small demo school on a free port: (base URL, a room, an admin KS)."""
    path = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    settings = Settings.load(engine=str(path), web_session_key="browser test")
    with Store.open(settings) as store:
        demo = generate(store, seed=2, events=20_000, player_events=0, now=dt.datetime.now(dt.UTC))
        # the room with the most people in the last week
        room = store.engine.query(
            "SELECT entry_id FROM room_events WHERE time > now() - INTERVAL 7 DAY "
            "GROUP BY 1 ORDER BY count(DISTINCT user_id) DESC, 1 LIMIT 1"
        )[0][0]
        token = ks.generate(demo.admin_secret, demo.partner_id, version=2, type=ks.ADMIN)
        port = free_port()
        config = uvicorn.Config(
            create_app(settings, store),
            host="127.0.0.1",
            port=port,
            lifespan="off",
            log_level="warning",
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        yield base, str(room), token
        server.should_exit = True
        thread.join(10)


def test_the_room_page_in_chromium(served: tuple[str, str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, room, token = served

    # someone to search for, not on the table's first page: the last viewer of the last 7 days
    def twin(**params: str) -> dict[str, Any]:
        url = f"{base}/analytics/rooms/{room}/panels/engagement.json"
        answer: dict[str, Any] = httpx.get(
            url, params={"preset": "7", "ks": token, **params}
        ).json()
        return answer

    rows = twin(order="+live_view_time")["rows"]
    named = [r for r in rows if r["user_name"] and r["user_name"] != r["user_id"]]
    assert named, rows
    person = named[0]["user_name"]
    letters = person.split()[-1][:3]
    found = twin(search=letters)["total_count"]
    assert 1 <= found < twin()["total_count"]  # the search narrows the table
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.goto(f"{base}/analytics/rooms/{room}?ks={token}&preset=30")
            assert "ks=" not in page.url  # the link signed in and dropped the KS
            expect(page.locator("#tile-reactions")).to_be_visible()  # htmx loaded the panel
            # another preset
            page.select_option("#preset", "7")
            page.get_by_role("button", name="Show").click()
            page.wait_for_url("**preset=7**")
            expect(page.locator("#tile-reactions")).to_be_visible()
            expect(page.locator("#panel-engagement table")).to_be_visible()
            # the recording plays tile leads to the recordings panel
            page.locator("#tile-recording-plays a").click()
            page.wait_for_url("**#recordings")
            expect(page.locator("#panel-recordings table").first).to_be_visible()
            # three letters, then Enter: the table is the people found
            search = page.get_by_label("Find a person (first or last name, at least 3 letters)")
            search.fill(letters)
            search.press("Enter")
            expect(page.locator("#panel-engagement tbody tr:not(.heatmap)")).to_have_count(
                min(found, 10)
            )
            expect(page.locator("#panel-engagement tbody")).to_contain_text(person)
            expect(
                page.get_by_label("Find a person (first or last name, at least 3 letters)")
            ).to_have_value(letters)
            # the report to download follows the search
            expect(page.locator("#download-report")).to_have_attribute(
                "href", re.compile(re.escape(urlencode({"search": letters})))
            )
            # a person's card, by hover and by keyboard
            first = page.locator("#panel-engagement tbody td.card").first
            first.hover()
            expect(first.locator(".who")).to_be_visible()
            expect(first.locator(".who")).to_contain_text("Country:")
            # a poll's answers, opened by click
            poll = page.locator("#panel-interactions details").first
            expect(poll).to_be_visible()
            poll.locator("summary").click()
            expect(poll.locator("tbody tr").first).to_be_visible()
            # a session: each person's heatmap under their row
            page.locator("select[name=session]").select_option(index=1)
            page.get_by_role("button", name="Show").click()
            page.wait_for_url("**session=**")
            expect(page.locator("#panel-engagement tr.heatmap svg").first).to_be_visible()
            expect(page.locator("#tile-reactions")).to_be_visible()
            expect(page.locator("#panel-timeline svg polyline.line-viewers").first).to_be_visible()
            page.screenshot(path=str(OUTPUT / "dashboard-room.png"), full_page=True)
            # a custom report, downloaded
            with page.expect_download() as download:
                page.get_by_role("link", name="Attendees Data").click()
            saved = OUTPUT / "attendeesData.csv"
            download.value.save_as(saved)
            assert saved.read_text(encoding="utf-8-sig").startswith("entry_id,cue_point_id,")
            # the session's report, as a PDF
            with page.expect_download() as download:
                page.get_by_role("link", name="Download Report (PDF)").click()
            assert download.value.suggested_filename.endswith(".pdf")
            report = OUTPUT / "dashboard-room.pdf"
            download.value.save_as(report)
            assert report.read_bytes().startswith(b"%PDF-")
        finally:
            browser.close()
    assert (OUTPUT / "dashboard-room.png").stat().st_size > 10_000


def test_the_channel_page_in_chromium(served: tuple[str, str, str]) -> None:
    """A channel (category) of the demo: the same tiles and table over its rooms."""
    from playwright.sync_api import expect, sync_playwright

    base, _, token = served
    listed = httpx.get(f"{base}/analytics.json", params={"ks": token}).json()["categories"]

    def viewers(category: int) -> int:
        url = f"{base}/analytics/categories/{category}/panels/overview.json"
        found: int = httpx.get(url, params={"preset": "30", "ks": token}).json()["unique_viewers"]
        return found

    busiest = max((c["id"] for c in listed[:20]), key=viewers)
    assert viewers(busiest) > 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.goto(f"{base}/analytics/categories/{busiest}?ks={token}&preset=30")
            expect(page.locator("#tile-reactions")).to_be_visible()
            expect(page.locator("#panel-engagement tbody tr").first).to_be_visible()
            page.screenshot(path=str(OUTPUT / "dashboard-channel.png"), full_page=True)
        finally:
            browser.close()


def test_the_room_page_fits_a_phone(served: tuple[str, str, str]) -> None:
    """On a phone's width the page is one column: nothing but a table's own scroller is wider
    than the screen."""
    from playwright.sync_api import expect, sync_playwright

    base, room, token = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            page.goto(f"{base}/analytics/rooms/{room}?ks={token}&preset=30")
            expect(page.locator("#tile-reactions")).to_be_visible()
            expect(page.locator("#panel-engagement table")).to_be_visible()
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= 390, f"the page is {wide} px wide on a 390 px screen"
            page.screenshot(path=str(OUTPUT / "dashboard-room-phone.png"), full_page=True)
        finally:
            browser.close()
