"""Multirequest: numbering, inheritance, stopping, result references, files."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from vantage.kaltura import errors, multirequest
from vantage.kaltura.classes import REPORT_GRAPH, REPORT_TOTAL
from vantage.kaltura.errors import APIException
from vantage.kaltura.files import FileResult


def run(
    tree: dict[str, Any], answers: dict[str, Any] | None = None, limit: int = 50
) -> tuple[Any, list[Any]]:
    """Runs ``tree``; each request answers ``answers[action]`` (default: the request itself)."""
    seen: list[Any] = []

    async def call(request: dict[str, Any]) -> Any:
        seen.append(request)
        return (answers or {}).get(request["action"], request)

    return asyncio.run(multirequest.run(tree, call, limit)), seen


def test_zero_and_one_based_numbering_inheritance_and_top_level_format() -> None:
    tree = {
        "ks": "K",
        "partnerId": "101",
        "clientTag": "t",
        "format": "1",
        "0": {"service": "s", "action": "a", "format": "2"},
        "1": {"service": "s", "action": "b", "ks": "OWN"},
    }
    results, seen = run(tree)
    assert [r["action"] for r in results] == ["a", "b"]
    assert seen[0] == {
        "ks": "K",
        "partnerId": "101",
        "clientTag": "t",
        "service": "s",
        "action": "a",
    }
    assert seen[1]["ks"] == "OWN"


def test_stops_at_the_first_index_without_service_and_action() -> None:
    tree = {
        "1": {"service": "s", "action": "a"},
        "2": {"service": "s"},
        "3": {"service": "s", "action": "c"},
    }
    assert [r["action"] for r in run(tree)[0]] == ["a"]
    assert run({"2": {"service": "s", "action": "a"}})[0] == []  # runs start at index 1 (or 0)
    assert run({"ks": "x"})[0] == []


def test_references_by_position_with_properties_and_items() -> None:
    answers = {
        "start": "KS1",
        "total": REPORT_TOTAL(header="a,b", data="1,2"),
        "graphs": [REPORT_GRAPH(id="count_plays", data="d")],
    }
    tree = {
        "0": {"service": "session", "action": "start"},
        "1": {"service": "report", "action": "total", "ks": "{1:result}"},
        "2": {"service": "report", "action": "graphs", "f": {"x": "h={2:result:header};"}},
        "3": {"service": "x", "action": "echo", "ids": "{3:result:0:id}", "later": "{9:result}"},
        "4": {"service": "x", "action": "echo", "ks": "{0:result}"},
    }
    results, seen = run(tree, answers)
    assert seen[1]["ks"] == "KS1" == seen[4]["ks"] and seen[2]["f"] == {"x": "h=a,b;"}
    assert seen[3]["ids"] == "count_plays" and seen[3]["later"] == "{9:result}"
    assert results[3]["action"] == "echo"


def test_unresolvable_references_fail_only_their_request() -> None:
    answers = {"total": REPORT_TOTAL(header="", data="1"), "bad": errors.MISSING_KS()}
    tree = {
        "1": {"service": "r", "action": "total"},
        "2": {"service": "r", "action": "bad"},
        "3": {"service": "r", "action": "x", "a": "{1:result}"},
        "4": {"service": "r", "action": "x", "a": "{1:result:header}"},
        "5": {"service": "r", "action": "x", "a": "{1:result:nothing}"},
        "6": {"service": "r", "action": "x", "a": "{2:result:code}"},
        "7": {"service": "r", "action": "x", "a": "{1:result:data}"},
    }
    results, seen = run(tree, answers)
    failed = results[2:6]
    assert all(
        isinstance(r, APIException) and r.code == "MISSING_MANDATORY_PARAMETER" for r in failed
    )
    assert failed[0].arguments == {"PARAM_NAME": "{1:result}"}
    assert results[6]["a"] == "1" and len(seen) == 3


def test_a_file_answer_is_the_whole_answer() -> None:
    csv = FileResult("text/csv", [b"a\n"])
    tree = {
        "1": {"service": "r", "action": "total"},
        "2": {"service": "r", "action": "csv"},
        "3": {"service": "r", "action": "never"},
    }
    result, seen = run(tree, {"csv": csv})
    assert result is csv and [s["action"] for s in seen] == ["total", "csv"]


@settings(max_examples=60, deadline=None)
@given(count=st.integers(0, 12), limit=st.integers(1, 10))
def test_more_requests_than_the_limit_run_none(count: int, limit: int) -> None:
    tree = {str(i): {"service": "s", "action": f"a{i}"} for i in range(1, count + 1)}
    outcome, seen = run(tree, limit=limit)
    if count > limit:
        assert isinstance(outcome, APIException) and outcome.code == "MULTIREQUEST_TOO_LARGE"
        assert outcome.arguments == {"MAX": str(limit)} and seen == []
    else:
        assert len(outcome) == len(seen) == count
