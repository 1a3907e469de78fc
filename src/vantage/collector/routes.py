"""The room-event collector: ``POST /api/v1/events``.

A batch is accepted whole or not at all. A 200 answer is sent only after the batch is
committed to disk; retrying a batch stores each event once (see vantage.store.room_events).
"""

from __future__ import annotations

import asyncio
import datetime as dt

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from vantage.access.directory import Directory
from vantage.api.auth import ANALYTICS_BASE, CONTENT_INGEST, authenticate
from vantage.api.errors import ApiError, json_response
from vantage.api.params import float_param, int_param
from vantage.collector import stored
from vantage.config import Settings
from vantage.events.arrow import to_arrow
from vantage.events.decode import (
    MAX_ERRORS,
    BatchError,
    DecodedBatch,
    EventError,
    TimeWindow,
    decode_batch,
)
from vantage.events.vocabulary import AnyEvent
from vantage.http_body import read_body
from vantage.ingest.store import Store
from vantage.timeconv import to_micros

NDJSON_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl")
EVENT_SCHEMA = msgspec.json.schema(list[AnyEvent])


def routes(settings: Settings, store: Store, directory: Directory) -> list[Route]:
    async def post_events(request: Request) -> Response:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in ("application/json", *NDJSON_TYPES):
            raise ApiError(
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                "send application/json (an array of events) or application/x-ndjson",
            )
        partner = authenticate(request, directory, settings).require(CONTENT_INGEST)
        body = await read_body(request, settings.max_body_bytes)
        now = dt.datetime.now(dt.UTC)
        window = TimeWindow.around(
            now, settings.max_event_age_days, settings.max_clock_skew_seconds
        )
        try:
            batch = decode_batch(
                body,
                ndjson=media_type in NDJSON_TYPES,
                window=window,
                max_events=settings.max_batch_events,
            )
        except BatchError as exc:
            raise ApiError(
                400, "INVALID_EVENTS", exc.message, errors=[e.to_json() for e in exc.errors]
            ) from None
        denied = _denied(batch, directory.writable_partners(partner), directory)
        if denied:
            raise ApiError(
                403,
                "FORBIDDEN_EVENTS",
                "the batch has events this partner may not write",
                errors=[e.to_json() for e in denied],
            )
        table = to_arrow(batch, to_micros(now))
        result = await asyncio.wrap_future(store.ingest.room_events(table))
        return json_response(
            {"received": result.received, "stored": result.stored, "duplicates": result.duplicates}
        )

    async def get_events(request: Request) -> Response:
        partner = authenticate(request, directory, settings).require(ANALYTICS_BASE)
        q = request.query_params
        unknown = set(q) - set(stored.FILTERS) - {"since", "until", "limit", "offset", "ks"}
        if unknown:
            raise ApiError(
                400, "INVALID_PARAMETER", f"unknown parameter(s): {', '.join(sorted(unknown))}"
            )
        objects, total = stored.list_events(
            store.engine,
            directory.writable_partners(partner),
            {k: v for k, v in q.items() if k in stored.FILTERS},
            since=float_param(q.get("since"), "since"),
            until=float_param(q.get("until"), "until"),
            limit=int_param(q.get("limit", "1000"), "limit", 1, stored.MAX_PAGE),
            offset=int_param(q.get("offset", "0"), "offset", 0, None),
        )
        return json_response({"objects": objects, "totalCount": total})

    async def event_schema(request: Request) -> Response:
        return json_response(EVENT_SCHEMA)

    return [
        Route("/api/v1/events", post_events, methods=["POST"]),
        Route("/api/v1/events", get_events, methods=["GET"]),
        Route("/api/v1/events/schema", event_schema, methods=["GET"]),
    ]


def _denied(batch: DecodedBatch, writable: set[int], directory: Directory) -> list[EventError]:
    errors: list[EventError] = []
    for i, event in enumerate(batch.events):
        if event.partner_id not in writable:
            errors.append(
                EventError(
                    i, event.event_id, "partnerId", f"cannot write to partner {event.partner_id}"
                )
            )
        elif not directory.has_entry(event.partner_id, event.entry_id):
            errors.append(
                EventError(
                    i,
                    event.event_id,
                    "entryId",
                    f"partner {event.partner_id} has no entry {event.entry_id!r}",
                )
            )
        if len(errors) >= MAX_ERRORS:
            break
    return errors
