"""The ``vantage`` command: serve, demo, import, partner create."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from vantage import __version__
from vantage.config import Settings
from vantage.entities import partners, repository
from vantage.entities.model import KINDS
from vantage.importer import ImportError_, read
from vantage.store.duckdb_engine import StoreLockedError
from vantage.store.store import Store

DEMO_PARTNER_KEY = "demo_partner_id"


def _settings(ctx: click.Context) -> Settings:
    return ctx.find_object(Settings) or Settings.load()


def _open(settings: Settings) -> Store:
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
@click.option("--store", "store_path", help="DuckDB store file (default: var/vantage.duckdb).")
@click.pass_context
def main(ctx: click.Context, config: str | None, store_path: str | None) -> None:
    """Vantage: self-hosted analytics for virtual classrooms, speaking Kaltura's analytics API.

    Settings come from --config / $VANTAGE_CONFIG and VANTAGE_* environment variables.
    """
    try:
        ctx.obj = Settings.load(config, store_path=store_path)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


@main.command()
@click.option("--host", help="Listen address (default 127.0.0.1).")
@click.option("--port", type=int, help="Listen port (default 8000).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Run the HTTP server: the event collector and the admin API.

    The server is the store's only writer while it runs; stop it before `vantage demo`
    or `vantage import`.
    """
    import uvicorn

    from vantage.server import create_app

    base_settings = _settings(ctx)
    settings = replace(
        base_settings, host=host or base_settings.host, port=port or base_settings.port
    )
    store = _open(settings)
    base = f"http://{settings.host}:{settings.port}"
    click.echo(f"Vantage {__version__} on {base}  (store: {settings.store_path})")
    _print_demo_hint(store, base)
    app = create_app(settings, store)
    try:
        uvicorn.run(
            app, host=settings.host, port=settings.port, log_level="warning", access_log=False
        )
    finally:
        store.close()


def _print_demo_hint(store: Store, base: str) -> None:
    pid = store.meta(DEMO_PARTNER_KEY)
    if pid is None:
        click.echo("No demo partner: `vantage partner create --name NAME` makes an account.")
        return
    found = repository.get(store.engine, KINDS["partners"], [int(pid)])
    if found is None:
        return
    secret = found["adminSecrets"][0]
    click.echo(f"Demo partner id: {pid}   admin secret: {secret}")
    click.echo("Try it:")
    click.echo(f"  curl -u {pid}:{secret} '{base}/api/v1/admin/entries?limit=5'")
    click.echo(f"  curl -u {pid}:{secret} '{base}/api/v1/admin/sessions?limit=5'")


@main.command()
@click.option("--seed", default=1, show_default=True, help="Same seed, same data.")
@click.option(
    "--events",
    type=click.IntRange(min=1_000),
    help="Scale the school to about this many events (default: its natural size).",
)
@click.option(
    "--now",
    "now_text",
    help="End of the 120 days of data, RFC 3339 (default: today 00:00 UTC).",
)
@click.option("--if-empty", is_flag=True, help="Do nothing if the store already has the demo.")
@click.pass_context
def demo(
    ctx: click.Context, seed: int, events: int | None, now_text: str | None, if_empty: bool
) -> None:
    """Fill the store with a realistic, deterministic school: courses, rooms, sessions,
    breakouts, attendees and their engagement, chat, Q&A, polls, reactions, registrations."""
    now = _parse_now(now_text)
    from vantage.demo import generate

    with _open(_settings(ctx)) as store:
        if if_empty and store.meta(DEMO_PARTNER_KEY) is not None:
            click.echo(
                f"The store already holds the demo (partner {store.meta(DEMO_PARTNER_KEY)})."
            )
            return
        label = f"demo events (seed {seed})"
        with click.progressbar(length=events or 0, label=label, show_pos=True) as bar:
            done = 0

            def progress(n: int) -> None:
                nonlocal done
                bar.length = max(bar.length or 0, n)
                bar.update(n - done)
                done = n

            summary = generate(
                store,
                seed=seed,
                events=events,
                now=now,
                progress=progress,
                # Fresh secrets: the data is reproducible, the keys to it must not be.
                admin_secret=partners.new_secret(),
                user_secret=partners.new_secret(),
            )
        store.set_meta(DEMO_PARTNER_KEY, str(summary.partner_id))
        store.engine.checkpoint()
    click.echo(
        f"Demo: {summary.events:,} events, {summary.sessions:,} sessions in {summary.rooms} rooms, "
        f"{summary.users:,} users."
    )
    click.echo(f"Partner id: {summary.partner_id}   admin secret: {summary.admin_secret}")


def _parse_now(text: str | None) -> dt.datetime:
    if text is None:
        today = dt.datetime.now(dt.UTC).date()
        return dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    try:
        now = dt.datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an RFC 3339 time", param_hint="--now") from None
    if now.tzinfo is None:
        raise click.BadParameter("give a UTC offset, e.g. 2026-11-01T00:00:00Z", param_hint="--now")
    return now.astimezone(dt.UTC)


@main.command(name="import")
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
    with _open(_settings(ctx)) as store:
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

            def write_all(tx: Any, chunks: list[Any] = chunks, k: Any = entity_kind) -> int:
                return sum(repository.upsert(tx, k, chunk) for chunk in chunks)

            try:
                written = store.writer.submit(write_all).result()
            except repository.EntityError as exc:
                raise click.ClickException(f"{path}: {exc}") from None
            click.echo(f"{path}: {written:,} of {total:,} {entity_kind.name} imported")


@main.group()
def partner() -> None:
    """Manage partners (accounts)."""


@partner.command("create")
@click.option("--name", required=True, help="The partner's name.")
@click.option("--id", "partner_id", type=click.IntRange(min=1), help="Id (default: next free).")
@click.option("--parent", "parent_id", type=int, help="Parent partner id (multi-account).")
@click.pass_context
def partner_create(
    ctx: click.Context, name: str, partner_id: int | None, parent_id: int | None
) -> None:
    """Create a partner and print its id, admin secret and user secret."""
    with _open(_settings(ctx)) as store:
        try:
            created = store.writer.submit(
                lambda tx: partners.create(
                    tx, name, partner_id=partner_id, parent_partner_id=parent_id
                )
            ).result()
        except repository.EntityError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"partner id:    {created.id}")
    click.echo(f"admin secret:  {created.admin_secrets[0]}")
    click.echo(f"user secret:   {created.user_secret}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
