"""The action registry: each ``service.action`` declared as data, with the handler that answers it.

A handler is called as ``handler(ctx, **arguments)``, one keyword per declared parameter (named
as on the wire), already cast to its declared type. It may be a plain function (run in a worker
thread, so it may block on the store) or a coroutine function. It returns a scalar, None, an
:class:`~vantage.kaltura.schema.ApiObject`, a list of them, or — for file actions — a
:class:`~vantage.kaltura.files.FileResult`; it raises
:class:`~vantage.kaltura.errors.APIException` for API errors.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from vantage.kaltura import errors
from vantage.kaltura.schema import ApiType


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


@dataclass(frozen=True)
class Param:
    name: str
    type: ApiType
    default: Any = REQUIRED

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


class KsPolicy(StrEnum):
    REQUIRED = "required"  # a valid session of a partner that is not blocked (most actions)
    OPTIONAL = "optional"  # a KS is verified when one is sent
    IGNORED = "ignored"  # the KS is not even read (session.start)


Handler = Callable[..., Any]


@dataclass(frozen=True)
class Action:
    service: str
    name: str
    params: tuple[Param, ...]
    handler: Handler
    permission: str | None = None
    """Permission the session's role must grant (e.g. ANALYTICS_BASE); None: any session."""
    ks: KsPolicy = KsPolicy.REQUIRED
    returns_file: bool = False
    """File actions answer API errors raised inside the handler with an empty body and
    ``X-Kaltura`` headers, as Kaltura does."""
    multi_account: bool = False
    """Whether the caller may read its child partners' data too."""

    def __post_init__(self) -> None:
        try:
            inspect.signature(self.handler).bind(None, **{p.name: None for p in self.params})
        except TypeError as exc:
            raise ValueError(f"{self.label}: handler does not take the parameters: {exc}") from None

    @property
    def label(self) -> str:
        """``report->getTable``: how Kaltura names the action in SERVICE_FORBIDDEN."""
        return f"{self.service.lower()}->{self.name}"


class Registry:
    def __init__(self) -> None:
        self._actions: dict[tuple[str, str], Action] = {}

    def add(self, action: Action) -> None:
        key = (action.service.lower(), action.name.lower())
        if key in self._actions:
            raise ValueError(f"{action.label} is registered twice")
        self._actions[key] = action

    def find(self, service: str, action: str) -> Action:
        """The action, else Kaltura's error naming what does not exist (lower-cased)."""
        if not service:
            raise errors.SERVICE_NOT_SPECIFIED()
        service, action = service.lower(), action.lower()
        found = self._actions.get((service, action))
        if found is not None:
            return found
        if any(s == service for s, _ in self._actions):
            raise errors.ACTION_DOES_NOT_EXISTS(action, service)
        raise errors.SERVICE_DOES_NOT_EXISTS(service)

    def __iter__(self) -> Iterator[Action]:
        return iter(self._actions.values())
