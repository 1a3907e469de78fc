"""The cluster's migrations are the single server's on replicated shards under Distributed
tables, as chDB's parser reads both (there is no cluster here: nothing runs ON CLUSTER).

The golden files are the statements a cluster ``vantage`` with the database ``analytics`` runs,
so that a change in them is seen in review. After a deliberate change, write them again with
``VANTAGE_UPDATE_GOLDEN=1 pytest tests/store/clickhouse/test_cluster_migrations.py``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.store.clickhouse.emulation import KEEPER_PATH, unreplicated
from vantage.store.clickhouse import migrations
from vantage.store.clickhouse.cluster import Cluster
from vantage.store.clickhouse.engine import VERSIONED_TABLES, ChDBEngine

GOLDEN = Path(__file__).parent / "golden"
CLUSTER = Cluster("vantage", "analytics")

# How each table is sharded: a partner's rows together, a partner's own row with them.
SHARDING = {
    "meta": "cityHash64(key)",
    "partners": "cityHash64(id)",
    "copy_progress": "cityHash64(source)",
    "schema_migrations": "version",
}
BY_PARTNER = "cityHash64(partner_id)"


@dataclass(frozen=True)
class Statement:
    """A CREATE as ClickHouse's formatter writes it back (comments gone, one layout)."""

    kind: str  # TABLE, VIEW or MATERIALIZED VIEW
    database: str | None
    name: str
    on_cluster: str | None
    columns: tuple[str, ...]  # "`name` Type ..." of a table declared with its columns
    rest: str  # the engine, keys and settings, or what a view is


_CREATE = re.compile(
    r"CREATE (TABLE|VIEW|MATERIALIZED VIEW) IF NOT EXISTS (?:(\w+)\.)?(\w+)"
    r"(?: ON CLUSTER (\w+))?(.*)",
    re.S,
)


def _parsed(chdb: ChDBEngine, statement: str) -> Statement:
    """``statement`` parsed by ClickHouse (a syntax error raises) and taken apart."""
    formatted = chdb.query("SELECT formatQuery({p0:String})", [statement])[0][0]
    match = _CREATE.fullmatch(formatted)
    assert match, formatted
    kind, database, name, on_cluster, rest = match.groups()
    columns: tuple[str, ...] = ()
    if rest.startswith("\n(\n"):
        body, _, rest = rest[3:].partition("\n)\n")
        columns = tuple(line.strip().removesuffix(",") for line in body.splitlines())
    return Statement(kind, database, name, on_cluster, columns, rest)


def _layout(chdb: ChDBEngine, statements: list[str]) -> dict[str, Statement]:
    parsed = [_parsed(chdb, s) for s in statements]
    by_name = {s.name: s for s in parsed}
    assert len(by_name) == len(parsed), "a name created twice"
    return by_name


def _code(statement: str) -> str:
    """A statement without its comment lines."""
    return "\n".join(line for line in statement.splitlines() if not line.startswith("--")).strip()


def _single(chdb: ChDBEngine) -> dict[str, Statement]:
    statements = [s for m in migrations.MIGRATIONS for s in m.statements]
    creates = [s for s in statements if _code(s).startswith("CREATE")]
    return _layout(chdb, [*migrations.history(None), *creates])


def _cluster(chdb: ChDBEngine) -> dict[str, Statement]:
    statements = [s for m in migrations.CLUSTER_MIGRATIONS for s in m.statements]
    rendered = [CLUSTER.render(s) for s in statements if _code(s).startswith("CREATE")]
    return _layout(chdb, [*migrations.history(CLUSTER), *rendered])


def _backfills(chdb: ChDBEngine, layout: tuple[migrations.Migration, ...]) -> list[str]:
    """The INSERTs of a migration set (facts of rows stored before), as ClickHouse reads them."""
    inserts = [
        CLUSTER.render(s) for m in layout for s in m.statements if _code(s).startswith("INSERT")
    ]
    return [chdb.query("SELECT formatQuery({p0:String})", [s])[0][0] for s in inserts]


def test_the_backfills_are_the_single_servers_through_the_distributed_tables(
    chdb: ChDBEngine,
) -> None:
    single = _backfills(chdb, migrations.MIGRATIONS)
    cluster = _backfills(chdb, migrations.CLUSTER_MIGRATIONS)
    assert single and all("analytics." in c and "_local" not in c for c in cluster)
    assert [c.replace("analytics.", "") for c in cluster] == single


def _distributed(statement: Statement) -> tuple[str, str]:
    """(the local table, the sharding key) of a Distributed table over this cluster's shards."""
    match = re.fullmatch(
        r" AS analytics\.(\w+)_local\nENGINE = Distributed\(vantage, analytics, (\w+), (.+)\)",
        statement.rest,
    )
    assert match and match[2] == f"{match[1]}_local", statement
    return match[1], match[3]


def _identifiers(expression: str) -> set[str]:
    """The column names in ``expression`` (names not followed by a parenthesis)."""
    return set(re.findall(r"\b([a-z_]\w*)\b(?!\s*\()", expression))


def _order_by(statement: Statement) -> set[str]:
    match = re.search(r"^ORDER BY (.+)$", statement.rest, re.M)
    assert match, statement
    return _identifiers(match[1])


