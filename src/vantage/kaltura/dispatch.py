"""One API call, in Kaltura's order: find the action, check the KS, cast the parameters, check the
caller may run it, run the handler. The outcome is the handler's result, an
:class:`~vantage.kaltura.errors.APIException`, a :class:`~vantage.kaltura.files.FileResult`, or
a :class:`~vantage.kaltura.files.DieError` — never a Python exception.
"""

from __future__ import annotations

import functools
import inspect
import logging
from typing import Any

import anyio.to_thread

from vantage.access.directory import Directory
from vantage.config import Settings
from vantage.ingest.store import Store
from vantage.kaltura import auth, cast, errors
from vantage.kaltura.actions import Action, Registry
from vantage.kaltura.auth import Caller, RequestInfo
from vantage.kaltura.context import CallContext
from vantage.kaltura.errors import APIException
from vantage.kaltura.files import DieError, FileResult, prime
from vantage.kaltura.params import Tree, text
from vantage.player.beacon_queue import BeaconQueue
from vantage.player.enrich import Enricher

log = logging.getLogger(__name__)


class Dispatcher:
    def __init__(
        self,
        registry: Registry,
        directory: Directory,
        store: Store,
        settings: Settings,
        enricher: Enricher,
    ) -> None:
        self.registry = registry
        self.directory = directory
        self.store = store
        self.beacons = BeaconQueue(store.ingest.beacons)
        self.settings = settings
        self.enricher = enricher

    async def call(self, tree: Tree, request: RequestInfo, now: int) -> Any:
        service, name = text(tree, "service") or "", text(tree, "action") or ""
        try:
            action = self.registry.find(service, name)
            caller = auth.identify(
                action, tree, request, self.directory, self.directory.ks_uses, now
            )
            now = auth.reference_time(caller.session, now)
            arguments = cast.arguments(action.params, tree, now)
            auth.authorize(action, caller)
        except APIException as exc:
            return exc
        except Exception:
            log.exception("unexpected error before %s.%s", service, name)
            return errors.INTERNAL_SERVERL_ERROR()
        context = self._context(action, caller, request, tree, now)
        return await self._run(action, context, arguments)

    def _context(
        self, action: Action, caller: Caller, request: RequestInfo, tree: Tree, now: int
    ) -> CallContext:
        readable: frozenset[int] = frozenset()
        if caller.session is not None and caller.partner is not None:
            scope = (
                self.directory.writable_partners(caller.partner)
                if action.multi_account
                else {caller.partner.id}
            )
            readable = frozenset(scope)
        return CallContext(
            ks=caller.ks,
            session=caller.session,
            partner=caller.partner,
            partner_ids=readable,
            permissions=auth.permissions(caller),
            client_ip=request.client_ip,
            user_agent=request.user_agent,
            base_url=request.base_url,
            params=tree,
            now=now,
            store=self.store,
            settings=self.settings,
            directory=self.directory,
            enricher=self.enricher,
            beacons=self.beacons,
        )

    async def _run(self, action: Action, ctx: CallContext, arguments: dict[str, Any]) -> Any:
        try:
            if inspect.iscoroutinefunction(action.handler):
                result = await action.handler(ctx, **arguments)
            else:
                call = functools.partial(action.handler, ctx, **arguments)
                result = await anyio.to_thread.run_sync(call)
            return await prime(result) if isinstance(result, FileResult) else result
        except APIException as exc:
            return DieError(exc) if action.returns_file else exc
        except Exception:
            log.exception("unexpected error in %s", action.label)
            return errors.INTERNAL_SERVERL_ERROR()
