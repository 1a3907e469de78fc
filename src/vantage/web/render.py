"""Templates and the formatting of numbers and times: the page shows what the core computed,
rounded for reading; the JSON twins carry the same values unrounded."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from typing import Any

import jinja2
from starlette.responses import HTMLResponse, JSONResponse

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("vantage.web", "templates"),
    autoescape=True,  # every value is text until a template says otherwise
    undefined=jinja2.StrictUndefined,  # a misspelt name fails the tests, not the reader
    trim_blocks=True,
    lstrip_blocks=True,
)


def number(value: Any) -> str:
    """A count as a whole number; a measure (a float: minutes) with one decimal, always, so a
    column of them lines up."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{int(value):,}"


def percent(value: Any) -> str:
    """A share (0..1) as a percentage; '–' when it has no population to divide by."""
    return "–" if value is None else f"{value * 100:.1f}%"


def rate(value: Any) -> str:
    """A rate the core gives in percent already (0..100: Kaltura's completion rates)."""
    return "–" if value is None else f"{value:.1f}%"


def minutes(value: Any) -> str:
    return "–" if value is None else f"{value:,.1f} min"


def duration(seconds: int | None) -> str:
    if seconds is None:
        return "still running"
    hours, rest = divmod(seconds, 3600)
    return f"{hours} h {rest // 60:02d} min" if hours else f"{rest // 60} min {rest % 60:02d} s"


def step(seconds: int | None) -> str:
    """A timeline's or heatmap's step, a whole number of minutes, in words: "1 minute",
    "2 minutes"."""
    if seconds is None:
        return "–"
    count = seconds // 60
    return "1 minute" if count == 1 else f"{count} minutes"


def local(seconds: int | None, tz: zoneinfo.ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if seconds is None:
        return "–"
    return dt.datetime.fromtimestamp(seconds, tz).strftime(fmt)


def polylines(values: list[float | None], top: float, width: float, height: float) -> list[str]:
    """SVG ``points`` of a line chart of ``values`` (0 at the bottom, ``top`` at the top) over
    ``width`` × ``height``: one line per run of values, a gap where a value is None (nobody to
    divide by is not 0)."""
    step = width / max(len(values) - 1, 1)
    runs: list[list[str]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            runs.append([])
            continue
        y = height - (value / top * height if top else 0)
        runs[-1].append(f"{i * step:.1f},{y:.1f}")
    return [" ".join(run) for run in runs if run]


def runs(states: list[str]) -> list[tuple[int, int, str]]:
    """A heatmap's points as runs of one state: (first point, points, state). A strip draws one
    rectangle a run, not a point, so that hundreds of strips stay light to draw and to print."""
    out: list[tuple[int, int, str]] = []
    for state, group in itertools.groupby(states):
        count = sum(1 for _ in group)
        first = out[-1][0] + out[-1][1] if out else 0
        out.append((first, count, state))
    return out


_ENV.filters.update(number=number, percent=percent, minutes=minutes, duration=duration, step=step)
_ENV.filters.update(rate=rate)
_ENV.globals.update(local=local, polylines=polylines, runs=runs)


PRIVATE = {
    # a person's analytics: never kept by a shared cache, never framed by another site
    # (clickjacking; a Lax cookie would not reach a cross-site frame anyway)
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def text(name: str, **context: Any) -> str:
    return _ENV.get_template(name).render(**context)


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(text(name, **context), status_code=status, headers=PRIVATE)


def json(body: Any, status: int = 200) -> JSONResponse:
    """A JSON twin's answer, private as the page."""
    return JSONResponse(body, status_code=status, headers=PRIVATE)
