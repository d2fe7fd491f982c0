"""A TTL cache with single flight built on concurrent.futures.Future: the Future of the
load in flight is what its waiters block on (result() returns the value or raises the
loader's exception)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any


class TTLCache:
    """Values served for `ttl` seconds after they were loaded; one load per key at a time."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self.lock = threading.Lock()
        self.entries: dict[Any, tuple[float, Any]] = {}
        self.loading: dict[Any, Future] = {}

    def get_or_load(self, key: Any, loader: Callable[[], Any]) -> Any:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None and self.clock() < entry[0]:
                return entry[1]
            future = self.loading.get(key)
            if future is not None:
                leader = False
            else:
                future = self.loading[key] = Future()
                leader = True
        if not leader:
            return future.result()
        try:
            value = loader()
        except BaseException as exc:
            future.set_exception(exc)
            raise
        else:
            with self.lock:
                self.entries[key] = (self.clock() + self.ttl, value)
            future.set_result(value)
            return value
        finally:
            with self.lock:
                self.loading.pop(key, None)

    def invalidate(self, key: Any) -> None:
        with self.lock:
            self.entries.pop(key, None)
