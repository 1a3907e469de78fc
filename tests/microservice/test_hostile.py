"""Any body, any header: never a 5xx, and a job only for a valid request."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.microservice.conftest import CANCEL, GENERATE, SERVE, Api
from vantage.analytics.catalog import NAMES

_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
)
_KEYS = ["reportName", "reportParameters", "descriptiveHeaders", "sessionId", "statusOnly", "ks"]
_VALUES = st.sampled_from(sorted(NAMES)) | _JSON
_BODIES = st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=5) | _JSON
_CHECKS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_CHECKS
@given(path=st.sampled_from([GENERATE, SERVE, CANCEL]), body=_BODIES)
def test_any_json_body_is_answered_without_5xx(api: Api, path: str, body: Any) -> None:
    before = len(api.runner.queue.unfinished())
    answer = api.client.post(
        path, content=json.dumps(body), headers={"Authorization": f"Bearer {api.ks()}"}
    )
    assert answer.status_code < 500, answer.text
    made = len(api.runner.queue.unfinished()) - before
    assert made == (1 if path == GENERATE and answer.status_code == 200 else 0)
    if answer.status_code != 200:
        assert set(answer.json()["error"]) >= {"code", "message"}


@_CHECKS
@given(
    content=st.binary(max_size=200),
    authorization=st.text(max_size=80),
    content_type=st.sampled_from(["", "application/json", "text/plain", "application/x+json"])
    | st.text(max_size=30),
)
def test_any_bytes_and_headers_are_answered_without_5xx(
    api: Api, content: bytes, authorization: str, content_type: str
) -> None:
    headers = {"Authorization": authorization, "Content-Type": content_type}
    safe = {k: v for k, v in headers.items() if v.isascii() and v.isprintable()}
    answer = api.client.post(GENERATE, content=content, headers=safe)
    assert answer.status_code < 500, answer.text
    assert not api.runner.queue.unfinished()
