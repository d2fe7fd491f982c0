"""A TTL cache with single-flight loading: one lock over two maps, the cached values
and the loads in flight; a load runs outside the lock, its waiters wait on its Event."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class _Flight:
    """One load in flight: its waiters wait on `done`, then read `value` or `error`."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: BaseException | None = None


class TTLCache:
    """Values served for `ttl` seconds after they were loaded; one load per key at a time."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._values: dict[Any, tuple[Any, float]] = {}  # key -> (value, expires at)
        self._flights: dict[Any, _Flight] = {}

    def get_or_load(self, key: Any, loader: Callable[[], Any]) -> Any:
        with self._lock:
            cached = self._values.get(key)
            if cached is not None and self._clock() < cached[1]:
                return cached[0]
            flight = self._flights.get(key)
            leader = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
        if not leader:
            flight.done.wait()
            if flight.error is not None:
                raise flight.error
            return flight.value
        try:
            value = loader()
        except BaseException as exc:
            with self._lock:  # nothing cached: an old value here has expired for good
                del self._flights[key]
            flight.error = exc
            flight.done.set()
            raise
        with self._lock:
            self._values[key] = (value, self._clock() + self._ttl)
            del self._flights[key]
        flight.value = value
        flight.done.set()
        return value

    def invalidate(self, key: Any) -> None:
        with self._lock:
            self._values.pop(key, None)
