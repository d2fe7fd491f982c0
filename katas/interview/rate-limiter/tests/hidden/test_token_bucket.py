"""Token bucket: a bucket of `limit` tokens per key that starts full and refills at
`limit / window` per second; unknown algorithms are refused when the limiter is made."""

import pytest
from _support import CONFIGS, START, answers, check_history
from rate_limiter import RateLimiter

from harness.testing import learner_clock

pytestmark = pytest.mark.token_bucket


@pytest.mark.parametrize("name", ["leaky_bucket", "Token_Bucket", ""])
def test_unknown_algorithm_raises_value_error(name):
    with pytest.raises(ValueError):
        RateLimiter(5, 1.0, name, learner_clock())
        pytest.fail(f"RateLimiter(5, 1.0, {name!r}) returned; expected ValueError: the "
                    "algorithms are token_bucket, fixed_window and sliding_log")


def test_bucket_starts_full():
    clock = learner_clock(START)
    limiter = RateLimiter(5, 2.5, "token_bucket", clock)
    got = answers(limiter, clock, START, "allow", "k", 6)
    assert got == [True] * 5 + [False], (
        f"RateLimiter(5, 2.5, 'token_bucket'): 6 calls of allow('k') at one instant "
        f"returned {got}; expected 5 True (the bucket starts full) then False")


def test_default_algorithm_is_token_bucket():
    clock = learner_clock(START)
    limiter = RateLimiter(3, 3.0, clock=clock)  # refills one token per second
    burst = answers(limiter, clock, START, "allow", "k", 4)
    later = answers(limiter, clock, START + 1.0, "allow", "k", 2)
    assert burst + later == [True, True, True, False, True, False], (
        f"RateLimiter(3, 3.0) (no algorithm given): 4 calls of allow('k') at t={START}, "
        f"then 2 at t={START + 1.0} returned {burst} and {later}; expected [True, True, "
        "True, False] and [True, False]: the default is a token bucket, refilled at 3 / 3.0 "
        "= 1 token per second")


def test_one_token_comes_back_after_window_over_limit():
    clock = learner_clock(START)
    limiter = RateLimiter(4, 2.0, "token_bucket", clock)  # one token per 0.5 s
    answers(limiter, clock, START, "allow", "k", 4)
    early = answers(limiter, clock, START + 0.4375, "allow", "k")
    on_time = answers(limiter, clock, START + 0.5, "allow", "k", 2)
    assert early + on_time == [False, True, False], (
        f"RateLimiter(4, 2.0, 'token_bucket') emptied at t={START}: allow('k') at "
        f"t={START + 0.4375} returned {early[0]}, then twice at t={START + 0.5} {on_time}; "
        "expected False (not a whole token yet), then [True, False]: the bucket refills at "
        "4 / 2.0 = 2 tokens per second, continuously")


def test_refill_stops_at_the_capacity():
    clock = learner_clock(START)
    limiter = RateLimiter(4, 2.0, "token_bucket", clock)
    answers(limiter, clock, START, "allow", "k", 4)
    got = answers(limiter, clock, START + 20.0, "allow", "k", 5)
    assert got == [True] * 4 + [False], (
        f"RateLimiter(4, 2.0, 'token_bucket') emptied at t={START}, then 20 s of rest: 5 "
        f"calls of allow('k') returned {got}; expected 4 True then False: a bucket never "
        "holds more than `limit` tokens, however long it rests")


def test_refused_requests_take_no_token():
    clock = learner_clock(START)
    limiter = RateLimiter(2, 1.0, "token_bucket", clock)  # one token per 0.5 s
    answers(limiter, clock, START, "allow", "k", 2)
    refused = answers(limiter, clock, START + 0.25, "allow", "k", 10)
    got = answers(limiter, clock, START + 0.5, "allow", "k")
    assert refused == [False] * 10 and got == [True], (
        f"RateLimiter(2, 1.0, 'token_bucket') emptied at t={START}, 10 refused calls at "
        f"t={START + 0.25} ({refused}), then allow('k') at t={START + 0.5} returned "
        f"{got[0]}; expected True: a refused request takes nothing")


def test_retry_after_is_the_exact_wait_for_a_token():
    clock = learner_clock(START)
    limiter = RateLimiter(4, 2.0, "token_bucket", clock)  # one token per 0.5 s
    fresh = answers(limiter, clock, START, "retry_after", "k")[0]
    answers(limiter, clock, START, "allow", "k", 4)
    empty = answers(limiter, clock, START, "retry_after", "k")[0]
    partway = answers(limiter, clock, START + 0.125, "retry_after", "k")[0]
    assert (fresh, empty, partway) == (0, pytest.approx(0.5), pytest.approx(0.375)), (
        f"RateLimiter(4, 2.0, 'token_bucket'): retry_after('k') returned {fresh!r} before "
        f"any request, {empty!r} right after 4 requests emptied the bucket, {partway!r} "
        "0.125 s later; expected 0, 0.5 and 0.375: a token comes back every 2.0 / 4 = 0.5 s")


def test_retry_after_does_not_take_a_token():
    clock = learner_clock(START)
    limiter = RateLimiter(2, 1.0, "token_bucket", clock)
    waits = answers(limiter, clock, START, "retry_after", "k", 5)
    got = answers(limiter, clock, START, "allow", "k", 3)
    assert waits == [0] * 5 and got == [True, True, False], (
        f"RateLimiter(2, 1.0, 'token_bucket'): 5 calls of retry_after('k') returned "
        f"{waits}, then 3 calls of allow('k') {got}; expected five 0 and [True, True, "
        "False]: retry_after only asks, it changes nothing")


@pytest.mark.parametrize("seed", range(1, 9))
def test_matches_the_model_over_generated_requests(seed):
    check_history("token_bucket", seed, CONFIGS[seed % len(CONFIGS)])
