"""The app on a fresh store and jobs folder, called in-process; jobs run when a test says so
(``drain``), so each answer is checked at a known state."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from vantage.access import ks
from vantage.config import Settings
from vantage.entities import partners
from vantage.entities.model import Partner
from vantage.ingest.store import Store
from vantage.jobs.runner import Runner
from vantage.server import create_app

GENERATE, SERVE, CANCEL = "/api/v1/report/generate", "/api/v1/report/serve", "/api/v1/report/cancel"


@dataclasses.dataclass
class Api:
    client: TestClient
    runner: Runner
    partner: Partner
    other: Partner

    def ks(self, privileges: str = "", partner: Partner | None = None, **kw: Any) -> str:
        who = partner or self.partner
        options: dict[str, Any] = {"version": 2, "type": ks.ADMIN, "user_id": "analyst", **kw}
        return ks.generate(who.admin_secrets[0], who.id, privileges=privileges, **options)

    def post(self, path: str, body: Any, token: str | None = None, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {token or self.ks()}", **kw.pop("headers", {})}
        return self.client.post(path, json=body, headers=headers, **kw)

    def drain(self) -> None:
        while self.runner.run_once():
            pass


@pytest.fixture
def api(tmp_path: Path, store: Store, partner: Partner) -> Iterator[Api]:
    other = store.writer.submit(lambda tx: partners.create(tx, "Other School")).result()
    settings = dataclasses.replace(
        Settings.load(engine=str(tmp_path / "store.duckdb")), jobs_dir=str(tmp_path / "jobs")
    )
    app = create_app(settings, store)
    # No lifespan: the workers do not start, tests run jobs with Api.drain.
    client = TestClient(app, raise_server_exceptions=False)
    runner = app.state.jobs
    yield Api(client, runner, partner, other)
    runner.stop(wait_s=5)
