import pytest

# Its comparisons fail with both sides shown, as a test module's do.
pytest.register_assert_rewrite("tests.ingest.both")
