"""docs/kaltura-api.md keeps up with the routes, actions and errors (tests/test_docs.py's rule)."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.routing import Route

from vantage.config import Settings
from vantage.ingest.store import Store
from vantage.kaltura import errors
from vantage.kaltura.errors import ErrorType
from vantage.server import create_app, kaltura_registry

DOCS = Path(__file__).parent.parent.parent / "docs"
TEXT = (DOCS / "kaltura-api.md").read_text()


def test_every_api_v3_route_is_documented(tmp_path: Path) -> None:
    with Store.open(Settings.load(engine=str(tmp_path / "s.duckdb"))) as store:
        paths = [r for r in create_app(Settings.load(), store).routes if isinstance(r, Route)]
        kaltura = [r for r in paths if r.path.startswith("/api_v3")]
        assert kaltura
        for route in kaltura:
            for method in sorted((route.methods or set()) - {"HEAD"}):
                assert f"`{method} {route.path}`" in TEXT, f"{method} {route.path} is undocumented"


def test_every_action_is_documented() -> None:
    text = TEXT + (DOCS / "reports.md").read_text()
    for action in kaltura_registry(submit=lambda *job: None):  # with report.exportToCsv
        assert f"`{action.service}.{action.name}`" in text, f"{action.label} is undocumented"


def test_every_error_is_documented() -> None:
    for error in vars(errors).values():
        if isinstance(error, ErrorType):
            assert f"| `{error.code}` |" in TEXT, f"{error.code} is missing from the error table"


def test_the_readme_links_the_page() -> None:
    assert re.search(r"\(docs/kaltura-api\.md\)", (DOCS.parent / "README.md").read_text())
