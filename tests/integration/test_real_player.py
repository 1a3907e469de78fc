"""Kaltura's published web player plays a video in headless Chromium and reports to Vantage.

The player (@playkit-js/kaltura-player-js 3.17.95) and its KAVA plugin (0.15.1), both as npm
publishes them, run unchanged in Debian's Chromium, driven by Playwright. The page comes from
another origin than Vantage, so every beacon crosses CORS as on a real site. The video is a
12-second clip served beside the page, given to the player as a progressive source
(`setMedia`), so no Kaltura provider call is made. Each way of pointing KAVA at Vantage plays
in its own page at the same time, on its own entry; the tests then compare what Chromium sent
with what Vantage answered, stored and reports.

Needs /usr/bin/chromium, npm (or the packages already fetched by real_player/fetch.sh) and the
playwright package; without them the tests skip and say why, unless VANTAGE_REAL_PLAYER=required
(as in CI), where they fail instead.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import duckdb
import httpx
import pytest

from tests.integration.server import Server, cli, free_port
from vantage.player.vocabulary import BY_ID

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent / "real_player"
REPO = Path(__file__).parents[2]
CHROMIUM = Path("/usr/bin/chromium")
PARTNER, SECRET = 501, "r".ljust(32, "p")
CLIP_SECONDS = 12
QUARTILES = {25: "11", 50: "12", 75: "13", 100: "14"}  # report 2's column → KAVA's eventType
# The flags this machine's headless Chromium needs to stay off every network but loopback;
# Playwright itself adds --headless, --no-sandbox and a fresh --user-data-dir.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class Case:
    """One way of configuring the player, played on its own entry."""

    entry: str
    form: str  # "plugin": plugins.kava.serviceUrl; "env": provider.env.analyticsServiceUrl
    url: str  # with {vantage} for Vantage's host:port
    session: bool  # whether setMedia gets a session object

    def page_query(self, vantage: str) -> str:
        fields = {"form": self.form, "url": self.url.format(vantage=vantage)}
        fields |= {"partner": str(PARTNER), "entry": self.entry}
        return urlencode(fields | ({"session": f"page-{self.entry}"} if self.session else {}))


CASES = {
    c.entry: c
    for c in (
        Case("1_plugin", "plugin", "//{vantage}/api_v3/index.php", True),
        Case("1_env", "env", "//{vantage}", True),
        Case("1_nosession", "plugin", "//{vantage}/api_v3/index.php", False),
        # A second viewer without a session at the same time: not a duplicate of the first.
        Case("1_nosession_2", "env", "//{vantage}", False),
        Case("1_plugin_http", "plugin", "http://{vantage}/api_v3/index.php", True),
        Case("1_env_http", "env", "http://{vantage}", True),
    )
}


@dataclass
class Beacon:
    """A trackEvent request as Chromium sent it, and what came back."""

    url: str
    method: str
    status: int | None  # None: no response at all (network or CORS failure)
    answer: str

    @property
    def fields(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.url).query, keep_blank_values=True))


@dataclass
class Played:
    vantage: str  # host:port
    beacons: dict[str, list[Beacon]] = field(default_factory=dict)  # by the case's entry
    stored: list[tuple[str, str, int, str, str]] = field(default_factory=list)
    reports: dict[int, dict[str, dict[str, str]]] = field(default_factory=dict)


def _need(what: str, how: str) -> None:
    message = f"real player test: {what} ({how})"
    if os.environ.get("VANTAGE_REAL_PLAYER") == "required":
        pytest.fail(message)
    pytest.skip(message)


def _player_dir() -> Path:
    folder = Path(os.environ.get("VANTAGE_PLAYER_DIR", REPO / "var" / "npm"))
    bundles = (
        "kaltura-player-js/dist/kaltura-ovp-player.js",
        "playkit-js-kava/dist/playkit-kava.js",
    )
    if not all((folder / b).exists() for b in bundles):
        if shutil.which("npm") is None:
            _need("npm not installed", "apt-get install npm")
        fetched = subprocess.run(
            ["bash", str(HERE / "fetch.sh"), str(folder)], capture_output=True, text=True
        )
        if fetched.returncode != 0:
            _need("player packages not fetched", fetched.stderr.strip()[-300:])
    return folder


def _page_server(player: Path) -> http.server.ThreadingHTTPServer:
    """The site that embeds the player: the page, the clip and the two npm bundles, only."""
    roots = {
        "/player/": player / "kaltura-player-js" / "dist",
        "/kava/": player / "playkit-js-kava" / "dist",
        "/": HERE,
    }

    class Site(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            path = urlsplit(path).path
            prefix = next(p for p in roots if path.startswith(p))
            name = path[len(prefix) :]
            # Anything else, KAVA's misdirected beacons included, is this site's 404.
            return str(roots[prefix] / name) if "/" not in name else str(HERE / "missing")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Site)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    return site


def _start_vantage(folder: Path) -> Server:
    store = folder / "store.duckdb"
    roles = [{"id": 1, "name": "Admin", "permissions": ["*", "ANALYTICS_BASE"]}]
    partner = {"id": PARTNER, "name": "Player School", "adminSecrets": [SECRET], "roles": roles}
    (folder / "partners.json").write_text(json.dumps([partner | {"userSecret": "u" * 32}]))
    cli(store, "import", str(folder / "partners.json"))
    server = Server(store).start()
    entries = [
        {"partnerId": PARTNER, "id": e, "name": e, "kind": "video", "duration": CLIP_SECONDS}
        for e in CASES
    ]
    with httpx.Client(base_url=server.url, auth=(str(PARTNER), SECRET), timeout=30) as http:
        http.post("/api/v1/admin/entries", json=entries).raise_for_status()
    return server


def _play(site: str, vantage: str) -> dict[str, list[Beacon]]:
    """Every case in its own page at once, each played to its end, then its beacons."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    sent: dict[str, list[Any]] = {e: [] for e in CASES}
    done: list[Any] = []  # beacons answered or failed
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            pages = []
            for entry, case in CASES.items():
                page = browser.new_page()
                page.on("request", lambda r, e=entry: _is_beacon(r) and sent[e].append(r))
                page.on("requestfinished", lambda r: _is_beacon(r) and done.append(r))
                page.on("requestfailed", lambda r: _is_beacon(r) and done.append(r))
                page.goto(f"{site}/page.html?{case.page_query(vantage)}")
                pages.append(page)
            deadline = time.monotonic() + CLIP_SECONDS + 60
            for page in pages:
                left = max(deadline - time.monotonic(), 1) * 1000
                page.wait_for_function("window.ended", timeout=left)
            # The last beacons go out as the clip ends: wait until every one has its answer
            # and none came for a second. Playwright hands over events only while it waits.
            while time.monotonic() < deadline:
                before = sum(map(len, sent.values()))
                pages[0].wait_for_timeout(1000)
                if len(done) == before == sum(map(len, sent.values())):
                    break
            return {e: [_beacon(r) for r in requests] for e, requests in sent.items()}
        finally:
            browser.close()


