"""Another design: a state object per key (`__slots__`), keys in an OrderedDict kept in
the order they were last used, so the idle ones are found at its front; the sliding log
is a ring of the last `limit` admitted times (a deque with maxlen)."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class _Bucket:
    __slots__ = ("tokens", "at")

    def __init__(self, limit: int, now: float) -> None:
        self.tokens, self.at = float(limit), now


class _Window:
    __slots__ = ("index", "count")

    def __init__(self, index: int) -> None:
        self.index, self.count = index, 0


class RateLimiter:
    """Admits at most `limit` requests per `window` seconds for each key."""

    def __init__(self, limit: int, window: float, algorithm: str = "token_bucket",
                 clock: Callable[[], float] = time.monotonic) -> None:
        deciders = {"token_bucket": self._bucket, "fixed_window": self._fixed,
                    "sliding_log": self._ring}
        if algorithm not in deciders:
            raise ValueError(f"unknown algorithm {algorithm!r}")
        self._decide = deciders[algorithm]
        self._limit, self._window, self._clock = limit, window, clock
        self._rate = limit / window
        self._algorithm = algorithm
        self._keys: OrderedDict[str, object] = OrderedDict()  # least recently used first
        self._used: dict[str, float] = {}  # when each key was last used
        self._lock = threading.RLock()

    # Each decider returns (admitted, wait) for the key's state at `now`, updating the
    # state when `take` and the request is admitted.

    def _bucket(self, state: _Bucket, now: float, take: bool) -> tuple[bool, float]:
        tokens = min(self._limit, state.tokens + (now - state.at) * self._rate)
        if tokens < 1:
            return False, (1 - tokens) / self._rate
        if take:
            state.tokens, state.at = tokens - 1, now
        return True, 0.0

    def _fixed(self, state: _Window, now: float, take: bool) -> tuple[bool, float]:
        index = math.floor(now / self._window)
        if state.index != index:
            if not take:
                return True, 0.0
            state.index, state.count = index, 0
        if state.count >= self._limit:
            return False, (index + 1) * self._window - now
        if take:
            state.count += 1
        return True, 0.0

    def _ring(self, ring: deque, now: float, take: bool) -> tuple[bool, float]:
        # the ring holds the last `limit` admitted times: the oldest of them decides
        if len(ring) == self._limit and ring[0] + self._window > now:
            return False, ring[0] + self._window - now
        if take:
            ring.append(now)  # maxlen: the oldest falls out by itself
        return True, 0.0

    def _new(self, now: float) -> object:
        if self._algorithm == "token_bucket":
            return _Bucket(self._limit, now)
        if self._algorithm == "fixed_window":
            return _Window(math.floor(now / self._window))
        return deque(maxlen=self._limit)

    def _forget_idle(self, now: float) -> None:
        # every key used a whole window ago is as new (full bucket, past window, log
        # expired); the keys at the front were used longest ago
        while self._keys:
            key = next(iter(self._keys))
            if self._used[key] + self._window > now:
                break
            del self._keys[key], self._used[key]

    def allow(self, key: str) -> bool:
        with self._lock:
            now = self._clock()
            self._forget_idle(now)
            state = self._keys.get(key)
            if state is None:
                state = self._keys[key] = self._new(now)
            admitted, _ = self._decide(state, now, True)
            if admitted:
                self._keys.move_to_end(key)
                self._used[key] = now
            return admitted

    def retry_after(self, key: str) -> float:
        with self._lock:
            now = self._clock()
            state = self._keys.get(key)
            return 0.0 if state is None else self._decide(state, now, False)[1]