def test_the_cluster_runs_the_same_versions() -> None:
    single = [(m.version, m.description) for m in migrations.MIGRATIONS]
    assert [(m.version, m.description) for m in migrations.CLUSTER_MIGRATIONS] == single


def test_every_cluster_statement_parses_and_runs_on_the_cluster(chdb: ChDBEngine) -> None:
    for statement in _cluster(chdb).values():
        assert (statement.database, statement.on_cluster) == ("analytics", "vantage"), statement


def test_the_tables_and_columns_are_the_single_servers(chdb: ChDBEngine) -> None:
    single, cluster = _single(chdb), _cluster(chdb)
    local = {n.removesuffix("_local"): s for n, s in cluster.items() if n.endswith("_local")}
    tables = {n for n, s in single.items() if s.kind == "TABLE"}
    assert local.keys() == tables
    assert {n for n in cluster if not n.endswith("_local")} == single.keys()
    for name in tables:
        assert local[name].columns == single[name].columns, name
        assert unreplicated(local[name].rest) == single[name].rest, name
        assert cluster[name].columns == (), name  # the Distributed table's are its local table's
        assert _distributed(cluster[name])[0] == name


def test_each_local_table_is_replicated_per_shard(chdb: ChDBEngine) -> None:
    for name, statement in _cluster(chdb).items():
        if name.endswith("_local"):
            assert re.match(rf"ENGINE = Replicated\w+\({re.escape(KEEPER_PATH)}", statement.rest)
            assert "non_replicated" not in statement.rest


def test_the_facts_view_is_on_each_shards_local_tables(chdb: ChDBEngine) -> None:
    single, cluster = _single(chdb)["player_facts_mv"], _cluster(chdb)["player_facts_mv"]
    assert cluster.kind == "MATERIALIZED VIEW"
    head, _, query = cluster.rest.partition("\n")
    assert head == " TO analytics.player_facts_local"
    assert "FROM analytics.player_events_local\n" in query
    local = query.replace("analytics.player_events_local", "player_events")
    assert single.rest == f" TO player_facts\n{local}"


def test_the_view_periods_read_every_shard(chdb: ChDBEngine) -> None:
    single, cluster = _single(chdb)["player_view_periods"], _cluster(chdb)["player_view_periods"]
    assert "FROM analytics.player_events\n" in cluster.rest
    assert cluster.rest.replace("analytics.player_events", "player_events") == single.rest


def test_every_table_is_sharded_so_a_keys_versions_share_a_shard(chdb: ChDBEngine) -> None:
    cluster = _cluster(chdb)
    distributed = {n: _distributed(s)[1] for n, s in cluster.items() if "Distributed" in s.rest}
    assert distributed == {n: SHARDING.get(n, BY_PARTNER) for n in distributed}
    replacing = {n for n in distributed if "ReplacingMergeTree" in cluster[f"{n}_local"].rest}
    assert replacing == VERSIONED_TABLES
    for name, key in distributed.items():
        local = cluster[f"{name}_local"]
        names = {c.split("`")[1] for c in local.columns}
        assert _identifiers(key) <= names, (name, key)
        # rows that one merge may fold into one (same ORDER BY) are on the same shard
        assert _identifiers(key) <= _order_by(local), (name, key)


def test_a_partners_row_is_on_the_shard_of_its_rows(chdb: ChDBEngine) -> None:
    # cityHash64 of the same value of the same type: a partner's id hashes as its partner_id
    cluster = _cluster(chdb)
    assert "`id` Int64" in cluster["partners_local"].columns
    for name, statement in cluster.items():
        if name.endswith("_local") and "`partner_id` Int64" not in statement.columns:
            assert name.removesuffix("_local") in SHARDING, name


def _golden_sets() -> dict[str, list[str]]:
    sets = {"cluster_history": list(migrations.history(CLUSTER))}
    for migration in migrations.CLUSTER_MIGRATIONS:
        name = next(
            f.stem
            for f in Path(migrations.__file__).parent.glob(f"cluster_{migration.version:04d}_*.sql")
        )
        sets[name] = list(migrations.statements_of(migration, CLUSTER))
    return sets


@pytest.mark.parametrize("name", sorted(_golden_sets()))
def test_the_cluster_statements_are_golden(name: str) -> None:
    text = "".join(f"{statement};\n\n" for statement in _golden_sets()[name]).removesuffix("\n")
    path = GOLDEN / f"{name}.sql"
    if os.environ.get("VANTAGE_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_the_scale_out_page_shows_the_statements_vantage_runs() -> None:
    page = (Path(__file__).parents[3] / "docs" / "scale-out.md").read_text(encoding="utf-8")
    start = page.index("```sql\nCREATE TABLE IF NOT EXISTS `analytics`.room_events_local")
    example = page[start:].split("\n```\n")[0].removeprefix("```sql\n")
    golden = (GOLDEN / "cluster_0001_schema.sql").read_text(encoding="utf-8")
    local, distributed = example.split("\n\n")
    shown = [line for line in local.splitlines() if not line.lstrip().startswith("--")]
    table = golden[golden.index(shown[0]) :].split(";\n")[0] + ";"
    assert shown == [line for line in table.splitlines() if line in shown]
    assert shown[-4:] == table.splitlines()[-4:]
    assert distributed in golden
