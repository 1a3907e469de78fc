"""The e-mail export of a room or channel page: a real SMTP server on 127.0.0.1 receives the
e-mail that report.exportToCsv's job sends, the test follows its link and reads the CSV, whose
numbers are the hand-worked school's (tests/web/conftest.py, tests/analytics/conftest.py).

Report 60010 of 1_main on 2026-08-03, one row a person, as the page's engagement table has
them (its default order, minutes viewed, most first): prof 1 minute, all engaged (ratio 1);
alice 0.75 minute, 3 reactions, 2 group messages, 3 poll answers, a raised hand, 35 of 45 s
engaged; bob 0.5 minute, 1 reaction, 10 of 30 s engaged (1/3)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.smtp_server import Inbox, free_port, smtp_server
from tests.web.conftest import DAY, signed_in
from vantage.access import ks
from vantage.access.directory import Directory
from vantage.config import Settings
from vantage.ingest.store import Store
from vantage.server import create_app
from vantage.web import routes as web_routes

ROOM = "/analytics/rooms/1_main"
CHANNEL = "/analytics/categories/5"


@dataclass(frozen=True)
class Live:
    client: TestClient
    inbox: Inbox
    store: Store


@pytest.fixture(scope="module")
def live(school: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder: Path = tmp_path_factory.mktemp("export")
    with smtp_server() as inbox:
        configured = Settings.load(
            web_session_key="test key",
            smtp_host="127.0.0.1",
            smtp_port=inbox.port,
            smtp_tls="none",
            smtp_sender="Vantage <reports@school.example>",
            jobs_dir=str(folder / "jobs"),
        )
        # entered: the app's start-up starts its job runner, which writes and sends
        with TestClient(create_app(configured, school), follow_redirects=False) as client:
            yield Live(client, inbox, school)


def _csrf(client: TestClient, page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(page, params=DAY).text)
    assert found
    return found.group(1)


def _mail_to(inbox: Inbox, address: str, seen: int) -> EmailMessage:
    deadline = time.monotonic() + 30
    while True:
        for message in inbox.messages[seen:]:
            if address in str(message["To"]):
                return message
        assert time.monotonic() < deadline, f"no e-mail to {address}"
        time.sleep(0.05)


def _csv(client: TestClient, message: EmailMessage) -> list[str]:
    body = message.get_content()
    assert isinstance(body, str)
    link = re.search(r"http://testserver/\S+/report\.csv", body)
    assert link, body
    got = client.get(link.group(0))
    assert got.status_code == 200 and got.content.startswith(b"\xef\xbb\xbf")
    return got.content.decode("utf-8-sig").splitlines()


RULE = '"# ------------------------------------"'


def test_a_room_export_is_mailed_and_its_link_downloads_the_engagement_table(live: Live) -> None:
    client, inbox = live.client, live.inbox
    signed_in(client, live.store)
    page = client.get(ROOM, params=DAY).text
    assert 'name="descriptive"' in page and f'action="{ROOM}/export?preset=custom' in page
    seen = len(inbox.messages)
    to = "dean@school.example, ann@school.example, dean@school.example"
    form = {"emails": to, "csrf": _csrf(client, ROOM)}
    answer = client.post(ROOM + "/export", params=DAY, data=form)
    assert answer.status_code == 200, answer.text
    assert "will be sent to dean@school.example, ann@school.example when ready" in answer.text
    message = _mail_to(inbox, "ann@school.example", seen)
    assert message["To"] == "dean@school.example, ann@school.example"  # one message to both
    assert message["Subject"] == "Viewer engagement Biology 101 is ready to download"
    assert "The link works until" in str(message.get_content())
    lines = _csv(client, message)
    assert lines[:5] == [
        RULE,
        '"Report: Viewer engagement Biology 101"',
        '"Filtered dates: 2026-08-03 00:00:00 - 2026-08-03 23:59:59 (UTC)"',
        '"Filtered entries: 1_main"',
        RULE,
    ]
    rows = {line.split(",")[0].strip('"'): line.split(",") for line in lines[6:]}
    headers = [h.strip('"') for h in lines[5].split(",")]
    assert headers[:2] == ["user_id", "user_name"]
    at = {h: i for i, h in enumerate(headers)}

    def cell(user: str, column: str) -> str:
        return rows[user][at[column]].strip('"')

    assert [line.split(",")[0] for line in lines[6:]] == ['"prof"', '"alice"', '"bob"']
    assert [cell(u, "live_view_time") for u in ("prof", "alice", "bob")] == ["1", "0.75", "0.5"]
    assert cell("alice", "count_reaction_clicked") == "3"
    assert cell("alice", "count_group_chat_messages_sent") == "2"
    assert cell("alice", "count_poll_answered") == "3"
    assert cell("alice", "count_raise_hand_clicked") == "1"
    ratio = "combined_live_engaged_users_play_time_ratio"
    assert float(cell("alice", ratio)) == pytest.approx(35 / 45)
    assert float(cell("bob", ratio)) == pytest.approx(1 / 3)
    assert cell("prof", ratio) == "1"


def test_a_channel_export_with_descriptive_headers_in_the_pages_zone(live: Live) -> None:
    client, inbox = live.client, live.inbox
    signed_in(client, live.store)
    seen = len(inbox.messages)
    paris = {**DAY, "tz": "Europe/Paris"}  # the day from 2026-08-02 22:00 UTC
    form = {"emails": "head@school.example", "descriptive": "on", "csrf": _csrf(client, CHANNEL)}
    answer = client.post(CHANNEL + "/export", params=paris, data=form)
    assert answer.status_code == 200, answer.text
    assert "Biology (2026-08-03 00:00 to 2026-08-03 23:59" in answer.text
    message = _mail_to(inbox, "head@school.example", seen)
    assert message["Subject"] == "Viewer engagement Biology is ready to download"
    assert "(UTC+0200)" in str(message.get_content())  # the link's end, in the page's zone
    lines = _csv(client, message)
    assert lines[2] == '"Filtered dates: 2026-08-02 22:00:00 - 2026-08-03 21:59:59 (UTC)"'
    assert lines[3] == RULE  # a category names no entries
    assert lines[4].startswith('"User ID","User name"')  # people's names for the columns
    # the category's only room: the same people and minutes as the room's table
    assert [line.split(",")[0] for line in lines[5:]] == ['"prof"', '"alice"', '"bob"']


def _posted(client: TestClient, url: str, data: dict[str, str]) -> tuple[int, str]:
    answer = client.post(url, params=DAY, data=data)
    return answer.status_code, answer.text


def test_bad_addresses_are_refused_and_nothing_is_sent(live: Live) -> None:
    client = live.client
    signed_in(client, live.store)
    token = _csrf(client, ROOM)
    runner = client.app.state.jobs  # type: ignore[attr-defined]
    before = runner.queue.active(101)
    for to in (
        "",
        "dean",
        "dean@school",  # no dot in the domain
        "dean@@school.example",
        "a@b.example@c.example",
        "dean@school.example\r\nBcc: all@school.example",
        "dean@school.example\nx",
        "dean@school.example; ann@school.example",
        "d" * 250 + "@school.example",
        ", ".join(f"p{i}@school.example" for i in range(11)),
        "élève@school.example",
        "dean@school.example, <x@y.example>",
    ):
        status, text = _posted(client, ROOM + "/export", {"emails": to, "csrf": token})
        assert status == 400, (to, text[:300])
    assert (
        "is not an e-mail address"
        in _posted(client, ROOM + "/export", {"emails": "x", "csrf": token})[1]
    )
    assert runner.queue.active(101) == before


def test_who_may_export(live: Live) -> None:
    client = live.client
    # a stale or foreign form
    signed_in(client, live.store)
    status, text = _posted(client, ROOM + "/export", {"emails": "a@b.example", "csrf": "forged"})
    assert status == 403 and "stale" in text
    # an LMS link for one person, or for a category: no form, and a post is refused
    for privileges, type_ in (("sview:1_main", ks.USER), ("categoryid:5", ks.ADMIN)):
        signed_in(client, live.store, privileges, type_)
        page = client.get(ROOM, params=DAY).text
        assert "Export (e-mail)" not in page
        data = {"emails": "a@b.example", "csrf": _csrf(client, ROOM)}
        status, text = _posted(client, ROOM + "/export", data)
        assert status == 403 and "may not e-mail exports" in text
    # a session of a virtual event may, as it may download the custom reports
    signed_in(client, live.store, "virtualeventid:7", ks.USER)
    assert "Export (e-mail)" in client.get(ROOM, params=DAY).text
    # not signed in: to the sign-in form; a room not one's own: as its page answers
    client.cookies.clear()
    assert _posted(client, ROOM + "/export", {"emails": "a@b.example"})[0] == 303
    signed_in(client, live.store, "sview:1_main", ks.USER)
    data = {"emails": "a@b.example", "csrf": _csrf(client, ROOM)}
    assert _posted(client, "/analytics/rooms/1_other/export", data)[0] == 403
    signed_in(client, live.store)
    data = {"emails": "a@b.example", "csrf": _csrf(client, ROOM)}
    assert _posted(client, "/analytics/rooms/nowhere/export", data)[0] == 404
    assert _posted(client, "/analytics/categories/9/export", data)[0] == 404


def test_without_an_smtp_server_the_page_says_so(client: TestClient, school: Store) -> None:
    signed_in(client, school)  # the conftest's server: no smtp_host
    page = client.get(ROOM, params=DAY).text
    assert "E-mail export is off: this server has no SMTP server configured" in page
    assert 'name="emails"' not in page
    status, text = _posted(
        client, ROOM + "/export", {"emails": "a@b.example", "csrf": _csrf(client, ROOM)}
    )
    assert status == 503 and "no SMTP server is configured" in text


# --- hostile forms ------------------------------------------------------------------------------

Queued = list[tuple[Any, ...]]


@pytest.fixture(scope="module")
def recorded(school: Store) -> tuple[TestClient, Queued]:
    """The dashboard alone, with an SMTP server named (never reached) and a queue that only
    records what it is asked."""
    queued: Queued = []

    def queue(*args: Any, **named: Any) -> str:
        assert not named  # called as QueueTable is: by position
        queued.append(tuple(args[0]))  # the TableExport's fields
        return "job"

    settings_ = Settings.load(
        web_session_key="test key", smtp_host="127.0.0.1", smtp_port=free_port()
    )
    app = Starlette(routes=web_routes.routes(settings_, school, Directory(school.engine), queue))
    client = TestClient(app, follow_redirects=False)
    signed_in(client, school)
    return client, queued


def test_a_good_form_reaches_the_queue(recorded: tuple[TestClient, Queued]) -> None:
    client, queued = recorded
    before = len(queued)
    data = {"emails": " a@b.example ,c@d.example", "csrf": _csrf(client, ROOM)}
    assert _posted(client, ROOM + "/export", data)[0] == 200
    partner, report, values, title, emails, descriptive, offset, server = queued[before]
    assert (partner, report, title, emails, descriptive, offset) == (
        101,
        60010,
        "Viewer engagement Biology 101",
        ("a@b.example", "c@d.example"),
        False,
        0,
    )
    assert values == {"fromDate": 1785715200, "toDate": 1785801599, "entryIdIn": "1_main"}
    assert server == "http://testserver"


_HOSTILE_TO = st.one_of(
    st.text(max_size=40).map(lambda t: t + "\r\n"),  # a line break anywhere is refused
    st.text(max_size=40).filter(lambda t: "@" not in t),
    st.lists(st.just("p@school.example"), min_size=11, max_size=14).map(", ".join),
    st.text(max_size=20).map(lambda t: f"{t}@@school.example"),
    st.text(min_size=255, max_size=300, alphabet="ab@.").filter(lambda t: t.count("@") == 1),
)
_FIELD = st.sampled_from(["emails", "csrf", "descriptive", "x", "emails[]", ""])
_BODIES = st.one_of(
    st.binary(max_size=300),
    st.lists(st.tuples(_FIELD, st.text(max_size=30)), max_size=6).map(
        lambda pairs: "&".join(f"{k}={v}" for k, v in pairs).encode("utf-8", "surrogatepass")
    ),
    st.binary(min_size=8_193, max_size=9_000),
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    to=_HOSTILE_TO, descriptive=st.sampled_from(["", "on", "yes", "0"]), good_token=st.booleans()
)
def test_no_hostile_address_is_queued_or_fails_the_server(
    recorded: tuple[TestClient, Queued], to: str, descriptive: str, good_token: bool
) -> None:
    client, queued = recorded
    before = len(queued)
    token = _csrf(client, ROOM) if good_token else "x"
    data = {"emails": to, "csrf": token, "descriptive": descriptive}
    status, _ = _posted(client, ROOM + "/export", data)
    assert status in (400, 403)
    assert len(queued) == before


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=_BODIES,
    kind=st.sampled_from(
        ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", ""]
    ),
    path=st.sampled_from([ROOM, CHANNEL]),
)
def test_no_hostile_body_is_queued_or_fails_the_server(
    recorded: tuple[TestClient, Queued], body: bytes, kind: str, path: str
) -> None:
    client, queued = recorded
    before = len(queued)
    answer = client.post(path + "/export", params=DAY, content=body, headers={"content-type": kind})
    assert answer.status_code in (400, 403, 413), answer.text[:300]
    assert len(queued) == before
