"""``vantage demo``: the demo school, written into the store."""

from __future__ import annotations

import datetime as dt

import click

from vantage.cli.group import DEMO_PARTNER_KEY, open_store, settings_of
from vantage.entities import partners


@click.command()
@click.option("--seed", default=1, show_default=True, help="Same seed, same data.")
@click.option(
    "--events",
    type=click.IntRange(min=1_000),
    help="Scale the school to about this many room events (default: its natural size).",
)
@click.option(
    "--player-events",
    type=click.IntRange(min=0),
    help="About this many player beacons over the last 30 days (default: 400,000; 0: none).",
)
@click.option(
    "--now",
    "now_text",
    help="End of the 120 days of data, RFC 3339 (default: today 00:00 UTC).",
)
@click.option("--if-empty", is_flag=True, help="Do nothing if the store already has the demo.")
@click.pass_context
def demo(
    ctx: click.Context,
    seed: int,
    events: int | None,
    player_events: int | None,
    now_text: str | None,
    if_empty: bool,
) -> None:
    """Fill the store with a realistic, deterministic school: courses, rooms, sessions,
    breakouts, attendees and their engagement, chat, Q&A, polls, reactions, registrations;
    and its videos, audio, lecture recordings and live streams, watched by its users and
    anonymous viewers, as player beacons (plays, views, quartiles, pauses, seeks, errors …)."""
    now = _parse_now(now_text)
    from vantage.demo import generate
    from vantage.player.enrich import Enricher

    settings = settings_of(ctx)
    with open_store(settings) as store:
        if if_empty and store.meta(DEMO_PARTNER_KEY) is not None:
            click.echo(
                f"The store already holds the demo (partner {store.meta(DEMO_PARTNER_KEY)})."
            )
            return
        label = f"demo events (seed {seed})"
        expected = (events or 0) + (player_events or 0)
        with click.progressbar(length=expected, label=label, show_pos=True) as bar:
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
                player_events=player_events,
                now=now,
                progress=progress,
                # Enriched as this server's collector would enrich them.
                enricher=Enricher.from_settings(settings),
                # Fresh secrets: the data is reproducible, the keys to it must not be.
                admin_secret=partners.new_secret(),
                user_secret=partners.new_secret(),
            )
        store.set_meta(DEMO_PARTNER_KEY, str(summary.partner_id))
    click.echo(
        f"Demo: {summary.events:,} events, {summary.sessions:,} sessions in {summary.rooms} rooms, "
        f"{summary.users:,} users; {summary.player_events:,} player events in "
        f"{summary.player_sessions:,} player sessions of {summary.media} media entries."
    )
    click.echo(f"Partner id: {summary.partner_id}   admin secret: {summary.admin_secret}")
    for virtual_event_id, app in summary.app_guids:
        click.echo(f"Virtual event {virtual_event_id}: registration appGuid {app}")


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
