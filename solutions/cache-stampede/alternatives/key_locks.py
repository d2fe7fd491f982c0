"""A TTL cache with a lock per key: a small lock guards the dict of slots, each slot's own
lock is held during its load, so the callers of that key queue behind it while other keys
go on. A generation counter tells a caller that a load finished while it waited: it
returns that load's outcome (value or exception) instead of loading again."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class _Slot:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.generation = 0
        self.has_value = False  # a fresh-or-expired value to serve
        self.value: Any = None  # what the last load returned
        self.expires = 0.0
        self.error: BaseException | None = None


class TTLCache:
    """Values served for `ttl` seconds after they were loaded; one load per key at a time."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._slots_lock = threading.Lock()
        self._slots: dict[Any, _Slot] = {}

    def _slot(self, key: Any) -> _Slot:
        with self._slots_lock:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = _Slot()
            return slot

    def get_or_load(self, key: Any, loader: Callable[[], Any]) -> Any:
        slot = self._slot(key)
        seen = slot.generation
        with slot.lock:
            if slot.generation != seen:  # a load ended while we waited: share its outcome
                if slot.error is not None:
                    raise slot.error
                return slot.value
            if slot.has_value and self._clock() < slot.expires:
                return slot.value
            try:
                value = loader()
            except BaseException as exc:
                slot.has_value, slot.value, slot.error = False, None, exc
                slot.generation += 1
                raise
            slot.value, slot.error = value, None
            slot.expires = self._clock() + self._ttl
            slot.has_value = True
            slot.generation += 1
            return value

    def invalidate(self, key: Any) -> None:
        with self._slots_lock:
            slot = self._slots.get(key)
        if slot is not None:
            slot.has_value = False  # the value stays: callers of the load in flight get it
