"""Several calls in one request (``service=multirequest``), as Kaltura's front controller runs them.

Requests are the numbered top-level parameters (``1:service=…``, or JSON ``"0": {…}``). They run
in index order from index 1 (or 0, the official client's first index) and stop at the first index
without ``service`` and ``action``. Unnumbered ``ks``, ``partnerId`` and ``clientTag`` are
inherited by requests that lack them; ``format`` counts only at the top level.

A parameter value holding ``{N:result}`` or ``{N:result:prop:sub}`` gets that part of the N-th
result substituted, N counting the requests *as run*, from 1 — the caller's own numbers when it
numbers from 1 (curl recipes), and what the official client writes for its 0-numbered calls;
``{0:result}`` also names the first. A reference that cannot be resolved (missing, empty, an
error) fails that request with MISSING_MANDATORY_PARAMETER. Each request succeeds or fails on
its own; a file answer ends the multirequest and is the whole answer. A multirequest of more
than ``limit`` requests runs none of them: the answer is one MULTIREQUEST_TOO_LARGE error.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from vantage import php
from vantage.kaltura import errors
from vantage.kaltura.files import DieError, FileResult
from vantage.kaltura.params import Tree
from vantage.kaltura.schema import ApiObject
from vantage.kaltura.values import php_string

INHERITED = ("ks", "partnerId", "clientTag")
_REFERENCE = re.compile(r"\{([0-9]{1,9}):result(?::([^}]*))?\}")


async def run(
    tree: Tree, call: Callable[[Tree], Awaitable[Any]], limit: int
) -> list[Any] | FileResult | DieError | errors.APIException:
    runs = _requests(tree)
    if len(runs) > limit:
        return errors.MULTIREQUEST_TOO_LARGE(limit)
    results: list[Any] = []
    for request in runs:
        request = {k: tree[k] for k in INHERITED if k in tree} | request
        request.pop("format", None)
        try:
            outcome = await call(resolve(request, results))
        except errors.APIException as exc:
            outcome = exc
        if isinstance(outcome, FileResult | DieError):
            return outcome
        results.append(outcome)
    return results


def _requests(tree: Tree) -> list[Tree]:
    """The requests that run, in order: numbered from 1 (or 0), up to the first gap."""
    numbered = ((php.index(k), v) for k, v in tree.items())
    requests = {n: v for n, v in numbered if n is not None}
    found: list[Tree] = []
    index = min(1, *requests) if requests else 1
    while isinstance(request := requests.get(index), dict) and {"service", "action"} <= set(
        request
    ):
        found.append(request)
        index += 1
    return found


def resolve(value: Any, results: list[Any]) -> Any:
    """``value`` with every reference to an earlier result replaced."""
    if isinstance(value, dict):
        return {k: resolve(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, results) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        position = int(match.group(1)) or 1  # {0:result}: the first, for callers counting from 0
        if not 1 <= position <= len(results):
            return match.group(0)  # not run yet: left as written, as Kaltura does
        found = _part(results[position - 1], (match.group(2) or "").split(":"))
        if found is None or isinstance(found, ApiObject | list) or php_string(found) == "":
            raise errors.MISSING_MANDATORY_PARAMETER(match.group(0))
        return php_string(found)

    return _REFERENCE.sub(substitute, value)


def _part(result: Any, path: list[str]) -> Any:
    head, rest = path[0], path[1:]
    if head == "":
        return result
    if isinstance(result, ApiObject) and result.cls.get_field(head) is not None:
        return _part(result.values.get(head), rest or [""])
    position = php.index(head)
    if isinstance(result, list) and position is not None and position < len(result):
        return _part(result[position], rest or [""])
    return None
