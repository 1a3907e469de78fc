"""The ``vantage`` command group: the settings every command reads and the store it opens."""

from __future__ import annotations

import click

from vantage import __version__
from vantage.config import Settings
from vantage.ingest.store import Store
from vantage.store.duckdb_engine import StoreLockedError

DEMO_PARTNER_KEY = "demo_partner_id"  # the store's meta key naming the demo's partner


def settings_of(ctx: click.Context) -> Settings:
    return ctx.find_object(Settings) or Settings.load()


def open_store(settings: Settings) -> Store:
    try:
        return Store.open(settings)
    except StoreLockedError as exc:
        raise click.ClickException(f"{exc}. Stop the server first.") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vantage")
@click.option(
    "--config",
    type=click.Path(exists=True, dir_okay=False),
    help="TOML settings file (default: $VANTAGE_CONFIG). See docs/configuration.md.",
)
@click.option(
    "--store",
    "engine",
    help="The store: a DuckDB file, duckdb:PATH, chdb:DIR or clickhouse://… (the engine setting).",
)
@click.pass_context
def main(ctx: click.Context, config: str | None, engine: str | None) -> None:
    """Vantage: self-hosted analytics for virtual classrooms, speaking Kaltura's analytics API.

    Settings come from --config / $VANTAGE_CONFIG and VANTAGE_* environment variables.
    """
    try:
        ctx.obj = Settings.load(config, engine=engine)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None

