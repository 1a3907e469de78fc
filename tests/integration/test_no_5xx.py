"""Requests no HTTP library would send, over a raw socket to a real server: each gets a documented
answer (no 5xx, no INTERNAL_SERVERL_ERROR) and the server logs no traceback."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator

import pytest

from tests.integration.server import Server, create_partner

DEEP = 5_000
RAW: list[tuple[bytes, bytes, bytes]] = [  # method and target, content type, body
    (b"GET /api_v3/index.php?service=session&action=get&ks=\xff\xfe", b"", b""),
    (b"GET /api_v3/service/\xc3\x28/action/get/ks/%ed%a0%80", b"", b""),
    (b"GET /api_v3/index.php?" + b"a[b]" + b"[b]" * DEEP + b"=1", b"", b""),
    (b"GET /api_v3/index.php?service=report&action=getTable&" + b"a:" * DEEP + b"b=1", b"", b""),
    (
        b"POST /api_v3/index.php",
        b"application/x-www-form-urlencoded",
        b"service=report&action=\xed\xa0\x80&" + b"x" + b"[y]" * DEEP + b"=1",
    ),
    (b"POST /api_v3/index.php", b"application/json", b'{"a":' * DEEP + b"1" + b"}" * DEEP),
    (b"POST /api_v3/index.php", b"application/json", b'{"a":' + b"[" * DEEP + b"}"),
    (
        b"POST /api_v3/index.php",
        b"application/json",
        b'{"service":"session","action":"get","ks":"\\ud800\\udfff\\ud800"}',
    ),
    (b"POST /api/v1/events", b"application/json", b"[" * DEEP + b"]" * DEEP),
    (b"POST /api/v1/events", b"application/json", b'[{"type":"\\ud800"}]'),
    (b"POST /api/v1/events", b"application/json", b"\xff\xfe[]"),
    (b"GET /api/v1/events?since=nan&entryId=%ff", b"", b""),
    (b"GET /api/v1/events?offset=9223372036854775808", b"", b""),
    (b"GET /api/v1/events?until=1e20", b"", b""),
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    store = tmp_path_factory.mktemp("no5xx") / "store.duckdb"
    partner_id, secret = create_partner(store, "Raw U")
    server = Server(store).start()
    token = base64.b64encode(f"{partner_id}:{secret}".encode()).decode()
    try:
        yield server, token
    finally:
        server.stop()


def send(server: Server, head: bytes, media: bytes, body: bytes, token: str) -> bytes:
    lines = [head + b" HTTP/1.1", b"Host: 127.0.0.1", b"Authorization: Basic " + token.encode()]
    if media:
        lines.append(b"Content-Type: " + media)
    lines += [b"Content-Length: " + str(len(body)).encode(), b"Connection: close"]
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
        conn.sendall(b"\r\n".join(lines) + b"\r\n\r\n" + body)
        chunks = []
        while chunk := conn.recv(65_536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(("head", "media", "body"), RAW, ids=range(len(RAW)))
def test_raw_hostile_requests_get_documented_answers(
    served: tuple[Server, str], head: bytes, media: bytes, body: bytes
) -> None:
    server, token = served
    answer = send(server, head, media, body, token)
    status = int(answer.split(b" ", 2)[1])
    assert status < 500 and b"INTERNAL_SERVERL_ERROR" not in answer, answer[:500]
    if head.startswith((b"GET /api/v1", b"POST /api/v1")):
        assert status == 400 and b'"code":"INVALID_' in answer, answer[:500]


def test_the_server_logged_no_traceback(served: tuple[Server, str]) -> None:
    server, token = served
    for head, media, body in RAW:
        send(server, head, media, body, token)
    process = server.process
    assert process is not None and process.stderr is not None
    server.stop()
    log = process.stderr.read().decode(errors="replace")
    assert "Traceback" not in log, log[-3000:]
