"""A correct alternative: a Retrier policy object driven by a schedule of backoff windows.

The options are checked once, when the policy is built. A generator yields the
capped exponential window before each retry (doubling until it reaches the cap, so
it never overflows however many attempts are allowed); the attempt loop walks that
schedule and ends with a sentinel that means "this was the last attempt". The
decorator is a closure over one Retrier built when it is applied.
"""

import functools
import random
import time

_LAST = object()  # the schedule's end: no retry follows this attempt


class Retrier:
    """One retry policy: how often, how long to wait, and what is worth retrying."""

    def __init__(self, attempts=5, base_delay=0.1, max_delay=5.0, retry_on=(Exception,),
                 sleep=time.sleep, rng=random.random):
        if not attempts >= 1:
            raise ValueError("attempts must be at least 1")
        if not (base_delay >= 0 and max_delay >= 0):
            raise ValueError("delays must not be negative")
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.retry_on = retry_on
        self.sleep = sleep
        self.rng = rng

    def windows(self):
        """The backoff window before each retry: min(max_delay, base_delay * 2**k)."""
        window = self.base_delay
        for _ in range(self.attempts - 1):
            yield min(self.max_delay, window)
            if window < self.max_delay:
                window = window * 2  # exact in binary floating point

    def schedule(self):
        yield from self.windows()
        yield _LAST

    def call(self, func):
        for window in self.schedule():
            try:
                return func()
            except self.retry_on:
                if window is _LAST:
                    raise  # the very exception func raised last, traceback intact
            self.sleep(self.rng() * window)  # full jitter
        raise AssertionError("unreachable")  # pragma: no cover

    def wrap(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            return self.call(lambda: func(*args, **kwargs))

        return wrapper


def retry(func, *, attempts=5, base_delay=0.1, max_delay=5.0, retry_on=(Exception,),
          sleep=time.sleep, rng=random.random):
    return Retrier(attempts, base_delay, max_delay, retry_on, sleep, rng).call(func)


def retrying(**options):
    policy = Retrier(**options)  # bad options fail here, when the decorator is applied
    return policy.wrap
