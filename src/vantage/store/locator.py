"""Where the store lives: the ``engine`` setting's value, parsed (no I/O).

Three forms: ``duckdb:PATH`` (one DuckDB file), ``chdb:DIR`` (embedded ClickHouse in a
directory) and ``clickhouse://user:pass@host:8123/db`` (a ClickHouse server over HTTP;
``clickhouses://`` for HTTPS). ``?cluster=NAME`` after the database says the server is one of
the cluster ``NAME`` of its ``remote_servers``, whose tables are replicated shards under
``Distributed`` ones (vantage.store.clickhouse.cluster). A bare path with no scheme is a DuckDB
file, as the older ``store_path`` setting was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

FORMS = (
    "duckdb:PATH, chdb:DIR or clickhouse://user:pass@host:8123/db[?cluster=NAME] "
    "(clickhouses:// for TLS)"
)

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DEFAULT_PORTS = {"clickhouse": 8123, "clickhouses": 8443}
# A cluster is an element of the servers' <remote_servers>: an XML name without the dot, which
# ClickHouse's configuration paths use as a separator.
_CLUSTER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


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
    cluster: str | None = None  # the server's cluster of replicated shards, if it is in one


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
    if parts.fragment or "/" in database:
        raise ValueError(f"engine {value!r}: the URL holds only a database after the host")
    return ClickHouseLocator(
        host=parts.hostname,
        port=port or _DEFAULT_PORTS[parts.scheme.lower()],
        database=database or "default",
        username=unquote(parts.username or "default"),
        password=unquote(parts.password or ""),
        secure=secure,
        cluster=_cluster(parts.query),
    )


def _cluster(query: str) -> str | None:
    """The cluster a URL's query names (``cluster=NAME``, its one option), if any."""
    try:
        options = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise ValueError(f"engine URL: {query!r} is not ?cluster=NAME") from None
    unknown = sorted({key for key, _ in options} - {"cluster"})
    if unknown or len(options) > 1:
        what = f"unknown option {unknown[0]!r}" if unknown else "cluster is given twice"
        raise ValueError(f"engine URL: {what}; the only option is ?cluster=NAME")
    if not options:
        return None
    name = options[0][1]
    if not _CLUSTER_NAME.fullmatch(name):
        raise ValueError(
            f"engine URL: cluster {name!r} is no cluster name: letters, digits, _ and -, not "
            "starting with a digit or - (the name in the servers' <remote_servers>)"
        )
    return name
