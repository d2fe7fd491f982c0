"""Another design: the token bucket as GCRA (one number per key), the sliding log as a
sorted list searched with bisect, one dict of counts per fixed window, and idle keys
forgotten through a heap of expiry times instead of a periodic sweep."""

from __future__ import annotations

import bisect
import heapq
import math
import threading
import time
from collections.abc import Callable


class _Gcra:
    """The generic cell rate algorithm (ATM networks, then Redis's redis-cell): per key one
    number, the theoretical arrival time `tat` of the next request if requests came at
    exactly the rate. A request at `now` passes when it is at most `window - interval`
    early: the same decisions as a bucket of `limit` tokens refilled at limit / window."""

    def __init__(self, limit: int, window: float) -> None:
        self.window = window
        self.interval = window / limit  # the time one token takes to come back
        self.tat: dict[str, float] = {}

    def allow(self, key: str, now: float) -> tuple[bool, float | None]:
        tat = max(self.tat.get(key, now), now)
        if tat + self.interval - self.window > now:
            return False, None
        self.tat[key] = tat + self.interval
        return True, tat + self.interval  # from then on the key is as new: forget it

    def wait(self, key: str, now: float) -> float:
        tat = max(self.tat.get(key, now), now)
        return max(0.0, tat + self.interval - self.window - now)

    def forget(self, key: str, now: float) -> None:
        if self.tat.get(key, math.inf) <= now:
            del self.tat[key]


class _Windows:
    """The fixed windows are aligned, the same for every key, so only the current one
    matters: one dict of counts for it, dropped whole when the next window begins."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self.current = -math.inf
        self.counts: dict[str, int] = {}

    def _roll(self, now: float) -> None:
        k = math.floor(now / self.window)
        if k != self.current:
            self.current, self.counts = k, {}

    def allow(self, key: str, now: float) -> tuple[bool, float | None]:
        self._roll(now)
        count = self.counts.get(key, 0)
        if count >= self.limit:
            return False, None
        self.counts[key] = count + 1
        return True, None  # the whole dict goes at the end of the window

    def wait(self, key: str, now: float) -> float:
        self._roll(now)
        if self.counts.get(key, 0) < self.limit:
            return 0.0
        return (self.current + 1) * self.window - now

    def forget(self, key: str, now: float) -> None:  # pragma: no cover -- never scheduled
        pass


class _SortedLog:
    """Per key a list of admitted times, ascending (the clock is read under the lock, so
    they come in order); `bisect` finds where the ones still counting begin."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self.logs: dict[str, list[float]] = {}

    def _live(self, key: str, now: float) -> list[float]:
        log = self.logs.get(key, [])
        gone = bisect.bisect_right(log, now - self.window)  # s <= now - window: left
        if gone:
            del log[:gone]
        return log

    def allow(self, key: str, now: float) -> tuple[bool, float | None]:
        log = self._live(key, now)
        if len(log) >= self.limit:
            return False, None
        log.append(now)
        self.logs[key] = log
        return True, now + self.window

    def wait(self, key: str, now: float) -> float:
        log = self._live(key, now)
        if len(log) < self.limit:
            return 0.0
        return log[-self.limit] + self.window - now

    def forget(self, key: str, now: float) -> None:
        log = self.logs.get(key)
        if log is not None and (not log or log[-1] + self.window <= now):
            del self.logs[key]


_ALGORITHMS = {"token_bucket": _Gcra, "fixed_window": _Windows, "sliding_log": _SortedLog}


class RateLimiter:
    """Admits at most `limit` requests per `window` seconds for each key."""

    def __init__(self, limit: int, window: float, algorithm: str = "token_bucket",
                 clock: Callable[[], float] = time.monotonic) -> None:
        if algorithm not in _ALGORITHMS:
            raise ValueError(f"unknown algorithm {algorithm!r}")
        self._impl = _ALGORITHMS[algorithm](limit, window)
        self._clock = clock
        self._lock = threading.Lock()
        # (time, key): at that time the key may be as new. One entry per admitted
        # request; an entry whose key was used again since finds it not idle yet.
        self._expiries: list[tuple[float, str]] = []

    def allow(self, key: str) -> bool:
        with self._lock:
            now = self._clock()
            while self._expiries and self._expiries[0][0] <= now:
                self._impl.forget(heapq.heappop(self._expiries)[1], now)
            admitted, idle_at = self._impl.allow(key, now)
            if idle_at is not None:
                heapq.heappush(self._expiries, (idle_at, key))
            return admitted

    def retry_after(self, key: str) -> float:
        with self._lock:
            return self._impl.wait(key, self._clock())
