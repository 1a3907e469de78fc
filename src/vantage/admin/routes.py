"""The admin JSON API: upsert and list the entities of ``vantage.entities.model``.

``GET    /api/v1/admin/{kind}``          one page: ``objects`` and ``totalCount``
``GET    /api/v1/admin/{kind}/{id}``     one object
``POST   /api/v1/admin/{kind}``          insert or replace an object or an array of objects
``DELETE /api/v1/admin/entries/{id}``    mark an entry deleted; its row stays so reports still
                                        name it (vantage.store.lifecycle records the delete)

A partner sees and writes its own entities and those of its child partners. Authentication is
HTTP Basic with the partner id and an admin secret, or an admin KS; each endpoint needs the
permission :data:`NEEDS` declares (writing partners: a full administrator), and partners'
secrets are shown to full administrators only.
"""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from vantage.access.directory import Directory, PartnerAccess
from vantage.api.auth import ANALYTICS_BASE, CONTENT_MANAGE, FULL_ADMIN, Principal, authenticate
from vantage.api.errors import ApiError, json_response
from vantage.api.params import int_param
from vantage.config import Settings
from vantage.entities import repository
from vantage.entities.model import Entity, Kind, Partner, PartnerEntity
from vantage.http_body import read_body
from vantage.ingest.store import Store
from vantage.storable import INT64_MAX

MAX_PAGE = 10_000
_PAGING = {"limit", "offset", "partnerId", "ks"}  # not filters
_SECRETS = ("adminSecrets", "userSecret")

NEEDS: dict[tuple[str, str], str] = {
    ("read", "*"): ANALYTICS_BASE,
    ("write", "*"): CONTENT_MANAGE,
    ("write", "partners"): FULL_ADMIN,  # a partner record holds its secrets
}
"""The permission each endpoint needs, by (read or write, kind); ``*``: any other kind."""


def _needs(access: str, kind: Kind) -> str:
    return NEEDS.get((access, kind.name), NEEDS[(access, "*")])


def routes(settings: Settings, store: Store, directory: Directory) -> list[Route]:
    def kind_of(request: Request) -> Kind:
        try:
            return repository.kind(request.path_params["kind"])
        except repository.EntityError as exc:
            raise ApiError(404, "UNKNOWN_KIND", str(exc)) from None

    def caller(request: Request, access: str) -> tuple[Principal, PartnerAccess, Kind]:
        """Who calls and the kind named, once the caller may ``access`` it (401, 404, 403)."""
        principal = authenticate(request, directory, settings)
        kind = kind_of(request)
        return principal, principal.require(_needs(access, kind)), kind

    async def list_kind(request: Request) -> Response:
        principal, partner, kind = caller(request, "read")
        q = request.query_params
        scope = _scope(partner, directory, q.get("partnerId"))
        limit = int_param(q.get("limit", "500"), "limit", 1, MAX_PAGE)
        offset = int_param(q.get("offset", "0"), "offset", 0, None)
        filters = {_snake(k): v for k, v in q.items() if k not in _PAGING}
        try:
            objects, total = repository.list_items(
                store.engine, kind, partner_ids=scope, filters=filters, limit=limit, offset=offset
            )
        except repository.EntityError as exc:
            raise ApiError(400, "INVALID_FILTER", str(exc)) from None
        return json_response(
            {"objects": [_shown(principal, o) for o in objects], "totalCount": total}
        )

    async def get_one(request: Request) -> Response:
        principal, partner, kind = caller(request, "read")
        raw_id = request.path_params["id"]
        if kind.struct is Partner:
            key: list[Any] = [int_param(raw_id, "id", 1, None)]
            if key[0] not in directory.writable_partners(partner):
                raise ApiError(404, "NOT_FOUND", f"no partner {raw_id}")
        else:
            owner = int_param(
                request.query_params.get("partnerId", str(partner.id)), "partnerId", 1, None
            )
            _scope(partner, directory, str(owner))
            key = [owner, _typed_id(kind, raw_id)]
        found = repository.get(store.engine, kind, key)
        if found is None:
            raise ApiError(404, "NOT_FOUND", f"no {kind.name} object {raw_id}")
        return json_response(_shown(principal, found))

    async def upsert(request: Request) -> Response:
        _, partner, kind = caller(request, "write")
        body = await read_body(request, settings.max_body_bytes)
        try:
            items = repository.decode_items(kind, body)
        except msgspec.DecodeError as exc:
            raise ApiError(400, "INVALID_OBJECT", str(exc)) from None
        _check_ownership(partner, directory, kind, items)
        try:
            count = await asyncio.wrap_future(store.ingest.upsert(kind, items))
        except repository.EntityError as exc:
            raise ApiError(400, "INVALID_OBJECT", str(exc)) from None
        if kind.struct is Partner:
            directory.reload_partners()
        if kind.name == "entries":
            directory.forget_entries({getattr(i, "partner_id", 0) for i in items})
        return json_response({"upserted": count})

    async def delete_entry(request: Request) -> Response:
        partner = authenticate(request, directory, settings).require(
            _needs("write", repository.kind("entries"))
        )
        raw_id = request.path_params["id"]
        owner = int_param(
            request.query_params.get("partnerId", str(partner.id)), "partnerId", 1, None
        )
        _scope(partner, directory, str(owner))
        found, deleted = await asyncio.wrap_future(store.ingest.delete_entries(owner, [raw_id]))
        if not found:
            raise ApiError(404, "NOT_FOUND", f"no entries object {raw_id}")
        return json_response({"deleted": deleted})

    return [
        Route("/api/v1/admin/{kind}", list_kind, methods=["GET"]),
        Route("/api/v1/admin/{kind}", upsert, methods=["POST"]),
        Route("/api/v1/admin/{kind}/{id}", get_one, methods=["GET"]),
        Route("/api/v1/admin/entries/{id}", delete_entry, methods=["DELETE"]),
    ]


