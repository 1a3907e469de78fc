"""`vantage export` against a real server: a secret or a KS, human dates, errors explained."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.analytics.conftest import ATTENDEES_CSV
from tests.integration.conftest import B, Running
from vantage.access import ks


def export(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vantage.cli", "export", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp"},
    )


def test_export_with_an_admin_secret_to_a_file(school: Running, tmp_path: Path) -> None:
    out = tmp_path / "attendees.csv"
    done = export(
        "attendees",
        "--service-url",
        school.server.url,
        "--partner-id",
        str(school.partner_id),
        "--admin-secret",
        school.secret,
        "--from",
        str(B - 86_400),
        "--to",
        str(B + 86_400),
        "-o",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[3:].decode() == ATTENDEES_CSV
    assert "5 rows of report 6001" in done.stderr


def test_export_with_a_ks_filters_and_a_relative_range(school: Running) -> None:
    token = ks.generate(school.secret, school.partner_id, version=1, type=ks.ADMIN)
    done = export(
        "6000",
        "--service-url",
        school.server.url + "/api_v3/",
        "--ks",
        token,
        "--from",
        "last 30 days",
        "--entry-ids",
        "1_main",
        "--exclude",
        "entry_name",
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("entry_id,parent_entry_id,cue_point_id")
    assert [line.split(",")[2] for line in lines[1:]] == ["s0", "s1", "b1"]  # s0: 15 days ago


def test_export_explains_kaltura_errors(school: Running) -> None:
    url = school.server.url
    wrong = export(
        "6000",
        "--service-url",
        url,
        "--partner-id",
        str(school.partner_id),
        "--admin-secret",
        "x" * 32,
    )
    assert (
        wrong.returncode != 0
        and "START_SESSION_ERROR" in wrong.stderr
        and "admin secret is wrong" in wrong.stderr
    )
    token = ks.generate(school.secret, school.partner_id, version=2, type=ks.ADMIN)
    missing = export("certificate-of-completion", "--service-url", url, "--ks", token)
    assert missing.returncode != 0 and "MISSING_MANDATORY_PARAMETER" in missing.stderr
    assert "user_id" in missing.stderr
    bad_date = export("6000", "--service-url", url, "--ks", token, "--from", "someday")
    assert bad_date.returncode != 0 and "2024-08-01" in bad_date.stderr
    unknown = export("popularity", "--service-url", url, "--ks", token)
    assert unknown.returncode != 0 and "room-data" in unknown.stderr
