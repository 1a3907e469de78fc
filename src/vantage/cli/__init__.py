"""The ``vantage`` command: serve, demo, import, export, partner create, store copy; one
module per command, on the group of ``group.py``."""

from __future__ import annotations

from vantage.cli.demo import demo
from vantage.cli.export import export
from vantage.cli.group import DEMO_PARTNER_KEY, main
from vantage.cli.imports import import_
from vantage.cli.partners import partner
from vantage.cli.serve import serve
from vantage.cli.store_copy import store_group

for command in (serve, demo, import_, export, partner, store_group):
    main.add_command(command)

__all__ = ["DEMO_PARTNER_KEY", "main"]