def _is_beacon(request: Any) -> bool:
    return "action=trackEvent" in request.url


def _beacon(request: Any) -> Beacon:
    response = request.response()
    if response is None:
        return Beacon(request.url, request.method, None, str(request.failure))
    return Beacon(request.url, request.method, response.status, response.text())


def _reports(server: Server) -> dict[int, dict[str, dict[str, str]]]:
    """Reports 1 (top content) and 2 (content drop-off) as tables: rows by entry, by column."""
    tables = {}
    with httpx.Client(base_url=server.url, timeout=30) as http:
        ks = http.post(
            "/api_v3/service/session/action/start",
            data={"secret": SECRET, "partnerId": PARTNER, "type": 2, "format": 1},
        ).json()
        for report in (1, 2):
            table = http.post(
                "/api_v3/service/report/action/getTable",
                data={
                    "ks": ks,
                    "format": 1,
                    "reportType": report,
                    "reportInputFilter[fromDate]": -86_400,  # relative to now
                    "reportInputFilter[toDate]": 86_400,
                    "pager[pageSize]": 50,
                },
            ).json()
            header = table["header"].split(",")
            rows = [r.split(",") for r in table.get("data", "").split(";") if r]
            tables[report] = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    return tables


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Played]:
    if not CHROMIUM.exists():
        _need("chromium not installed", "apt-get install chromium")
    site = _page_server(_player_dir())
    server = _start_vantage(tmp_path_factory.mktemp("real_player"))
    try:
        vantage = f"127.0.0.1:{server.port}"
        result = Played(vantage, _play(f"http://127.0.0.1:{site.server_address[1]}", vantage))
        result.reports = _reports(server)
        server.stop()  # one process may open the store at a time
        with duckdb.connect(str(server.store), read_only=True) as con:
            result.stored = con.execute(
                "SELECT entry_id, event_type, event_index, referrer, domain FROM player_events"
            ).fetchall()
        yield result
    finally:
        server.stop()
        site.shutdown()


