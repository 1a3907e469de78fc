from __future__ import annotations

from pathlib import Path

import pytest

from vantage.config import Settings

DOCS = Path(__file__).parent.parent / "docs" / "configuration.md"


def test_defaults_then_file_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = tmp_path / "v.toml"
    toml.write_text('[vantage]\nport = 9000\nengine = "x.duckdb"\n')
    monkeypatch.setenv("VANTAGE_PORT", "9100")
    s = Settings.load(toml)
    assert (s.host, s.port, s.engine) == ("127.0.0.1", 9100, "x.duckdb")
    assert Settings.load(toml, port=1234).port == 1234


def test_unknown_and_mistyped_settings_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = tmp_path / "v.toml"
    toml.write_text("prot = 9000\n")
    with pytest.raises(ValueError, match="unknown setting"):
        Settings.load(toml)
    monkeypatch.setenv("VANTAGE_PORT", "eighty")
    with pytest.raises(ValueError, match="port must be int"):
        Settings.load()


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text()
    for name, _doc, default in Settings.documented():
        assert f"`{name}`" in text, f"{name} is missing from docs/configuration.md"
        assert f"`VANTAGE_{name.upper()}`" in text
        assert str(default) in text, f"the default of {name} is not in the docs"
