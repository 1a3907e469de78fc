"""Settings, read once from a TOML file and the environment.

Every setting is declared here with its default and meaning; docs/configuration.md lists the
same settings and a test keeps the two in step. Precedence: environment variable, then the
TOML file, then the default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from typing import Any

ENV_PREFIX = "VANTAGE_"
CONFIG_ENV = "VANTAGE_CONFIG"


def _setting(default: Any, doc: str) -> Any:
    return field(default=default, metadata={"doc": doc})


@dataclass(frozen=True)
class Settings:
    host: str = _setting("127.0.0.1", "Address the HTTP server listens on.")
    port: int = _setting(8000, "TCP port the HTTP server listens on.")
    engine: str = _setting(
        "duckdb:var/vantage.duckdb",
        "Where the data is: duckdb:PATH (one DuckDB file, embedded), chdb:DIR (embedded "
        "ClickHouse in a directory) or clickhouse://USER:PASSWORD@HOST:8123/DATABASE (a "
        "ClickHouse server or cluster; clickhouses:// for TLS). A bare path is a DuckDB file.",
    )
    max_body_bytes: int = _setting(
        16 * 1024 * 1024, "Largest request body the collector and admin API accept (bytes)."
    )
    max_batch_events: int = _setting(10_000, "Most events accepted in one collector batch.")
    max_event_age_days: int = _setting(
        400, "Events older than this many days are rejected as a mistyped timestamp."
    )
    max_clock_skew_seconds: int = _setting(
        300, "Events later than now plus this many seconds are rejected."
    )
    memory_limit: str = _setting(
        "300MB", "DuckDB buffer memory limit (DuckDB syntax, e.g. '512MB', '2GB')."
    )
    threads: int = _setting(2, "Worker threads DuckDB may use for one query.")
    writer_group_rows: int = _setting(
        50_000, "Most event rows the single writer commits in one transaction (group commit)."
    )
    reports_dir: str = _setting(
        "var/reports",
        "Folder of the CSV files report.getUrlForReportAsCsv writes (one folder per partner; "
        "a file is removed a day after it was written).",
    )
    facts_compact_seconds: int = _setting(
        300,
        "How often the server merges the hourly player facts that small commits fragmented "
        "(seconds; 0: never).",
    )
    geoip_database: str = _setting(
        "",
        "MaxMind City database (.mmdb) that locates player beacons' client addresses; empty: "
        "the GeoLite2 City file bundled with the maxminddb-geolite2 package.",
    )
    trusted_proxies: str = _setting(
        "",
        "Addresses of reverse proxies (comma-separated, '*' for any) whose X-Forwarded-For "
        "header names the client; empty: the TCP peer is the client.",
    )
    max_multirequest_calls: int = _setting(
        50, "Most requests one Kaltura API multirequest may hold (more: the whole is refused)."
    )
    max_failed_secrets: int = _setting(
        10,
        "Wrong secrets one client address may send for one partner in a minute (session.start "
        "and HTTP Basic auth); past it the secret is not checked until the minute ends (0: no "
        "limit).",
    )
    jobs_dir: str = _setting(
        "var/jobs",
        "Folder of report jobs: one folder per store (store-<hash of where the store is>) with "
        "its job table (jobs.sqlite) and result files, one folder per partner.",
    )
    job_workers: int = _setting(2, "Worker threads that run report jobs in `vantage serve`.")
    job_keep_days: int = _setting(
        7, "Days a report job's result file is kept after the job ends; then it is deleted."
    )
    smtp_host: str = _setting(
        "",
        "SMTP server that sends the e-mail of report.exportToCsv (its download link); empty: "
        "no e-mail, and exportToCsv answers EMAIL_NOT_CONFIGURED.",
    )
    smtp_port: int = _setting(587, "TCP port of the SMTP server.")
    smtp_tls: str = _setting(
        "starttls",
        "How the SMTP connection is encrypted: starttls (upgrade a plain connection, as on port "
        "587), ssl (TLS from the start, as on port 465) or none (plain text: a server on this "
        "machine or a trusted network only). The server's certificate is always verified "
        "(against the system's authorities, or those of the file SSL_CERT_FILE names).",
    )
    smtp_user: str = _setting("", "User name to log in to the SMTP server; empty: no login.")
    smtp_password: str = field(
        default="",
        repr=False,  # never in a log line or a traceback that prints the settings
        metadata={"doc": "Password of smtp_user; never logged or shown."},
    )
    smtp_sender: str = _setting(
        "",
        "The From address of Vantage's e-mail; empty: vantage@ and this machine's name.",
    )
    web_session_minutes: int = _setting(
        480,
        "Minutes a dashboard sign-in lasts (its session cookie's life; a KS link's session ends "
        "with the KS when that comes first).",
    )
    web_session_key: str = field(
        default="",
        repr=False,  # signs the dashboard's session cookies: never in a log line
        metadata={
            "doc": "Key that signs the dashboard's session cookies (any long random text; "
            "servers behind one address share it). Empty: a random key made at start-up, so "
            "every dashboard session ends when the server restarts. Never logged or shown."
        },
    )

    @classmethod
    def load(cls, config_file: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then the TOML file (``[vantage]`` table or top level), then ``VANTAGE_*``."""
        values: dict[str, Any] = {}
        path = config_file or os.environ.get(CONFIG_ENV)
        if path:
            with open(path, "rb") as fh:
                data = tomllib.load(fh)
            values.update(data.get("vantage", data))
        known = {f.name: f for f in fields(cls)}
        unknown = set(values) - set(known)
        if unknown:
            raise ValueError(f"unknown setting(s) in {path}: {', '.join(sorted(unknown))}")
        for name, _f in known.items():
            env = os.environ.get(ENV_PREFIX + name.upper())
            if env is not None:
                values[name] = env
        for name, value in list(values.items()):
            values[name] = _coerce(name, known[name].type, value)
        settings = cls(**values)
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})

    @staticmethod
    def documented() -> list[tuple[str, str, Any]]:
        """(name, doc, default) of every setting, for the docs and their test."""
        return [(f.name, f.metadata["doc"], f.default) for f in fields(Settings)]


def _coerce(name: str, type_name: Any, value: Any) -> Any:
    target = {"int": int, "str": str}[
        type_name if isinstance(type_name, str) else type_name.__name__
    ]
    try:
        return target(value)
    except (TypeError, ValueError):
        raise ValueError(f"setting {name} must be {target.__name__}, got {value!r}") from None
