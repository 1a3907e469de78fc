"""The ``vantage`` command: serve, demo, import, export, partner create, store copy."""

from __future__ import annotations

import datetime as dt
import shlex
import shutil
import signal
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from vantage import __version__
from vantage.config import Settings
from vantage.entities import partners, repository
from vantage.entities.model import KINDS
from vantage.exporter import REGIONS
from vantage.importer import ImportError_, read
from vantage.ingest.store import Store
from vantage.store.duckdb_engine import DuckDBEngine, StoreLockedError

if TYPE_CHECKING:
    from vantage.store.clickhouse.engine import ChDBEngine, ClickHouseEngine

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
    # uvicorn stops on SIGTERM or SIGINT (it stops accepting, lets requests in flight finish
    # and shuts the app down), then puts back the handlers it found and raises the signal
    # again. The handler it finds is this one, so the store is still closed below (queued
    # writes committed, the log checkpointed) and the process exits 0.
    found = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        store = _open(settings)
        try:
            base = f"http://{settings.host}:{settings.port}"
            click.echo(f"Vantage {__version__} on {base}  (store: {settings.engine})")
            _print_demo_hint(store, base)
            uvicorn.run(
                create_app(settings, store),
                host=settings.host,
                port=settings.port,
                log_level="warning",
                access_log=False,
                # uvicorn would otherwise trust X-Forwarded-For from 127.0.0.1 by default.
                proxy_headers=bool(settings.trusted_proxies),
                forwarded_allow_ips=settings.trusted_proxies or None,
            )
        finally:
            store.close()
            click.echo("Vantage stopped; the store is closed.")
    finally:
        for sig, handler in found.items():
            signal.signal(sig, handler)


def _stop(signum: int, frame: FrameType | None) -> None:
    """A stop signal outside uvicorn's own handling (before it starts, or re-raised by it)."""
    raise SystemExit(0)


def _print_demo_hint(store: Store, base: str) -> None:
    pid = store.meta(DEMO_PARTNER_KEY)
    if pid is None:
        click.echo("No demo partner: `vantage partner create --name NAME` makes an account.")
        return
    found = repository.get(store.engine, KINDS["partners"], [int(pid)])
    if found is None:
        return
    import time

    from vantage.access import ks

    secret = found["adminSecrets"][0]
    token = ks.generate(secret, int(pid), version=found["ksVersion"], type=ks.ADMIN)
    now = int(time.time())
    click.echo(f"Demo partner id: {pid}   admin secret: {secret}")
    click.echo(f"An admin KS for a day: {token}")
    click.echo("Try it:")
    click.echo(
        f"  curl '{base}/api_v3/service/report/action/getCsvFromStringParams/id/6000/ks/{token}"
        f"/params/from_date={now - 121 * 86_400};to_date={now}'"
    )
    click.echo(f"  curl -u {pid}:{secret} '{base}/api/v1/admin/sessions?limit=5'")
    click.echo(
        f"  {_this_command()} export attendees --service-url {base} --ks {token} "
        "--from 'last 7 days'"
    )


def _this_command() -> str:
    """This same ``vantage``, written so that the shell it was started from runs it: its bare
    name only if the PATH finds this very program (``make run`` starts the venv's, which the
    PATH usually lacks), else the path it was started by; ``python -m vantage.cli`` as such."""
    started = sys.argv[0]
    if started.endswith(".py"):
        return f"{shlex.quote(sys.executable)} -m vantage.cli"
    name = Path(started).name
    found = shutil.which(name)
    if found is not None and Path(found).resolve() == Path(started).resolve():
        return name
    return shlex.quote(started)


@main.command()
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

    settings = _settings(ctx)
    with _open(settings) as store:
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

            try:
                written = store.ingest.upsert(entity_kind, [e for c in chunks for e in c]).result()
            except repository.EntityError as exc:
                raise click.ClickException(f"{path}: {exc}") from None
            click.echo(f"{path}: {written:,} of {total:,} {entity_kind.name} imported")


