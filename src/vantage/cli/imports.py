"""``vantage import``: entities from JSON, NDJSON or CSV files."""

from __future__ import annotations

from pathlib import Path

import click

from vantage.cli.group import open_store, settings_of
from vantage.entities import repository
from vantage.entities.model import KINDS
from vantage.importer import ImportError_, read


@click.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--kind",
    type=click.Choice(sorted(KINDS)),
    help="Entity kind of every file (default: taken from each file name, e.g. users.csv).",
)
@click.pass_context
def import_(ctx: click.Context, files: tuple[str, ...], kind: str | None) -> None:
    """Load entities (partners, users, entries, categories, virtual-events, sessions) from
    JSON, NDJSON or CSV files. Each file is written in one transaction: all of it or none."""
    with open_store(settings_of(ctx)) as store:
        for name in files:
            path = Path(name)
            entity_kind = KINDS.get(kind or path.stem.replace("_", "-"))
            if entity_kind is None:
                raise click.ClickException(
                    f"{path}: cannot tell the entity kind from its name; use --kind"
                )
            try:
                chunks = list(read(path, entity_kind))
            except ImportError_ as exc:
                raise click.ClickException(str(exc)) from None
            total = sum(len(c) for c in chunks)

            try:
                written = store.ingest.upsert(entity_kind, [e for c in chunks for e in c]).result()
            except repository.EntityError as exc:
                raise click.ClickException(f"{path}: {exc}") from None
            click.echo(f"{path}: {written:,} of {total:,} {entity_kind.name} imported")
