"""The `vantage` command, run in-process with click's runner against a real store file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from vantage.cli import main
from vantage.config import Settings
from vantage.store.store import Store


def run(tmp_path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s.duckdb"), *args])
    assert result.exit_code == 0, result.output
    return result.output


def fails(tmp_path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s.duckdb"), *args])
    assert result.exit_code != 0
    return result.output


@pytest.mark.parametrize("command", [[], ["serve"], ["demo"], ["import"], ["partner", "create"]])
def test_every_command_explains_itself(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    first_paragraph = result.output.split("\n\n")[1].strip()
    assert len(first_paragraph) > 20, f"{command} has no real description"


def test_partner_create_prints_id_and_secrets(tmp_path: Path) -> None:
    out = run(tmp_path, "partner", "create", "--name", "Test U")
    assert re.search(r"partner id:\s+101\n", out)
    assert re.search(r"admin secret:\s+[0-9a-f]{32}\n", out)
    assert re.search(r"user secret:\s+[0-9a-f]{32}\n", out)
    assert "already exists" in fails(tmp_path, "partner", "create", "--name", "X", "--id", "101")


def test_import_is_all_or_nothing_per_file(tmp_path: Path) -> None:
    run(tmp_path, "partner", "create", "--name", "Test U")
    good = tmp_path / "users.csv"
    good.write_text("partnerId,id,firstName\n101,u1,Ann\n101,u2,Bob\n")
    bad = tmp_path / "entries.json"
    bad.write_text(
        '[{"partnerId":101,"id":"1_a","name":"A","kind":"room"},{"partnerId":101,"id":"1_b"}]'
    )
    assert "2 of 2 users imported" in run(tmp_path, "import", str(good))
    assert "Object missing required field `name`" in fails(tmp_path, "import", str(bad))
    with Store.open(Settings.load(store_path=str(tmp_path / "s.duckdb"))) as store:
        assert store.engine.query("SELECT count(*) FROM users")[0][0] == 2
        assert store.engine.query("SELECT count(*) FROM entries")[0][0] == 0


def test_import_needs_a_kind_it_can_tell(tmp_path: Path) -> None:
    odd = tmp_path / "people.csv"
    odd.write_text("partnerId,id\n101,u\n")
    assert "use --kind" in fails(tmp_path, "import", str(odd))
    assert "1 of 1 users" in run(tmp_path, "import", "--kind", "users", str(odd))


def test_a_locked_store_gets_a_clear_message(tmp_path: Path) -> None:
    with Store.open(Settings.load(store_path=str(tmp_path / "s.duckdb"))):
        import subprocess
        import sys

        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "vantage.cli",
                "--store",
                str(tmp_path / "s.duckdb"),
                "partner",
                "create",
                "--name",
                "X",
            ],
            capture_output=True,
            text=True,
        )
    assert out.returncode != 0 and "Stop the server first" in out.stderr


def test_bad_now_is_refused(tmp_path: Path) -> None:
    assert "UTC offset" in fails(tmp_path, "demo", "--now", "2026-01-01T00:00:00")
