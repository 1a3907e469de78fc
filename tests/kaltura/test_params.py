"""Request parameters: PHP brackets, colon paths, JSON bodies and path pairs, with precedence."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from vantage.kaltura import params

FORM = "application/x-www-form-urlencoded"


def flatten(tree: dict[str, Any], style: str, prefix: str = "") -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in tree.items():
        name = (
            key
            if not prefix
            else (f"{prefix}[{key}]" if style == "brackets" else f"{prefix}:{key}")
        )
        if isinstance(value, dict):
            pairs += flatten(value, style, name)
        else:
            pairs.append((name, value))
    return pairs


def form(pairs: list[tuple[str, str]]) -> bytes:
    return urllib.parse.urlencode(pairs).encode()


def collect(body: bytes = b"", content_type: str = FORM, query: str = "", path: str = "") -> Any:
    return params.collect(
        content_type=content_type, body=body, query=query.encode(), path="/api_v3" + path
    )


names = st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", min_size=1)
leaves = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
trees = st.recursive(
    st.dictionaries(names, leaves, min_size=1, max_size=4),
    lambda inner: st.dictionaries(names, st.one_of(leaves, inner), min_size=1, max_size=4),
    max_leaves=12,
)


@given(trees)
def test_brackets_colons_json_and_path_pairs_read_the_same(tree: dict[str, Any]) -> None:
    assert collect(form(flatten(tree, "brackets"))) == tree
    assert collect(form(flatten(tree, "colons"))) == tree
    assert collect(query=form(flatten(tree, "brackets")).decode()) == tree
    assert collect(json.dumps(tree).encode(), "application/json") == tree
    pairs = flatten(tree, "colons")
    if all(value for _, value in pairs):  # an empty segment cannot be a path value
        path = "".join(f"/{k}/{urllib.parse.quote(v, safe='')}" for k, v in pairs)
        assert collect(path=path) == tree


sources = st.sets(st.sampled_from(["body", "query", "path"]))


@given(sources, st.booleans())
def test_path_beats_query_beats_body(present: set[str], json_body: bool) -> None:
    body = b""
    if "body" in present:
        body = json.dumps({"a": {"k": "body"}}).encode() if json_body else b"a[k]=body"
    result = collect(
        body,
        "application/json" if json_body else FORM,
        query="a:k=query" if "query" in present else "",
        path="/a:k/path" if "path" in present else "",
    )
    winner = next((s for s in ("path", "query", "body") if s in present), None)
    assert result == ({"a": {"k": winner}} if winner else {})


def test_sources_merge_key_by_key() -> None:
    result = collect(b"f[fromDate]=1&f[toDate]=2&ks=body", query="f:toDate=3", path="/ks/path")
    assert result == {"f": {"fromDate": "1", "toDate": "3"}, "ks": "path"}


def test_path_pairs_first_occurrence_wins_and_values_keep_their_characters() -> None:
    path = "/index.php/service/report/action/getCsv/id/6000/id/7/params/from_date=1;to_date=2%2F3"
    assert collect(path=path) == {
        "service": "report",
        "action": "getCsv",
        "id": "6000",
        "params": "from_date=1;to_date=2/3",
    }
    assert collect(path="/service/multirequest") == {"service": "multirequest"}


def test_json_body_only_with_exactly_application_json() -> None:
    body = b'{"ks": "x"}'
    assert collect(body, "Application/JSON") == {"ks": "x"}
    assert collect(body, "application/json; charset=utf-8") == {}
    assert collect(b'["ks"]', "application/json") == {}
    assert collect(b"{not json}", "application/json") == {}
    assert collect(b"ks=x", "text/plain") == {}


def test_numbered_keys_become_requests_and_appends_and_terminators() -> None:
    result = collect(b"1:service=report&1:f[a]=x&2:f:b=y&tags[]=a&tags[]=b&empty:-=&none[-]=")
    assert result == {
        "1": {"service": "report", "f": {"a": "x"}},
        "2": {"f": {"b": "y"}},
        "tags": {"0": "a", "1": "b"},
        "empty": {},
        "none": {"-": ""},
    }


def test_malformed_bracket_names_are_literal_and_later_values_replace_earlier() -> None:
    assert collect(b"a[b=1&[x]=2&c=1&c[d]=2&e[f]=1&e=3") == {"a[b": "1", "c": {"d": "2"}, "e": "3"}


def test_text_reads_scalars_only() -> None:
    tree = {"format": 1, "ignoreNull": True, "f": {"a": "b"}, "n": None}
    assert [params.text(tree, k) for k in ("format", "ignoreNull", "f", "n", "x")] == [
        "1",
        "1",
        None,
        None,
        None,
    ]


def depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


def test_names_deeper_than_the_cap_are_ignored_as_php_does() -> None:
    allowed = "a" + "[b]" * (params.MAX_DEPTH - 1)
    too_deep = "c" + "[b]" * params.MAX_DEPTH
    tree = collect(query=f"{allowed}=1&{too_deep}=2&x[y]=3&{'d:' * 40}e=4")
    assert depth(tree["a"]) == params.MAX_DEPTH - 1 and tree["x"] == {"y": "3"}
    assert set(tree) == {"a", "x"}
    for name in (too_deep, "c" + "[b]" * 5000, "c:" * 5000 + "d", "c:" * 20 + "c" + "[b]" * 20):
        assert collect(body=form([(name, "1"), ("k", "v")])) == {"k": "v"}


def test_json_bodies_deeper_than_the_cap_are_ignored_whole() -> None:
    def nested(levels: int) -> bytes:
        return b'{"k":"v","a":' + b'{"a":' * (levels - 1) + b"1" + b"}" * levels

    assert depth(collect(nested(params.MAX_DEPTH), "application/json")) == params.MAX_DEPTH
    for levels in (params.MAX_DEPTH + 1, 1_000, 100_000):
        assert collect(nested(levels), "application/json") == {}
    assert collect(b'{"a":' + b"[" * 100_000 + b"}", "application/json") == {}


def test_text_that_is_not_utf8_reads_with_replacement_characters() -> None:
    tree = collect(b'{"ks":"\\ud800x","\\udfff":"\\ud83d\\ude00"}', "application/json")
    assert tree == {"ks": "\ufffdx", "\ufffd": "\U0001f600"}
    assert collect(b"ks=%ff%fe&a=\xed\xa0\x80", query="b=%C3%28")["ks"] == "\ufffd\ufffd"
    assert "\ufffd" in collect(path="/ks/%ff")["ks"]


MEDIA = st.sampled_from([FORM, "application/json", "application/json; charset=utf-8", "", "x/y"])


@settings(max_examples=300, deadline=None)
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.integers(1, 3_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
        st.integers(1, 3_000).map(lambda n: ("a" + "[b]" * n + "=1").encode()),
    ),
    query=st.binary(max_size=200),
    path=st.text(max_size=100),
    media=MEDIA,
)
def test_any_request_reads_as_a_bounded_tree_of_text(
    body: bytes, query: bytes, path: str, media: str
) -> None:
    tree = params.collect(content_type=media, body=body, query=query, path=path)
    assert depth(tree) <= 2 * params.MAX_DEPTH
    text = json.dumps(tree, ensure_ascii=False)
    text.encode("utf-8")  # no lone surrogates anywhere
