"""Retry with capped exponential backoff and full jitter.

Fill in both functions; the docstrings are the contract. Time and randomness are
injected (`sleep`, `rng`) so the tests can check every delay without waiting.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def retry(func: Callable[[], T], *, attempts: int = 5, base_delay: float = 0.1,
          max_delay: float = 5.0, retry_on: tuple[type[BaseException], ...] = (Exception,),
          sleep: Callable[[float], None] = time.sleep,
          rng: Callable[[], float] = random.random) -> T:
    """Calls func up to `attempts` times and returns its first result.

    - Before retry number k (k = 0 for the first retry) it sleeps
      rng() * min(max_delay, base_delay * 2**k): "full jitter". It never sleeps after
      the last attempt.
    - An exception that is not an instance of `retry_on` propagates at once.
    - After the last attempt, the last exception propagates unchanged: the same object,
      with its traceback.
    - attempts < 1, or a negative delay, raises ValueError.
    """
    # TODO: loop, call, catch what retry_on names, sleep with jitter, re-raise the last
    raise NotImplementedError


def retrying(**options) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """The decorator form of retry, with the same options.

        @retrying(attempts=3)
        def fetch(url): ...

    Bad options raise ValueError when the decorator is applied, not when the function is
    called. The decorated function keeps its __name__ and __doc__.
    """
    # TODO: validate, then wrap (functools.wraps)
    raise NotImplementedError
