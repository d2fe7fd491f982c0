"""Memory: a key idle for longer than the window is the same as a key never seen, and its
memory is reclaimed. Counted in your process (its live memory blocks), not by reading
your fields."""

import pytest
from _support import ALGORITHMS, START
from rate_limiter import RateLimiter

from harness.testing import call_numbered, learner_blocks, learner_clock

pytestmark = pytest.mark.memory

KEYS = 100_000


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_one_off_keys_do_not_all_stay_stored_after_their_window(algorithm):
    clock = learner_clock(START)
    limiter = RateLimiter(2, 1.0, algorithm, clock)
    base = learner_blocks()
    first = call_numbered(limiter, "allow", "first-{}", KEYS)
    kept_first = learner_blocks() - base
    clock.set(START + 2.5)  # more than two windows: every first key is long idle
    second = call_numbered(limiter, "allow", "second-{}", KEYS)
    kept_both = learner_blocks() - base
    refused = KEYS * 2 - first[True] - second[True]
    assert refused == 0, (
        f"RateLimiter(2, 1.0, {algorithm!r}): the first allow() of a new key did not "
        f"return True {refused} times in {2 * KEYS:,}; a new key is admitted")
    assert kept_both < 1.5 * kept_first, (
        f"RateLimiter(2, 1.0, {algorithm!r}): {KEYS:,} one-off keys at t={START} left "
        f"{kept_first:,} memory blocks alive in your process ({kept_first / KEYS:.1f} per "
        f"key); 2.5 s later (past their window) {KEYS:,} other one-off keys, and then "
        f"{kept_both:,} blocks were alive: the first keys are all still stored (expected "
        f"fewer than {1.5 * kept_first:,.0f}). A key idle for longer than the window is the "
        "same as a new one: forget it (sweep the idle keys from time to time)")
