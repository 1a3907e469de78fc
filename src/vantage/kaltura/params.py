"""Request parameters as Kaltura reads them, gathered into one tree.

Sources, each overriding the one before (recursively, key by key): the POST body (form fields
with PHP brackets ``a[b]=``, or a JSON object when Content-Type is exactly application/json), the
query string, then path pairs (``/api_v3/service/report/action/getTable/format/1``, first
occurrence wins). In every source a top-level key is also split on ``:`` (``a:b=`` is ``a[b]=``;
``1:service=`` is request 1 of a multirequest), and a trailing ``-`` segment only makes its
container exist (``params:-=`` is an empty array).

Nesting is capped at ``MAX_DEPTH`` levels, as PHP caps it (``max_input_nesting_level``, 64): a
name with more levels (brackets and colons together) is ignored, as PHP ignores it, and a JSON
body nested deeper is ignored as a whole, as Kaltura ignores a body ``json_decode`` cannot read.
Text that is not UTF-8 (bytes, or lone surrogates escaped in JSON) reads with U+FFFD in place.

Leaves stay as sent: strings, or JSON scalars and lists. Casting to declared types is
:mod:`vantage.kaltura.cast`'s job.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any

from vantage import php
from vantage.kaltura.values import php_string

Tree = dict[str, Any]

MAX_DEPTH = 32  # half PHP's limit, and far past the deepest real request (about 5 levels)
_BRACKETS = re.compile(r"\[([^\]]*)\]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # only lone ones: JSON pairs decode to one character


def collect(*, content_type: str | None, body: bytes, query: bytes, path: str) -> Tree:
    """All of a request's parameters; ``path`` is the raw (still percent-encoded) URL path."""
    return merge(merge(body_params(content_type, body), form_params(query)), path_params(path))


def body_params(content_type: str | None, body: bytes) -> Tree:
    media = (content_type or "").strip().lower()
    if media == "application/json":  # exactly: Kaltura ignores JSON sent with "; charset=…"
        return group(_json_object(body))
    if media.split(";")[0].strip() == "application/x-www-form-urlencoded":
        return form_params(body)
    return {}


def form_params(data: bytes) -> Tree:
    """A form body or query string, read as PHP reads it."""
    text = data.decode("utf-8", "replace")
    return group(php_tree(urllib.parse.parse_qsl(text, keep_blank_values=True)))


def path_params(path: str) -> Tree:
    """Pairs after ``/api_v3`` (and ``/index.php``); empty segments are skipped, as PHP does."""
    segments = [urllib.parse.unquote(s) for s in path.split("/") if s]
    if segments[:1] == ["api_v3"]:
        segments = segments[1:]
    if segments[:1] == ["index.php"]:
        segments = segments[1:]
    pairs: Tree = {}
    for key, value in zip(segments[::2], segments[1::2], strict=False):
        pairs.setdefault(key, value)
    return group(pairs)


def php_tree(pairs: Iterable[tuple[str, str]]) -> Tree:
    """``a[b][]=1`` style names into nested dicts; a later value replaces an earlier one."""
    tree: Tree = {}
    next_index: dict[tuple[str, ...], int] = {}  # per container, so a[]= appends in O(1)
    where: tuple[str, ...]
    for name, value in pairs:
        path = _php_path(name)
        if path is None or len(path) + path[0].count(":") > MAX_DEPTH:
            continue
        node, where = tree, ()  # where: the path to node
        for i, segment in enumerate(path):
            if segment == "":  # a[]= appends after the largest index so far
                segment = str(next_index.get(where, 0))
            number = php.index(segment)
            if number is not None:
                next_index[where] = max(next_index.get(where, 0), number + 1)
            where += (segment,)
            if i == len(path) - 1:
                node[segment] = value
            else:
                if not isinstance(node.get(segment), dict):
                    node[segment] = {}
                node = node[segment]
    return tree


def _php_path(name: str) -> list[str] | None:
    base, bracket, rest = name.partition("[")
    if not base:
        return None
    if not bracket:
        return [base]
    rest = "[" + rest
    segments, position = [], 0
    for match in _BRACKETS.finditer(rest):
        if match.start() != position:
            break
        segments.append(match.group(1))
        position = match.end()
    return [base, *segments] if segments else [name]


def group(flat: Mapping[str, Any]) -> Tree:
    """Split top-level keys on ``:`` into nested dicts."""
    tree: Tree = {}
    for key, value in flat.items():
        *parents, last = key.split(":")
        if len(parents) >= MAX_DEPTH:
            continue
        node = _container(tree, parents)
        if last != "-":
            node[last] = merge(node[last], value) if _both_dicts(node.get(last), value) else value
    return tree


def _container(tree: Tree, path: list[str]) -> Tree:
    node = tree
    for segment in path:
        if not isinstance(node.get(segment), dict):
            node[segment] = {}
        node = node[segment]
    return node


def _both_dicts(a: Any, b: Any) -> bool:
    return isinstance(a, dict) and isinstance(b, dict)


def merge(base: Tree, override: Tree) -> Tree:
    """``override`` on top of ``base``: dicts merge key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in override.items():
        merged[key] = merge(merged[key], value) if _both_dicts(merged.get(key), value) else value
    return merged


def text(tree: Tree, name: str) -> str | None:
    """A scalar parameter as a string (None when absent or not a scalar)."""
    value = tree.get(name)
    if value is None or isinstance(value, dict | list):
        return None
    return php_string(value)


def _json_object(body: bytes) -> Tree:
    body = body.strip()
    if not (body.startswith(b"{") and body.endswith(b"}")):
        return {}
    try:
        data = _checked(json.loads(body.decode("utf-8", "replace")), 1)
    except (ValueError, RecursionError, _TooDeep):  # RecursionError: far deeper than MAX_DEPTH
        return {}
    return data if isinstance(data, dict) else {}


class _TooDeep(Exception):
    pass


def _checked(value: Any, depth: int) -> Any:
    """``value`` with lone surrogates replaced by U+FFFD; _TooDeep past MAX_DEPTH levels."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if not isinstance(value, dict | list):
        return value
    if depth > MAX_DEPTH:
        raise _TooDeep
    if isinstance(value, list):
        return [_checked(v, depth + 1) for v in value]
    return {_checked(k, depth): _checked(v, depth + 1) for k, v in value.items()}
