"""``vantage partner``: partners (accounts)."""

from __future__ import annotations

import click

from vantage.cli.group import open_store, settings_of
from vantage.entities import repository


@click.group()
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
    with open_store(settings_of(ctx)) as store:
        try:
            created = store.ingest.create_partner(
                name, partner_id=partner_id, parent_partner_id=parent_id
            ).result()
        except repository.EntityError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"partner id:    {created.id}")
    click.echo(f"admin secret:  {created.admin_secrets[0]}")
    click.echo(f"user secret:   {created.user_secret}")
