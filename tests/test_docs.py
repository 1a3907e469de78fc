"""Documentation that falls behind the code fails the build (Datasette's rule)."""

from __future__ import annotations

import re
from pathlib import Path

import msgspec.inspect as mi
import pytest
from starlette.routing import Route

from vantage.entities.model import KINDS
from vantage.events.vocabulary import BY_NAME

DOCS = Path(__file__).parent.parent / "docs"


def test_every_event_type_and_field_is_documented() -> None:
    text = (DOCS / "events.md").read_text()
    for name, cls in BY_NAME.items():
        assert f"`{name}`" in text, f"event type {name} is missing from docs/events.md"
        for field in mi.type_info(cls).fields:  # type: ignore[attr-defined]
            assert f"`{field.encode_name}`" in text, f"{name}.{field.encode_name} is undocumented"


def test_every_entity_kind_and_field_is_documented() -> None:
    text = (DOCS / "admin-api.md").read_text()
    for name, kind in KINDS.items():
        assert f"**{name}**" in text, f"entity kind {name} is missing from docs/admin-api.md"
        for field in mi.type_info(kind.struct).fields:  # type: ignore[attr-defined]
            assert f"`{field.encode_name}`" in text, f"{name}.{field.encode_name} is undocumented"


def test_every_route_is_documented(tmp_path: Path) -> None:
    from vantage.config import Settings
    from vantage.ingest.store import Store
    from vantage.server import create_app

    pages = ("admin-api.md", "kaltura-api.md", "reports-microservice.md", "dashboard.md")
    text = "".join((DOCS / page).read_text() for page in pages)
    with Store.open(Settings.load(engine=str(tmp_path / "s.duckdb"))) as store:
        app = create_app(Settings.load(), store)
        for route in app.routes:
            assert isinstance(route, Route)
            for method in sorted((route.methods or set()) - {"HEAD"}):
                documented = f"`{method} {route.path}`"
                assert documented in text, (
                    f"{documented} is in none of {', '.join(pages)}"
                )


def test_every_player_event_and_field_is_documented() -> None:
    from vantage.player.vocabulary import EVENTS, FIELDS

    text = (DOCS / "player-analytics.md").read_text()
    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    for kind in EVENTS:
        row = rows.get(str(kind.id), "")
        assert f"| `{kind.name}` |" in row, f"event {kind.id} is missing from player-analytics.md"
        for attr in kind.extras:
            assert f"`{FIELDS[attr]}`" in row, f"event {kind.id}: {FIELDS[attr]} is undocumented"
    for wire in FIELDS.values():
        assert f"| `{wire}` |" in text, f"player field {wire} is undocumented"


def test_every_column_the_server_adds_to_player_events_is_documented() -> None:
    from vantage.player.columns import COLUMNS

    text = (DOCS / "player-analytics.md").read_text()
    for column in COLUMNS:
        if not column.attr:
            assert f"`{column.name}`" in text, f"player_events.{column.name} is undocumented"


@pytest.mark.parametrize(
    "doc",
    [
        "events.md",
        "admin-api.md",
        "configuration.md",
        "reports.md",
        "kaltura-api.md",
        "player-analytics.md",
        "kava-reports.md",
        "reports-microservice.md",
        "dashboard.md",
    ],
)
def test_docs_are_linked_from_the_readme(doc: str) -> None:
    readme = (DOCS.parent / "README.md").read_text()
    assert re.search(rf"\(docs/{re.escape(doc)}\)", readme), f"README does not link {doc}"


def test_every_report_and_column_is_documented() -> None:
    from vantage.analytics.room_reports import REPORTS

    text = (DOCS / "reports.md").read_text()
    for report in REPORTS.values():
        assert f"## {report.id} {report.title}" in text, f"report {report.id} is undocumented"
        assert f"`{report.name}`" in text
        for header in report.headers:
            assert header in text, f"column {header} of report {report.id} is undocumented"


def test_every_kava_report_metric_and_filter_field_is_documented() -> None:
    from vantage.analytics.filters import IGNORED
    from vantage.analytics.metrics import METRICS
    from vantage.analytics.report_types import REPORTS
    from vantage.kaltura.classes import END_USER_REPORT_INPUT_FILTER, REPORT_INPUT_FILTER

    text = (DOCS / "kava-reports.md").read_text()
    for report in REPORTS.values():
        documented = f"{report.id} `{report.name}`"
        assert documented in text, f"report {report.id} is missing from docs/kava-reports.md"
    for name in METRICS:
        assert f"| `{name}` |" in text, f"metric {name} is missing from the metrics table"
    fields = {f.name for f in REPORT_INPUT_FILTER.all_fields}
    fields |= {f.name for f in END_USER_REPORT_INPUT_FILTER.all_fields}
    for name in sorted(fields | IGNORED):
        assert f"`{name}`" in text, f"filter field {name} is missing from docs/kava-reports.md"


def test_every_derived_player_column_and_facts_measure_is_documented() -> None:
    from vantage.player.facts import DERIVED, KEYS, MEASURES

    text = (DOCS / "player-analytics.md").read_text()
    for column in DERIVED:
        assert f"| `{column.name}` |" in text, f"player_events.{column.name} is undocumented"
    for key in KEYS:
        assert f"`{key.name}`" in text, f"player_facts key {key.name} is undocumented"
    for measure in MEASURES:
        assert f"`{measure.name}`" in text, f"player_facts.{measure.name} is undocumented"


def test_every_report_name_and_activity_column_is_documented() -> None:
    from vantage.analytics.activity_reports import REPORTS
    from vantage.analytics.catalog import NAMES

    text = (DOCS / "reports.md").read_text()
    names = text[text.index("## Report names") :]
    for name in NAMES:
        assert f"`{name}`" in names, f"report name {name} is undocumented"
    for report in REPORTS.values():
        section = names[names.index(f"### `{report.name}`") :]
        for header in report.headers:
            assert f"`{header}`" in section.split("\n### ")[0], f"{report.name}.{header}"


def test_every_session_panel_field_is_documented() -> None:
    import dataclasses

    from vantage.analytics import session_panels as sp

    text = (DOCS / "reports.md").read_text()
    section = text[text.index("## Dashboard session panels") :]
    for row in (sp.Point, sp.Interaction, sp.Answer, sp.Text):
        for f in dataclasses.fields(row):
            assert f"`{f.name}`" in section, f"{row.__name__}.{f.name} is undocumented"
    for state in sp.State:
        assert f"`{state.value}`" in section