@main.command()
@click.argument("report")
@click.option(
    "--service-url",
    envvar="KALTURA_SERVICE_URL",
    help="Kaltura-compatible service, e.g. http://127.0.0.1:8000 or https://www.kaltura.com/api_v3 "
    "($KALTURA_SERVICE_URL).",
)
@click.option(
    "--region", type=click.Choice(sorted(REGIONS)), help="Kaltura's own service: us or eu."
)
@click.option("--partner-id", type=int, envvar="KALTURA_PARTNER_ID", help="($KALTURA_PARTNER_ID)")
@click.option(
    "--admin-secret",
    envvar="KALTURA_ADMIN_SECRET",
    help="Make an admin KS with session.start ($KALTURA_ADMIN_SECRET).",
)
@click.option("--ks", envvar="KALTURA_KS", help="Use this KS ($KALTURA_KS).")
@click.option(
    "--from",
    "from_",
    default="last 30 days",
    show_default=True,
    help="Start: 2024-08-01, '2024-08-01 13:30', today, '3 days ago', or a whole "
    "range such as 'last 30 days'.",
)
@click.option("--to", help="End (a plain date includes that whole day; default: now).")
@click.option(
    "--tz", default="UTC", show_default=True, help="Time zone of the dates, e.g. Europe/Berlin."
)
@click.option("--entry-ids", help="Comma-separated room ids.")
@click.option("--user-ids", help="Comma-separated user ids.")
@click.option("--virtual-event-ids", help="Comma-separated virtual event ids.")
@click.option("--cue-point-ids", help="Comma-separated session ids.")
@click.option("--parent-entry-ids", help="Comma-separated main room ids (breakout sessions).")
@click.option("--param", "extra", multiple=True, help="Any other report parameter, key=value.")
@click.option("--exclude", help="Comma-separated columns to leave out.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    help="File to write (default: standard output).",
)
def export(
    report: str,
    service_url: str | None,
    region: str | None,
    partner_id: int | None,
    admin_secret: str | None,
    ks: str | None,
    from_: str,
    to: str | None,
    tz: str,
    entry_ids: str | None,
    user_ids: str | None,
    virtual_event_ids: str | None,
    cue_point_ids: str | None,
    parent_entry_ids: str | None,
    extra: tuple[str, ...],
    exclude: str | None,
    output: str | None,
) -> None:
    """Download a report as CSV from Vantage or from Kaltura itself.

    REPORT is an id (6000) or a name: room-data, attendees, breakout-sessions, user-reactions,
    added-to-calendar, session-viewership, attachment-clicked, session-attendance,
    certificate-of-completion.

    \b
    vantage export attendees --service-url http://127.0.0.1:8000 --partner-id 101 \\
        --admin-secret $SECRET --from 2024-08-01 --to 2024-08-31 --tz Europe/Berlin -o aug.csv
    """
    import datetime as dt

    import httpx

    from vantage import human_dates
    from vantage.analytics.room_reports import BY_NAME
    from vantage.exporter import ExportError, Service, download, start_session

    if report.isdigit():
        report_id = int(report)
    elif report in BY_NAME:
        report_id = BY_NAME[report].id
    else:
        raise click.BadParameter(f"unknown report {report!r}; names: {', '.join(BY_NAME)}")
    if bool(service_url) == bool(region):
        raise click.UsageError("give either --service-url or --region")
    service = Service.at(service_url or REGIONS[region or ""])
    now = dt.datetime.now(dt.UTC)
    try:
        zone = human_dates.zone(tz)
        span = human_dates.last(from_, now)
        if span is not None and to is not None:
            raise human_dates.DateError(f"{from_!r} is a whole range; leave out --to")
        start, end = span or (
            human_dates.moment(from_, zone, now),
            human_dates.moment(to, zone, now, end_of_day=True) if to else int(now.timestamp()),
        )
    except human_dates.DateError as exc:
        raise click.BadParameter(str(exc)) from None
    filters = {
        "entry_ids": entry_ids,
        "user_ids": user_ids,
        "virtual_event_ids": virtual_event_ids,
        "cue_point_ids": cue_point_ids,
        "parentEntryIds": parent_entry_ids,
    }
    pieces = [f"from_date={start}", f"to_date={end}"]
    pieces += [f"{k}={v}" for k, v in filters.items() if v]
    pieces += list(extra)
    out = open(output, "wb") if output else sys.stdout.buffer  # noqa: SIM115
    show = output is not None and sys.stderr.isatty()
    try:
        with httpx.Client(timeout=httpx.Timeout(30, read=600), follow_redirects=True) as client:
            if not ks:
                if partner_id is None or not admin_secret:
                    raise click.UsageError("give --ks, or --partner-id with --admin-secret")
                ks = start_session(client, service, partner_id, admin_secret)

            def progress(size: int, rows: int) -> None:
                if show:
                    click.echo(f"\r{rows:,} rows, {size / 1e6:.1f} MB", nl=False, err=True)

            rows = download(
                client, service, ks, report_id, ";".join(pieces), exclude, out, progress
            )
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if output:
            out.close()
    if output:
        click.echo(f"\r{output}: {rows:,} rows of report {report_id}", err=True)


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
            created = store.ingest.create_partner(
                name, partner_id=partner_id, parent_partner_id=parent_id
            ).result()
        except repository.EntityError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"partner id:    {created.id}")
    click.echo(f"admin secret:  {created.admin_secrets[0]}")
    click.echo(f"user secret:   {created.user_secret}")


@main.group(name="store")
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

    with _open(_settings(ctx)) as source:
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
