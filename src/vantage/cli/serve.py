"""``vantage serve``: the HTTP server on the configured store."""

from __future__ import annotations

import shlex
import shutil
import signal
import sys
from dataclasses import replace
from pathlib import Path
from types import FrameType

import click

from vantage import __version__
from vantage.cli.group import DEMO_PARTNER_KEY, open_store, settings_of
from vantage.entities import repository
from vantage.entities.model import KINDS
from vantage.ingest.store import Store


@click.command()
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

    base_settings = settings_of(ctx)
    settings = replace(
        base_settings, host=host or base_settings.host, port=port or base_settings.port
    )
    # uvicorn stops on SIGTERM or SIGINT (it stops accepting, lets requests in flight finish
    # and shuts the app down), then puts back the handlers it found and raises the signal
    # again. The handler it finds is this one, so the store is still closed below (queued
    # writes committed, the log checkpointed) and the process exits 0.
    found = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        store = open_store(settings)
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
    click.echo(f"The room analytics dashboard: {base}/analytics?ks={token}")
    click.echo("Try it:")
    click.echo(
        f"  curl '{base}/api_v3/service/report/action/getCsvFromStringParams/id/6000/ks/{token}"
        f"/params/from_date={now - 121 * 86_400};to_date={now}'"
    )
    click.echo(f"  curl -u {pid}:{secret} '{base}/api/v1/admin/sessions?limit=5'")
    click.echo(
        f"  curl -s -X POST {base}/api/v1/report/generate -H 'Authorization: Bearer {token}' "
        """-H 'Content-Type: application/json' -d '{"reportName": "attendeesData"}'"""
    )
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