def _scope(partner: PartnerAccess, directory: Directory, requested: str | None) -> set[int]:
    allowed = directory.writable_partners(partner)
    if requested is None:
        return allowed
    pid = int_param(requested, "partnerId", 1, None)
    if pid not in allowed:
        raise ApiError(
            403, "FORBIDDEN_PARTNER", f"partner {partner.id} cannot access partner {pid}"
        )
    return {pid}


def _check_ownership(
    partner: PartnerAccess, directory: Directory, kind: Kind, items: list[Entity]
) -> None:
    allowed = directory.writable_partners(partner)
    for i, item in enumerate(items):
        if isinstance(item, PartnerEntity) and item.partner_id not in allowed:
            raise ApiError(
                403, "FORBIDDEN_PARTNER", f"object {i}: cannot write to partner {item.partner_id}"
            )
        if isinstance(item, Partner):
            existing = directory.partner(item.id)
            if item.id == partner.id:
                if item.parent_partner_id != partner.parent_partner_id:
                    raise ApiError(403, "FORBIDDEN_PARTNER", "a partner cannot change its parent")
            elif item.parent_partner_id != partner.id or (
                existing is not None and existing.parent_partner_id != partner.id
            ):
                raise ApiError(
                    403,
                    "FORBIDDEN_PARTNER",
                    f"object {i}: partner {partner.id} may write only itself and its children",
                )


def _typed_id(kind: Kind, raw_id: str) -> Any:
    """The object id as its column stores it: integer ids must be integers DuckDB can hold."""
    if dict(repository.columns(kind)).get(kind.key[-1]) != "BIGINT":
        return raw_id
    return int_param(raw_id, "id", -INT64_MAX - 1, None)


def _shown(principal: Principal, found: dict[str, Any]) -> dict[str, Any]:
    """An object as the caller may see it: partners' secrets only to a full administrator."""
    if principal.may(FULL_ADMIN):
        return found
    return {k: v for k, v in found.items() if k not in _SECRETS}


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
