"""Errors the server logs (an unexpected exception comes with one), gathered for assertions."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class Faults(logging.Handler):
    """Every record at ERROR or above logged under ``vantage`` while :func:`watching`."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def assert_none(self) -> None:
        assert not self.records, self.records[0].getMessage()


@contextmanager
def watching() -> Iterator[Faults]:
    faults = Faults()
    logger = logging.getLogger("vantage")
    logger.addHandler(faults)
    try:
        yield faults
    finally:
        logger.removeHandler(faults)
