"""``python -m vantage.cli``: the ``vantage`` command."""

import sys

from vantage.cli import main

sys.exit(main())
