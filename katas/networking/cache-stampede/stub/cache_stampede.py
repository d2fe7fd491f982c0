"""A TTL cache that protects its backend from a stampede: one load per key at a time.

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class TTLCache:
    """Values loaded on demand and served for `ttl` seconds, safe to share between threads.

    - A value loaded at time t (by `clock`) is served until t + ttl, exclusive: at
      t + ttl and later it has expired and the next call loads it again.
    - Single flight: when many threads ask for the same missing or expired key at once,
      `loader` runs exactly once and every one of them gets the value it returned
      (never an older one). Loads of *different* keys run in parallel: a slow load of
      one key never blocks a call for another key.
    - A loader that raises: every caller waiting for that load gets the same exception;
      nothing is cached, and the next call for the key loads again.

    Left to you: whether t is read before or after the loader runs (the tests never move
    the clock during a load), which thread runs the loader, and what happens to a value
    whose load was in flight when `invalidate` was called for its key (its callers still
    get it; whether it is then cached is up to you).
    """

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        """`ttl`: seconds a loaded value is served; `clock`: a zero-argument callable
        returning seconds (the tests pass a fake one)."""
        # TODO: keep the values with the time they expire, and the loads in flight.
        raise NotImplementedError

    def get_or_load(self, key: Any, loader: Callable[[], Any]) -> Any:
        """The value cached for `key` if it has not expired; otherwise the value
        `loader()` returns (called with no arguments), cached from now on. If a load of
        `key` is already in flight, wait for it and return its value (or raise its
        exception) instead of calling `loader`. Any value counts, None included."""
        # TODO
        raise NotImplementedError

    def invalidate(self, key: Any) -> None:
        """Forgets the value cached for `key`: the next `get_or_load(key, ...)` loads it
        again. A key that is not cached: nothing to do."""
        # TODO
        raise NotImplementedError
