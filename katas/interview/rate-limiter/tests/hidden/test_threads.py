"""Many threads at once, with thread switches forced inside your code (seeded, so a
failure names the seed that replays it): no request admitted beyond the limit."""

import pytest
import rate_limiter as learner
from _support import ALGORITHMS, START
from rate_limiter import RateLimiter

from harness.testing import call_each, learner_clock, race_seeds, run_threads

pytestmark = pytest.mark.threads

THREADS = 8
EACH = 2
LIMIT = 8  # half of THREADS * EACH; the window, 2.0, makes window / LIMIT exact


@pytest.mark.parametrize("seed", race_seeds(2))
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_concurrent_requests_on_one_key_admit_exactly_limit(algorithm, seed):
    clock = learner_clock(START)  # the clock stands still: exactly LIMIT may pass
    limiter = RateLimiter(LIMIT, 2.0, algorithm, clock)

    def caller():
        return [limiter.allow("shared") for _ in range(EACH)]

    got = [a for answers in run_threads(caller, threads=THREADS, switching=[learner],
                                        seed=seed) for a in answers]
    admitted = sum(1 for a in got if a)
    assert admitted == LIMIT, (
        f"RateLimiter({LIMIT}, 2.0, {algorithm!r}), the clock standing still: {THREADS} "
        f"threads x {EACH} calls of allow('shared') at once, switches forced in your code "
        f"(seed={seed}), admitted {admitted}; expected exactly {LIMIT}. Check and count in "
        "one step under a lock, and make a new key's state under it too (two threads that "
        "both find the key missing each start a fresh bucket, window or log)")


@pytest.mark.parametrize("seed", race_seeds(2))
def test_new_keys_arriving_while_idle_ones_are_forgotten(seed):
    clock = learner_clock(START)
    limiter = RateLimiter(2, 1.0, "sliding_log", clock)
    call_each(limiter, "allow", [(f"old-{i}",) for i in range(300)])
    clock.set(START + 5.0)  # every old key is idle: whatever forgets them may run now

    def caller(index):
        return [limiter.allow(f"new-{index}-{n}") for n in range(12)]

    got = run_threads(caller, threads=THREADS, args=lambda i: (i,), switching=[learner],
                      seed=seed)
    refused = sum(1 for answers in got for a in answers if not a)
    assert refused == 0, (
        f"RateLimiter(2, 1.0, 'sliding_log') with 300 idle keys: {THREADS} threads each "
        f"calling allow() on 12 new keys at once (seed={seed}) got {refused} refusals; "
        "expected none: the first request of a new key is admitted")
