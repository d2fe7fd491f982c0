"""A rate limiter per key: token bucket, fixed window or sliding log, thread-safe, with the
memory of idle keys reclaimed by a lazy sweep."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable


class _TokenBucket:
    """State `[tokens, at]`: the tokens left at time `at`. Nothing refills in the
    background: the tokens a key earned since `at` are added when it is next looked at."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.rate = limit / window  # tokens per second

    def new(self, now: float) -> list:
        return [float(self.limit), now]  # a bucket starts full: a burst of `limit` at once

    def _tokens(self, state: list, now: float) -> float:
        # min(): a bucket never holds more than its capacity, however long it rested
        return min(self.limit, state[0] + (now - state[1]) * self.rate)

    def allow(self, state: list, now: float) -> bool:
        tokens = self._tokens(state, now)
        admitted = tokens >= 1
        state[0], state[1] = (tokens - 1 if admitted else tokens), now
        return admitted

    def wait(self, state: list, now: float) -> float:
        tokens = self._tokens(state, now)
        return 0.0 if tokens >= 1 else (1 - tokens) / self.rate

    def idle_from(self, state: list) -> float:
        """From this time on the bucket is full again: the same as a new one."""
        return state[1] + (self.limit - state[0]) / self.rate


class _FixedWindow:
    """State `[k, count]`: `count` requests admitted in window k, which is
    [k * window, (k + 1) * window) of clock time: aligned, whoever came first."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window

    def _index(self, now: float) -> int:
        return math.floor(now / self.window)

    def new(self, now: float) -> list:
        return [self._index(now), 0]

    def allow(self, state: list, now: float) -> bool:
        k = self._index(now)
        if k != state[0]:
            state[0], state[1] = k, 0  # a new window: the old count no longer matters
        if state[1] < self.limit:
            state[1] += 1
            return True
        return False

    def wait(self, state: list, now: float) -> float:
        k = self._index(now)
        if k != state[0] or state[1] < self.limit:
            return 0.0
        return (k + 1) * self.window - now  # the next window starts fresh

    def idle_from(self, state: list) -> float:
        return (state[0] + 1) * self.window


class _SlidingLog:
    """State: a deque of the times of the admitted requests still inside the window. A
    request admitted at s counts in [s, s + window) and no longer from s + window on."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window

    def new(self, now: float) -> deque:
        return deque()

    def _expire(self, log: deque, now: float) -> None:
        while log and log[0] + self.window <= now:
            log.popleft()

    def allow(self, log: deque, now: float) -> bool:
        self._expire(log, now)
        if len(log) < self.limit:
            log.append(now)  # only admitted requests are logged: a refusal takes nothing
            return True
        return False

    def wait(self, log: deque, now: float) -> float:
        self._expire(log, now)
        if len(log) < self.limit:
            return 0.0
        return log[-self.limit] + self.window - now  # when the oldest of the last `limit` leaves

    def idle_from(self, log: deque) -> float:
        return log[-1] + self.window if log else -math.inf


_ALGORITHMS = {"token_bucket": _TokenBucket, "fixed_window": _FixedWindow,
               "sliding_log": _SlidingLog}


class RateLimiter:
    """Admits at most `limit` requests per `window` seconds for each key."""

    def __init__(self, limit: int, window: float, algorithm: str = "token_bucket",
                 clock: Callable[[], float] = time.monotonic) -> None:
        if algorithm not in _ALGORITHMS:
            raise ValueError(f"unknown algorithm {algorithm!r}; choose one of "
                             f"{', '.join(_ALGORITHMS)}")
        if limit < 1 or window <= 0:  # pragma: no cover -- free in the contract
            raise ValueError(f"limit must be at least 1 and window positive, got "
                             f"{limit!r} and {window!r}")
        self._policy = _ALGORITHMS[algorithm](limit, window)
        self._window = window
        self._clock = clock
        self._states: dict = {}
        # One lock for every key: each call holds it for a few microseconds, so a lock per
        # key would buy little and make creating and sweeping keys harder to get right.
        self._lock = threading.Lock()
        self._next_sweep = -math.inf

    def allow(self, key: str) -> bool:
        """Whether a request of `key` is admitted now (and counted if it is)."""
        with self._lock:
            now = self._clock()  # read under the lock: one key's calls see time go forward
            self._sweep(now)
            state = self._states.get(key)
            if state is None:
                state = self._states[key] = self._policy.new(now)
            return self._policy.allow(state, now)

    def retry_after(self, key: str) -> float:
        """Seconds until a request of `key` would be admitted: 0.0 if it would be now."""
        with self._lock:
            now = self._clock()
            state = self._states.get(key)
            return 0.0 if state is None else self._policy.wait(state, now)

    def _sweep(self, now: float) -> None:
        """Forgets the keys whose state is the same as a new one's. At most once per
        window, so the cost, O(keys), is shared by the requests of a window: a key's state
        stops mattering at most a window after its last request."""
        if now < self._next_sweep:
            return
        self._next_sweep = now + self._window
        idle = [key for key, state in self._states.items()
                if self._policy.idle_from(state) <= now]
        for key in idle:
            del self._states[key]
