"""Examples of what the hidden tests check. Run them with `pytest`."""

import pytest
from rate_limiter import RateLimiter

from harness.testing import FakeClock


@pytest.mark.token_bucket
def test_a_bucket_starts_full_and_refills_continuously():
    clock = FakeClock(1000.0)
    limiter = RateLimiter(4, 2.0, "token_bucket", clock)  # 2 tokens per second
    assert [limiter.allow("alice") for _ in range(5)] == [True] * 4 + [False]
    assert limiter.retry_after("alice") == pytest.approx(0.5)
    clock.advance(0.5)
    assert limiter.retry_after("alice") == 0
    assert [limiter.allow("alice"), limiter.allow("alice")] == [True, False]


@pytest.mark.token_bucket
def test_unknown_algorithm_raises_value_error():
    with pytest.raises(ValueError):
        RateLimiter(4, 2.0, "leaky_bucket", FakeClock())


@pytest.mark.token_bucket
def test_keys_are_independent():
    limiter = RateLimiter(1, 1.0, "token_bucket", FakeClock())
    assert limiter.allow("alice") and not limiter.allow("alice")
    assert limiter.allow("bob")


@pytest.mark.fixed_window
def test_fixed_windows_are_aligned_to_the_clock():
    clock = FakeClock(1001.5)
    limiter = RateLimiter(2, 2.5, "fixed_window", clock)  # windows [1000, 1002.5), ...
    assert [limiter.allow("k") for _ in range(3)] == [True, True, False]
    assert limiter.retry_after("k") == pytest.approx(1.0)
    clock.advance(1.0)  # 1002.5: a new window
    assert limiter.allow("k")


@pytest.mark.sliding_log
def test_a_sliding_log_counts_the_last_window_seconds():
    clock = FakeClock(1000.0)
    limiter = RateLimiter(2, 2.0, "sliding_log", clock)
    assert limiter.allow("k")
    clock.advance(1.5)
    assert limiter.allow("k") and not limiter.allow("k")
    assert limiter.retry_after("k") == pytest.approx(0.5)  # the first leaves at 1002.0
    clock.advance(0.5)
    assert limiter.allow("k") and not limiter.allow("k")
