"""The `vantage` command, run in-process with click's runner against a real store file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from vantage.cli import main
from vantage.config import Settings
from vantage.ingest.store import Store

SMALL_DEMO = (
    "demo",
    "--events",
    "1000",
    "--player-events",
    "2000",
    "--now",
    "2025-06-01T00:00:00Z",
)


def run(tmp_path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s.duckdb"), *args])
    assert result.exit_code == 0, result.output
    return result.output


def fails(tmp_path: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s.duckdb"), *args])
    assert result.exit_code != 0
    return result.output


@pytest.mark.parametrize(
    "command", [[], ["serve"], ["demo"], ["import"], ["partner", "create"], ["store", "copy"]]
)
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
    with Store.open(Settings.load(engine=str(tmp_path / "s.duckdb"))) as store:
        assert store.engine.query("SELECT count(*) FROM users")[0][0] == 2
        assert store.engine.query("SELECT count(*) FROM entries")[0][0] == 0


def test_import_needs_a_kind_it_can_tell(tmp_path: Path) -> None:
    odd = tmp_path / "people.csv"
    odd.write_text("partnerId,id\n101,u\n")
    assert "use --kind" in fails(tmp_path, "import", str(odd))
    assert "1 of 1 users" in run(tmp_path, "import", "--kind", "users", str(odd))


def test_a_locked_store_gets_a_clear_message(tmp_path: Path) -> None:
    with Store.open(Settings.load(engine=str(tmp_path / "s.duckdb"))):
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


def test_the_commands_serve_prints_work_as_printed(tmp_path: Path) -> None:
    """`make run` starts the venv's `vantage`, which the PATH lacks: the export command it prints
    must run from that same shell all the same."""
    import os
    import shlex
    import signal
    import subprocess
    import sys
    import time

    from tests.integration.server import free_port
    from vantage.cli import DEMO_PARTNER_KEY
    from vantage.entities import partners

    store_file = tmp_path / "s.duckdb"
    with Store.open(Settings.load(engine=str(store_file))) as store:
        made = store.writer.submit(lambda tx: partners.create(tx, "Demo U")).result()
        store.set_meta(DEMO_PARTNER_KEY, str(made.id))
    venv_bin = Path(sys.executable).parent
    path = os.pathsep.join(
        p for p in os.environ.get("PATH", "").split(os.pathsep) if Path(p) != venv_bin
    )
    env = {**os.environ, "PATH": path, "PYTHONUNBUFFERED": "1"}
    started = os.path.relpath(venv_bin / "vantage", tmp_path)  # as make run gives it: relative
    port = free_port()
    server = subprocess.Popen(
        [started, "--store", str(store_file), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        printed: list[str] = []
        for line in iter(server.stdout.readline, ""):
            printed.append(line.strip())
            if " export attendees " in line:
                break
        export = printed[-1]
        assert shlex.split(export)[0] == started
        (dashboard,) = (p.split(": ", 1)[1] for p in printed if p.startswith("The room analytics"))
        (generate,) = (p for p in printed if "/api/v1/report/generate" in p)
        health = f"http://127.0.0.1:{port}/healthz"
        deadline = time.monotonic() + 30
        while not _answers(health):
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        done = subprocess.run(
            export, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.count("\n") == 1  # the CSV header: the partner has no attendees
        import httpx

        page = httpx.get(dashboard, follow_redirects=True, timeout=30)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        asked = subprocess.run(generate, shell=True, capture_output=True, text=True, timeout=60)
        assert asked.returncode == 0 and '"sessionId"' in asked.stdout, asked.stdout
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0


def _answers(url: str) -> bool:
    import httpx

    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def test_demo_leaves_the_store_checkpointed(tmp_path: Path) -> None:
    out = run(tmp_path, *SMALL_DEMO)
    assert "Partner id:" in out
    assert not (tmp_path / "s.duckdb.wal").exists()  # closing a store checkpoints it


def test_store_copy_copies_verifies_and_says_why_it_cannot(tmp_path: Path) -> None:
    run(tmp_path, *SMALL_DEMO)
    to = f"chdb:{tmp_path / 'chdb'}"
    out = run(tmp_path, "store", "copy", "--to", to)
    assert re.search(r"player_events +[0-9,]+ rows +[0-9.]+ s\n", out)
    assert "Verified: every table's row count" in out
    assert "(already copied)" in run(tmp_path, "store", "copy", "--to", to)
    assert "names a DuckDB file" in fails(tmp_path, "store", "copy", "--to", "duckdb:x.duckdb")
    unreachable = fails(tmp_path, "store", "copy", "--to", "clickhouse://u:secret@127.0.0.1:1/db")
    assert "cannot open the ClickHouse store" in unreachable
    assert "secret" not in unreachable and "Traceback" not in unreachable