def _sent(played: Played, entry: str) -> list[Beacon]:
    beacons = played.beacons[entry]
    assert beacons, f"the player sent no beacon for {entry}"
    return beacons


def _assert_stored_once_and_reported(played: Played, entry: str) -> None:
    beacons = _sent(played, entry)
    for b in beacons:
        # CORS held (a refused read has no response) and Vantage took the beacon.
        assert b.status == 200, (b.url, b.status, b.answer)
        assert "viewEventsEnabled" in b.answer, (b.url, b.answer)
    # The page itself read the answers (a browser hides what CORS refuses; Playwright does not):
    # KAVA sends the time of the first answer it reads back as sessionStartTime in the beacons it
    # sends once that answer is in (those sent while it was on its way have none). Answers may
    # arrive out of order on a loaded machine, so it is one of the answers' times, always the same.
    answered = {json.loads(b.answer)["time"] for b in beacons}
    echoed = {
        float(b.fields["sessionStartTime"]) for b in beacons if "sessionStartTime" in b.fields
    }
    assert len(echoed) == 1 and echoed <= answered and "sessionStartTime" in beacons[-1].fields
    sent = Counter(
        (BY_ID[int(b.fields["eventType"])].name, int(b.fields["eventIndex"])) for b in beacons
    )
    mine = [row[1:] for row in played.stored if row[0] == entry]
    assert Counter((t, i) for t, i, *_ in mine) == sent
    # KAVA sends the page's URL as it is (not base64): stored as sent, its host the domain.
    assert {tuple(row[2:]) for row in mine} == {(beacons[0].fields["referrer"], "127.0.0.1")}
    # A whole viewing of the clip: impression, play, the quartiles and views.
    types = Counter(b.fields["eventType"] for b in beacons)
    assert types["1"] == types["3"] == 1 and types["14"] == 1 and types["99"] >= 1, types
    counts = {
        1: {"count_loads": types["1"], "count_plays": types["3"]},
        2: {
            "count_loads": types["1"],
            "count_plays": types["3"],
            **{f"count_plays_{q}": types[t] for q, t in QUARTILES.items()},
        },
    }
    for report, expected in counts.items():
        row = played.reports[report][entry]
        assert {k: int(row[k]) for k in expected} == expected, (report, row)


def test_service_url_without_scheme(played: Played) -> None:
    """`plugins.kava.serviceUrl: "//host:port/api_v3/index.php"`: KAVA adds the page's scheme."""
    _assert_stored_once_and_reported(played, "1_plugin")
    urls = {urlsplit(b.url)._replace(query="").geturl() for b in played.beacons["1_plugin"]}
    assert urls == {f"http://{played.vantage}/api_v3/index.php"}


def test_provider_analytics_service_url(played: Played) -> None:
    """`provider.env.analyticsServiceUrl: "//host:port"`: the player appends /api_v3/index.php."""
    _assert_stored_once_and_reported(played, "1_env")


@pytest.mark.parametrize("entry", ["1_plugin_http", "1_env_http"])
def test_a_url_with_a_scheme_loses_every_beacon(played: Played, entry: str) -> None:
    """KAVA 0.15.1 puts the page's scheme before whatever it is given: `http://host/...`
    becomes `http:http://host/...`, which the browser resolves against the page."""
    beacons = _sent(played, entry)
    page_origin = urlsplit(played.beacons["1_plugin"][0].fields["referrer"]).netloc
    for b in beacons:
        assert b.url.startswith(f"http://{page_origin}/http://{played.vantage}/"), b.url
        assert b.status == 404
    assert not [s for s in played.stored if s[0] == entry]


@pytest.mark.parametrize("entry", ["1_nosession", "1_nosession_2"])
def test_no_session_object(played: Played, entry: str) -> None:
    """`setMedia` without a `session` object: the published player sends `sessionId=` empty,
    and Vantage counts those beacons like any other (see docs/player-analytics.md)."""
    assert {b.fields["sessionId"] for b in _sent(played, entry)} == {""}
    _assert_stored_once_and_reported(played, entry)
