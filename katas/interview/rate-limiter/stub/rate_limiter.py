"""A rate limiter per key: at most `limit` requests per `window` seconds, by one of three
algorithms. Fill in every method marked TODO; the docstrings are the contract."""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimiter:
    """Admits or refuses the requests of each key (a user, an IP address, an API token).

    Three algorithms, chosen by name:

    - "token_bucket": each key has a bucket of capacity `limit` that STARTS FULL and is
      refilled continuously at `limit / window` tokens per second (never above `limit`);
      a request is admitted when the bucket holds at least one token, and takes one.
    - "fixed_window": at most `limit` admitted requests per aligned window: window k is
      [k * window, (k + 1) * window) of clock time (the windows are the same for every
      key, whenever its first request came).
    - "sliding_log": at most `limit` admitted requests in any interval of length `window`:
      a request admitted at time s counts for [s, s + window), and no longer from exactly
      s + window on.

    Rules for all three:

    - A refused request takes nothing: it is not counted and changes no state.
    - A request is admitted whenever admitting it keeps the rule (a limiter admits as much
      as its algorithm allows, not less).
    - Keys are independent: one key's requests never change another key's answers.
    - `retry_after(key)` changes nothing either; it is 0 when a request of `key` would be
      admitted now, else the exact wait: at `now + retry_after(key)` (no request in
      between) the request is admitted, at any earlier instant it is not.
    - Memory: a key idle for longer than `window` is the same as a key never seen, and its
      memory must be reclaimed by later calls (of any key): after 100,000 one-off keys,
      the window passing, and 100,000 other one-off keys, your process must keep alive
      less than 1.5 times what the first 100,000 cost (the tests count your process's
      live memory blocks, never your attributes).
    - Thread-safe: concurrent calls, on one key or on many, admit exactly what the rules
      admit one call at a time.
    - The time is `clock()`, read as often as you like.
    """

    def __init__(self, limit: int, window: float, algorithm: str = "token_bucket",
                 clock: Callable[[], float] = time.monotonic) -> None:
        """`limit` (an int >= 1) requests per `window` seconds (> 0) per key; `algorithm`
        is "token_bucket", "fixed_window" or "sliding_log", anything else raises
        ValueError here, in the constructor. (Other limits and windows: free.)"""
        # TODO: check the algorithm, keep the settings, a place for each key's state, a lock
        raise NotImplementedError

    def allow(self, key: str) -> bool:
        """True if a request of `key` is admitted now (and counts it), False if refused."""
        # TODO: under the lock, read the clock, find or make the key's state, decide
        raise NotImplementedError

    def retry_after(self, key: str) -> float:
        """Seconds until a request of `key` would be admitted: 0 if it would be now."""
        # TODO: the same decision as allow, without changing anything: when would it pass?
        raise NotImplementedError
