"""The dashboard over the hand-worked school of tests/analytics/conftest.py (its docstring
works out every number), with the main room 1_main in category 5 "Biology" of partner 101, the
room 1_other (of no virtual event) in its category 6 "Chemistry", and category 9 belonging to
partner 102.

On 2026-08-03 (UTC), room 1_main (session s1, 10:00–10:10 UTC) had prof (1 min, all engaged),
alice (0.75 min, 35 of 45 s engaged; 3 reactions, a raised hand, 2 chat messages, 3 poll
answers, 1 Q&A thread, 2 attachment downloads) and bob (0.5 min, 10 of 30 s engaged; 1 reaction,
1 Q&A thread). Its polls are launched (LAUNCHES): poll1 a quiz "2 + 2?" whose right answer is 4
(alice answered 4, then 5), poll2 a poll "Ready?" (alice: yes).

A second school (MORE, the ``more`` client) adds to it an open question and a rating scale, and
a session of 601 minutes in another room: see MORE.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest
from starlette.testclient import TestClient

from tests.analytics.conftest import (
    ENGAGED,
    ENTRIES,
    LAUNCHES,
    USERS,
    B,
    beats,
    ev,
    events,
    open_store,
)
from vantage.access import ks
from vantage.access.directory import Directory
from vantage.config import Settings
from vantage.entities import repository
from vantage.entities.model import KINDS
from vantage.ingest.store import Store
from vantage.server import create_app

DAY = {"preset": "custom", "from": "2026-08-03", "to": "2026-08-03", "tz": "UTC"}
CATEGORIES: list[dict[str, Any]] = [
    {"partnerId": 101, "id": 5, "name": "Biology"},
    {"partnerId": 101, "id": 6, "name": "Chemistry"},
    {"partnerId": 102, "id": 9, "name": "Elsewhere's"},
]


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("web") / "store.duckdb"
    placed = {"1_main": [5], "1_other": [6]}
    entries = [{**e, "categoryIds": placed[e["id"]]} if e["id"] in placed else e for e in ENTRIES]
    with open_store(path, entries, USERS, [*events(), *LAUNCHES]) as store:
        add_categories(store)
        yield store


def add_categories(store: Store, *more: dict[str, Any]) -> None:
    """The CATEGORIES and ``more``, stored."""
    kind = KINDS["categories"]
    items = repository.decode_items(kind, msgspec.json.encode([*CATEGORIES, *more]))
    store.writer.submit(lambda tx: repository.upsert(tx, kind, items)).result()


def dashboard(store: Store) -> TestClient:
    """A client of the dashboard over ``store``, not signed in."""
    app = create_app(Settings.load(web_session_key="test key"), store)
    return TestClient(app, follow_redirects=False)


def signed_in_dashboard(store: Store) -> TestClient:
    """A client of the dashboard over ``store``, signed in partner-wide."""
    client = dashboard(store)
    signed_in(client, store)
    return client


@pytest.fixture(scope="module")
def client(school: Store) -> TestClient:
    return dashboard(school)


def secret(store: Store, partner: int = 101) -> str:
    found = Directory(store.engine).partner(partner)
    assert found is not None
    return found.admin_secrets[0]


def make_ks(store: Store, privileges: str = "", type_: int = ks.ADMIN, partner: int = 101) -> str:
    return ks.generate(
        secret(store, partner), partner, version=2, type=type_, privileges=privileges
    )


def signed_in(
    client: TestClient, store: Store, privileges: str = "", type_: int = ks.ADMIN
) -> None:
    """Sign ``client`` in through a KS link (the cookie jar keeps the session)."""
    client.cookies.clear()
    token = make_ks(store, privileges, type_)
    answer = client.get("/analytics", params={"ks": token})
    assert answer.status_code == 303, answer.text


# A second school: the first one's, plus in 1_main an open question and a rating scale nobody
# answered, and in 1_other a session s9 of 601 minutes from B + 3000 (10:50 UTC) where prof's
# tab is focused with sound on and bob's focused with the sound off, both in its first minute.
LONG = 601 * 60
MORE = [
    ev("pollLaunched", "prof", B + 60, pollId="poll3", question="Any questions?", pollType="open"),
    ev("pollAnswered", "bob", B + 70, pollId="poll3", answer="none"),
    ev("pollAnswered", "bob", B + 80, pollId="poll3", answer="one, in fact"),
    ev(
        "pollLaunched",
        "prof",
        B + 90,
        pollId="poll4",
        question="Rate the class",
        pollType="ratingScale",
        options=["1", "2", "3"],
    ),
    ev("sessionStarted", "prof", B + 3000, "s9", "1_other"),
    ev("sessionEnded", "prof", B + 3000 + LONG, "s9", "1_other"),
    *beats("prof", B + 3000, [ENGAGED], "s9", "1_other"),
    *beats("bob", B + 3010, [{**ENGAGED, "soundOn": False}], "s9", "1_other"),
]


@pytest.fixture(scope="module")
def more(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The second school's dashboard, signed in partner-wide."""
    path = tmp_path_factory.mktemp("more") / "store.duckdb"
    with open_store(path, ENTRIES, USERS, [*events(), *LAUNCHES, *MORE]) as store:
        yield signed_in_dashboard(store)
