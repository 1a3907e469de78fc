"""File answers (CSV exports and the like): streamed bytes, and Kaltura's bodiless error answer.

A file action returns a :class:`FileResult` whose ``chunks`` may be a lazy (async) iterator;
:func:`prime` runs it up to its first chunk before any byte is sent, so an API error raised while
the file is being prepared can still become a :class:`DieError` instead of a broken download.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import anyio.to_thread
from starlette.concurrency import iterate_in_threadpool

from vantage.kaltura.errors import APIException


@dataclass(frozen=True)
class FileResult:
    content_type: str
    chunks: Iterable[bytes] | AsyncIterable[bytes]
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DieError:
    """Kaltura's answer to an API error inside a file action (and to an unknown format): an empty
    body; the error travels in the ``X-Kaltura`` and ``X-Kaltura-App`` headers."""

    error: APIException

    @property
    def headers(self) -> dict[str, str]:
        """The message may echo request text: non-ASCII is sent as ``?``, since header bytes
        beyond ASCII have no agreed encoding."""
        code, message = self.error.code, self.error.message
        app = f"exiting on error {code} - {message}".encode("ascii", "replace").decode()
        return {"X-Kaltura": f"error- {code}", "X-Kaltura-App": app}


_END = object()


async def prime(result: FileResult) -> FileResult:
    """The same file with its first chunk already produced (errors raised up to there surface
    here); its chunks are then an async iterator. A file already known in full (a list of
    chunks) is returned as it is."""
    if isinstance(result.chunks, list | tuple):
        return result
    if isinstance(result.chunks, AsyncIterable):
        rest: AsyncIterator[bytes] = aiter(result.chunks)
        first: object = await anext(rest, _END)
    else:
        sync: Iterator[bytes] = iter(result.chunks)
        first = await anyio.to_thread.run_sync(next, sync, _END)
        rest = iterate_in_threadpool(sync)
    return FileResult(result.content_type, _prepend(first, rest), result.headers)


async def _prepend(first: object, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if first is _END:
        return
    assert isinstance(first, bytes)
    yield first
    async for chunk in rest:
        yield chunk
