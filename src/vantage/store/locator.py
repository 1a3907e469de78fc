"""Where the store lives: the ``engine`` setting's value, parsed (no I/O).

Three forms: ``duckdb:PATH`` (one DuckDB file), ``chdb:DIR`` (embedded ClickHouse in a
directory) and ``clickhouse://user:pass@host:8123/db`` (a ClickHouse server or cluster over HTTP;
``clickhouses://`` for HTTPS). A bare path with no scheme is a DuckDB file, as the older
``store_path`` setting was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

FORMS = "duckdb:PATH, chdb:DIR or clickhouse://user:pass@host:8123/db (clickhouses:// for TLS)"

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DEFAULT_PORTS = {"clickhouse": 8123, "clickhouses": 8443}


@dataclass(frozen=True)
class DuckDBLocator:
    path: str


@dataclass(frozen=True)
class ChDBLocator:
    directory: str


@dataclass(frozen=True)
class ClickHouseLocator:
    host: str
    port: int
    database: str
    username: str
    password: str = field(repr=False)  # settings get logged; a secret must not be
    secure: bool


Locator = DuckDBLocator | ChDBLocator | ClickHouseLocator


def parse_locator(value: str) -> Locator:
    """The store ``value`` names; ``ValueError`` saying the accepted forms if it names none."""
    scheme = _SCHEME.match(value)
    if scheme is None:
        return DuckDBLocator(_path(value, value))
    name = scheme.group(1).lower()
    rest = value[scheme.end() :]
    if name == "duckdb":
        return DuckDBLocator(_path(rest, value))
    if name == "chdb":
        return ChDBLocator(_path(rest, value))
    if name in _DEFAULT_PORTS:
        return _clickhouse(value, secure=name == "clickhouses")
    raise ValueError(f"unknown engine {value!r}: expected {FORMS}")


def _path(path: str, value: str) -> str:
    if not path.strip():
        raise ValueError(f"engine {value!r} names no path: expected {FORMS}")
    return path


def _clickhouse(value: str, *, secure: bool) -> ClickHouseLocator:
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:  # brackets that are no IPv6 address, a port out of range
        raise ValueError(f"engine {value!r}: {exc}; expected {FORMS}") from None
    database = unquote(parts.path.removeprefix("/"))
    if not parts.hostname or not value[len(parts.scheme) :].startswith("://"):
        raise ValueError(f"engine {value!r} names no host: expected {FORMS}")
    if parts.query or parts.fragment or "/" in database:
        raise ValueError(f"engine {value!r}: the URL holds only a database after the host")
    return ClickHouseLocator(
        host=parts.hostname,
        port=port or _DEFAULT_PORTS[parts.scheme.lower()],
        database=database or "default",
        username=unquote(parts.username or "default"),
        password=unquote(parts.password or ""),
        secure=secure,
    )
