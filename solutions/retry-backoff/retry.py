"""Retry with capped exponential backoff and full jitter.

Full jitter (sleep a random share of the capped exponential delay) spreads the
retries of many clients that failed together, so they do not all come back at the
same instant and knock the recovering service over again.
"""

from __future__ import annotations

import functools
import math
import random
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def _validate(attempts: int, base_delay: float, max_delay: float) -> None:
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, not {attempts}")
    if base_delay < 0 or max_delay < 0:
        raise ValueError("delays must not be negative")


def _window(base_delay: float, max_delay: float, retry: int) -> float:
    """min(max_delay, base_delay * 2**retry), for any number of retries: past about 1024
    retries 2**retry no longer fits in a float, and a delay that large is over the cap."""
    try:
        return min(max_delay, math.ldexp(base_delay, retry))  # base_delay * 2**retry, exactly
    except OverflowError:  # pragma: no cover -- past 1,024 retries: the suite leaves it open
        return max_delay


def retry(func: Callable[[], T], *, attempts: int = 5, base_delay: float = 0.1,
          max_delay: float = 5.0, retry_on: tuple[type[BaseException], ...] = (Exception,),
          sleep: Callable[[float], None] = time.sleep,
          rng: Callable[[], float] = random.random) -> T:
    """Calls func until it returns, at most `attempts` times, sleeping between attempts."""
    _validate(attempts, base_delay, max_delay)
    for attempt in range(attempts):
        try:
            return func()
        except retry_on:
            if attempt == attempts - 1:
                raise  # the last exception, unchanged: same object, traceback intact
        # Before retry number `attempt` (0 for the first retry): a random share of the
        # exponential delay, capped so a long outage does not mean hour-long sleeps.
        sleep(rng() * _window(base_delay, max_delay, attempt))
    raise AssertionError("unreachable")  # pragma: no cover -- the loop returns or raises


def retrying(**options) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """The decorator form of retry, with the same options; bad options fail when applied."""
    _validate(options.get("attempts", 5), options.get("base_delay", 0.1),
              options.get("max_delay", 5.0))

    def decorate(func: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(func)
        def wrapper(*args, **kwargs) -> T:
            return retry(lambda: func(*args, **kwargs), **options)

        return wrapper

    return decorate
