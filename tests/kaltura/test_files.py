"""File answers: the first chunk is produced before the answer starts, so early errors surface."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest

from vantage.kaltura import errors
from vantage.kaltura.errors import APIException
from vantage.kaltura.files import DieError, FileResult, prime


def sync_chunks(fail: bool) -> Iterator[bytes]:
    if fail:
        raise errors.REPORT_NOT_FOUND(6003)
    yield b"a,b\n"
    yield b"1,2\n"


async def async_chunks(fail: bool) -> AsyncIterator[bytes]:
    if fail:
        raise errors.REPORT_NOT_FOUND(6003)
    yield b"a,b\n"
    yield b"1,2\n"


def primed_bytes(result: FileResult) -> tuple[FileResult, bytes]:
    """Primes and reads ``result`` in one event loop, as a server would."""

    async def go() -> tuple[FileResult, bytes]:
        primed = await prime(result)
        assert isinstance(primed.chunks, AsyncIterator)
        return primed, b"".join([c async for c in primed.chunks])

    return asyncio.run(go())


@pytest.mark.parametrize("make", [sync_chunks, async_chunks])
def test_prime_keeps_every_chunk_and_surfaces_early_errors(make: object) -> None:
    primed, content = primed_bytes(FileResult("text/csv", make(False), {"X-A": "1"}))  # type: ignore[operator]
    assert primed.content_type == "text/csv" and primed.headers == {"X-A": "1"}
    assert content == b"a,b\n1,2\n"
    with pytest.raises(APIException):
        asyncio.run(prime(FileResult("text/csv", make(True))))  # type: ignore[operator]


def test_files_known_in_full_are_left_as_they_are() -> None:
    for chunks in ([], [b"x"]):
        result = FileResult("text/csv", chunks)
        assert asyncio.run(prime(result)) is result  # answered with a Content-Length


def test_die_error_headers() -> None:
    die = DieError(errors.REPORT_NOT_FOUND(7))
    assert die.headers == {
        "X-Kaltura": "error- REPORT_NOT_FOUND",
        "X-Kaltura-App": 'exiting on error REPORT_NOT_FOUND - Report id "7" not found',
    }
