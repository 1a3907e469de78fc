"""The cluster's statements as one server without Keeper runs them, for tests: chDB has no
Keeper (replicated tables stay read-only) and runs no ON CLUSTER statement."""

from __future__ import annotations

import re

KEEPER_PATH = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'"


def unreplicated(text: str) -> str:
    """``text`` with each replicated engine and its settings as the single server's."""
    text = re.sub(
        rf"ENGINE = Replicated(\w+)\({re.escape(KEEPER_PATH)}(?:, )?", r"ENGINE = \1(", text
    )
    text = re.sub(r"ENGINE = (\w+)\(\)", r"ENGINE = \1", text)
    return text.replace(" replicated_deduplication_window", " non_replicated_deduplication_window")


def on_one_server(statement: str) -> str:
    """A rendered cluster ``statement`` as one server runs it alone."""
    return unreplicated(re.sub(r" ON CLUSTER `[^`]+`", "", statement))
