"""``vantage store copy``: a DuckDB store's whole history into ClickHouse."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from vantage.cli.group import open_store, settings_of
from vantage.store.duckdb_engine import DuckDBEngine

if TYPE_CHECKING:
    from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine


@click.group(name="store")
def store_group() -> None:
    """Manage the store: copy it into ClickHouse."""


@store_group.command("copy")
@click.option(
    "--to",
    "url",
    required=True,
    help="The ClickHouse store: chdb:DIR or clickhouse://user:pass@host:8123/db.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Empty the target's tables first if they hold rows that are not this store's copy.",
)
@click.pass_context
def store_copy(ctx: click.Context, url: str, force: bool) -> None:
    """Copy this DuckDB store's whole history (entities, room and player events, entry
    lifecycle) into a ClickHouse store, then check that every table's row count and the player
    facts' sums per partner are this store's. Run again after a stop, it resumes where it
    stopped. See docs/scale-out.md."""
    from chdb import ChdbError
    from clickhouse_connect.driver.exceptions import ClickHouseError

    from vantage.store.copy import CopyError, StoreCopy, TableCopied

    with open_store(settings_of(ctx)) as source:
        if not isinstance(source.engine, DuckDBEngine):
            raise click.ClickException("vantage store copy copies a DuckDB store (--store)")
        target = _clickhouse_store(url)
        try:
            copy = StoreCopy.prepare(source.engine, target, force=force)
            width = max(len(t.name) for t in copy.tables)
            copied: list[TableCopied] = []
            for table in copy.tables:
                label = table.name.ljust(width)
                with click.progressbar(length=table.rows, label=label, show_pos=True) as bar:
                    copied.append(copy.copy(table, _advance(bar)))
            copy.verify()
        except (CopyError, ClickHouseError, ChdbError) as exc:
            raise click.ClickException(f"the copy into ClickHouse failed: {exc}") from None
        finally:
            target.close()
    for done in copied:
        click.echo(
            f"{done.name.ljust(width)}  {done.rows:>13,} rows  {done.seconds:7.1f} s"
            f"{_before(done.rows - done.sent, done.rows)}"
        )
    click.echo(
        "Verified: every table's row count, and the sums per partner of "
        f"{', '.join(copy.filled)}, equal this store's."
    )


def _before(copied_before: int, rows: int) -> str:
    if copied_before <= 0:
        return ""
    return "  (already copied)" if copied_before == rows else f"  ({copied_before:,} copied before)"


def _advance(bar: Any) -> Callable[[int], None]:
    """A progress callback that moves ``bar`` to the rows copied so far."""
    shown = 0

    def advance(rows: int) -> None:
        nonlocal shown
        bar.update(rows - shown)
        shown = rows

    return advance


def _clickhouse_store(url: str) -> ChDBEngine | ClickHouseEngine:
    """The ClickHouse store ``url`` names; a ``ClickException`` saying why if it names none or
    cannot be reached."""
    from chdb import ChdbError
    from clickhouse_connect.driver.exceptions import ClickHouseError

    from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine
    from vantage.store.locator import ChDBLocator, ClickHouseLocator, parse_locator

    try:
        locator = parse_locator(url)
        if isinstance(locator, ChDBLocator):
            return ChDBEngine(locator.directory)
        if isinstance(locator, ClickHouseLocator):
            return ClickHouseEngine.connect(url)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    except (ClickHouseError, ChdbError, OSError) as exc:
        raise click.ClickException(f"cannot open the ClickHouse store: {exc}") from None
    raise click.ClickException("--to names a DuckDB file: give chdb:DIR or clickhouse://…")
