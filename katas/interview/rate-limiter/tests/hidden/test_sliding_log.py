"""Sliding log: at most `limit` admitted requests per key in any interval of length
`window`; a request admitted at s counts in [s, s + window)."""

import pytest
from _support import CONFIGS, answers, check_history
from rate_limiter import RateLimiter

from harness.testing import learner_clock

pytestmark = pytest.mark.sliding_log


def test_at_most_limit_in_any_window():
    clock = learner_clock(1000.0)
    limiter = RateLimiter(3, 2.0, "sliding_log", clock)
    got = [answers(limiter, clock, t, "allow", "k")[0]
           for t in (1000.25, 1001.0, 1001.75, 1002.0, 1002.125)]
    assert got == [True, True, True, False, False], (
        f"RateLimiter(3, 2.0, 'sliding_log'): allow('k') at t=1000.25, 1001.0, 1001.75, "
        f"1002.0, 1002.125 returned {got}; expected [True, True, True, False, False]: the "
        "last two would make 4 requests within 2.0 s (a fixed window would have started "
        "over at 1002.0)")


def test_a_request_stops_counting_exactly_one_window_later():
    clock = learner_clock(1000.0)
    limiter = RateLimiter(2, 2.0, "sliding_log", clock)
    answers(limiter, clock, 1000.25, "allow", "k")
    answers(limiter, clock, 1001.0, "allow", "k")
    before = answers(limiter, clock, 1002.1875, "allow", "k")
    at = answers(limiter, clock, 1002.25, "allow", "k", 2)
    assert before + at == [False, True, False], (
        f"RateLimiter(2, 2.0, 'sliding_log'), requests admitted at t=1000.25 and 1001.0: "
        f"allow('k') at t=1002.1875 returned {before[0]}, then twice at t=1002.25 {at}; "
        "expected False, then [True, False]: a request admitted at s counts in [s, s + 2.0) "
        "and no longer from s + 2.0 on")


def test_refused_requests_are_not_logged():
    clock = learner_clock(1000.0)
    limiter = RateLimiter(1, 0.5, "sliding_log", clock)
    answers(limiter, clock, 1000.0, "allow", "k")
    refused = answers(limiter, clock, 1000.375, "allow", "k", 4)
    got = answers(limiter, clock, 1000.5, "allow", "k")
    assert refused == [False] * 4 and got == [True], (
        f"RateLimiter(1, 0.5, 'sliding_log'): admitted at t=1000.0, 4 refused at "
        f"t=1000.375, then allow('k') at t=1000.5 returned {got[0]}; expected True: only "
        "admitted requests count, a refusal takes nothing")


def test_retry_after_is_when_the_oldest_request_leaves():
    clock = learner_clock(1000.0)
    limiter = RateLimiter(2, 2.0, "sliding_log", clock)
    fresh = answers(limiter, clock, 1000.25, "retry_after", "k")[0]
    answers(limiter, clock, 1000.25, "allow", "k")
    one = answers(limiter, clock, 1001.0, "retry_after", "k")[0]
    answers(limiter, clock, 1001.0, "allow", "k")
    full = answers(limiter, clock, 1001.5, "retry_after", "k")[0]
    answers(limiter, clock, 1002.25, "allow", "k")
    again = answers(limiter, clock, 1002.5, "retry_after", "k")[0]
    assert (fresh, one, full, again) == (0, 0, pytest.approx(0.75), pytest.approx(0.5)), (
        f"RateLimiter(2, 2.0, 'sliding_log'): retry_after('k') returned {fresh!r} before "
        f"any request, {one!r} with one admitted at t=1000.25, {full!r} at t=1001.5 with a "
        f"second admitted at t=1001.0, and {again!r} at t=1002.5 after a third at t=1002.25; "
        "expected 0, 0, 0.75 (the one of 1000.25 leaves at 1002.25) and 0.5 (the one of "
        "1001.0 leaves at 1003.0)")


@pytest.mark.parametrize("seed", range(1, 9))
def test_matches_the_model_over_generated_requests(seed):
    check_history("sliding_log", seed, CONFIGS[seed % len(CONFIGS)])
