"""Fixed window: at most `limit` admitted requests per key in each aligned window
[k * window, (k + 1) * window) of clock time."""

import pytest
from _support import CONFIGS, answers, check_history
from rate_limiter import RateLimiter

from harness.testing import learner_clock

pytestmark = pytest.mark.fixed_window


def test_at_most_limit_in_one_window():
    clock = learner_clock(1000.0)
    limiter = RateLimiter(3, 2.5, "fixed_window", clock)  # windows [1000, 1002.5), ...
    first = answers(limiter, clock, 1000.25, "allow", "k", 2)
    second = answers(limiter, clock, 1002.0, "allow", "k", 2)
    assert first + second == [True, True, True, False], (
        f"RateLimiter(3, 2.5, 'fixed_window'): 2 calls of allow('k') at t=1000.25 returned "
        f"{first}, then 2 at t=1002.0 {second}; expected [True, True] and [True, False]: "
        "both instants are in the window [1000.0, 1002.5), which admits 3")


def test_windows_are_aligned_to_the_clock_not_to_the_first_request():
    clock = learner_clock(1000.0)
    limiter = RateLimiter(2, 2.5, "fixed_window", clock)
    full = answers(limiter, clock, 1001.5, "allow", "k", 3)
    next_window = answers(limiter, clock, 1002.5, "allow", "k", 3)
    assert full == [True, True, False] and next_window == [True, True, False], (
        f"RateLimiter(2, 2.5, 'fixed_window'): 3 calls of allow('k') at t=1001.5 returned "
        f"{full}, then 3 at t=1002.5 {next_window}; expected [True, True, False] twice: "
        "window k is [k * 2.5, (k + 1) * 2.5) of clock time, so a new window began at "
        "1002.5 (= 401 * 2.5), not 2.5 s after the key's first request")


def test_the_count_starts_over_in_every_window():
    clock = learner_clock(1000.0)
    limiter = RateLimiter(1, 0.5, "fixed_window", clock)
    got = [answers(limiter, clock, t, "allow", "k", 2) for t in (1000.0, 1000.5, 1003.0)]
    assert got == [[True, False]] * 3, (
        f"RateLimiter(1, 0.5, 'fixed_window'): 2 calls of allow('k') at t=1000.0, 1000.5 "
        f"and 1003.0 returned {got}; expected [True, False] each time: each is a new window")


def test_retry_after_is_the_wait_for_the_next_window():
    clock = learner_clock(1000.0)
    limiter = RateLimiter(2, 2.5, "fixed_window", clock)
    fresh = answers(limiter, clock, 1001.0, "retry_after", "k")[0]
    answers(limiter, clock, 1001.0, "allow", "k", 2)
    full = answers(limiter, clock, 1001.0, "retry_after", "k")[0]
    later = answers(limiter, clock, 1002.25, "retry_after", "k")[0]
    new = answers(limiter, clock, 1002.5, "retry_after", "k")[0]
    assert (fresh, full, later, new) == (0, pytest.approx(1.5), pytest.approx(0.25), 0), (
        f"RateLimiter(2, 2.5, 'fixed_window'): retry_after('k') at t=1001.0 returned "
        f"{fresh!r} before any request and {full!r} after 2 filled the window "
        f"[1000.0, 1002.5), then {later!r} at t=1002.25 and {new!r} at t=1002.5; expected "
        "0, 1.5, 0.25 and 0: the wait runs to the start of the next window")


def test_refused_requests_are_not_counted_in_the_next_window():
    clock = learner_clock(1000.0)
    limiter = RateLimiter(2, 0.75, "fixed_window", clock)
    answers(limiter, clock, 1000.25, "allow", "k", 6)  # window [999.75, 1000.5)
    got = answers(limiter, clock, 1000.5, "allow", "k", 3)
    assert got == [True, True, False], (
        f"RateLimiter(2, 0.75, 'fixed_window'): 6 calls of allow('k') at t=1000.25, then 3 "
        f"at t=1000.5 (a new window) returned {got}; expected [True, True, False]")


@pytest.mark.parametrize("seed", range(1, 9))
def test_matches_the_model_over_generated_requests(seed):
    check_history("fixed_window", seed, CONFIGS[seed % len(CONFIGS)])
