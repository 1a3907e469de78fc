"""``vantage export``: a room report as CSV, from Vantage or from Kaltura itself."""

from __future__ import annotations

import sys

import click

from vantage.exporter import REGIONS


@click.command()
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
    "--reports-url",
    envvar="KALTURA_REPORTS_URL",
    help="Reports Microservice for a report by name (default: --service-url) "
    "($KALTURA_REPORTS_URL).",
)
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
    reports_url: str | None,
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
    certificate-of-completion. Or a report name of the Reports Microservice (pollsActivity,
    registration, …: docs/reports.md#report-names), run as a report job: generated, polled
    until completed, then downloaded.

    \b
    vantage export attendees --service-url http://127.0.0.1:8000 --partner-id 101 \\
        --admin-secret $SECRET --from 2024-08-01 --to 2024-08-31 --tz Europe/Berlin -o aug.csv
    """
    import datetime as dt

    import httpx

    from vantage import human_dates
    from vantage.analytics.catalog import NAMES
    from vantage.analytics.room_reports import BY_NAME
    from vantage.cli import export_named
    from vantage.exporter import ExportError, Service, download, start_session

    named = not report.isdigit() and report not in BY_NAME and report in NAMES
    report_id = 0
    if report.isdigit():
        report_id = int(report)
    elif report in BY_NAME:
        report_id = BY_NAME[report].id
    elif not named:
        known = ", ".join([*BY_NAME, *(n for n in NAMES if not n.isdigit())])
        raise click.BadParameter(f"unknown report {report!r}; names: {known}")
    if named and reports_url and not (service_url or region):
        service_url = reports_url  # Vantage: the same server answers session.start
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

            if named:
                if exclude:
                    raise click.UsageError("--exclude works with numbered reports only")
                root = reports_url or (None if region else service_url)
                if root is None:
                    raise click.UsageError("give --reports-url for Kaltura's Reports Microservice")
                parameters = export_named.parameters(start, end, filters, extra)
                job = export_named.Job(client, root, ks, report, parameters)
                rows = export_named.run(job, out, progress if show else None)
            else:
                rows = download(
                    client, service, ks, report_id, ";".join(pieces), exclude, out, progress
                )
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if output:
            out.close()
    if output:
        click.echo(f"\r{output}: {rows:,} rows of report {report_id or report}", err=True)
