"""Wrong secrets counted per partner and client address, in one-minute windows."""

from __future__ import annotations

from vantage.access.failures import FailureCounter


def test_failed_secrets_block_a_key_for_the_rest_of_its_minute() -> None:
    counter, key = FailureCounter(), (101, "10.0.0.1")
    for _ in range(3):
        assert not counter.blocked(key, 1000, limit=3)
        counter.fail(key, 1000)
    assert counter.blocked(key, 1059, limit=3) and not counter.blocked((101, "10.0.0.2"), 1059, 3)
    assert not counter.blocked(key, 1060, limit=3) and not counter.blocked(key, 1000, limit=0)
