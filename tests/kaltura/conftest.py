"""One real Vantage server for the Kaltura API tests of a module, with partners of every kind."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.integration.server import Server, cli

ROLES = [
    {"id": 1, "name": "Partner administrator", "permissions": ["*", "ANALYTICS_BASE"]},
    {"id": 2, "name": "Analytics viewer", "permissions": ["ANALYTICS_BASE"]},
]


@dataclass(frozen=True)
class Account:
    id: int
    admin_secret: str
    user_secret: str


@dataclass(frozen=True)
class Live:
    url: str
    main: Account  # made by `vantage partner create`: KS v2, default roles
    v1: Account  # KS v1, two admin secrets (the second listed here), KS at most an hour
    blocked: Account
    read_only: Account


def _imported(id_: int, **fields: object) -> dict[str, object]:
    return {
        "id": id_,
        "name": f"Partner {id_}",
        "adminSecrets": [f"{id_}admin".ljust(32, "a")],
        "userSecret": f"{id_}user".ljust(32, "u"),
        "roles": ROLES,
        **fields,
    }


def _account(record: dict[str, object]) -> Account:
    secrets = record["adminSecrets"]
    assert isinstance(secrets, list) and isinstance(record["id"], int)
    return Account(record["id"], secrets[-1], str(record["userSecret"]))


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("kaltura")
    store = folder / "store.duckdb"
    out = cli(store, "partner", "create", "--name", "Kaltura University")
    found = dict(re.findall(r"(partner id|admin secret|user secret):\s+(\S+)", out))
    main = Account(int(found["partner id"]), found["admin secret"], found["user secret"])
    others = [
        _imported(
            301, adminSecrets=["0" * 32, "v1second".ljust(32, "2")], ksVersion=1, ksMaxExpiry=3600
        ),
        _imported(302, status="blocked"),
        _imported(303, status="readOnly"),
    ]
    (folder / "partners.json").write_text(json.dumps(others))
    cli(store, "import", str(folder / "partners.json"))
    server = Server(store).start()
    try:
        yield Live(server.url, main, *(_account(r) for r in others))
    finally:
        server.stop()
