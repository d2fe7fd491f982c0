"""Idempotency keys with a lock per key: a small lock guards the dict of slots; the key's
own lock is held while its handler runs, so the callers of that key queue behind it and
find its response stored when they get in, while other keys go on. After a handler that
raised, the next caller in the queue finds nothing and runs its own."""

import threading
import time
from dataclasses import dataclass, field
from typing import Any


class IdempotencyConflict(Exception):
    """The key was already used for a different request (another fingerprint)."""


@dataclass
class _Slot:
    lock: threading.Lock = field(default_factory=threading.Lock)
    stored: bool = False
    fingerprint: str = ""
    response: Any = None
    expires: float = 0.0


class IdempotencyStore:
    def __init__(self, ttl, clock=time.monotonic):
        self._ttl = ttl
        self._clock = clock
        self._slots_lock = threading.Lock()
        self._slots: dict[str, _Slot] = {}

    def _slot(self, key):
        with self._slots_lock:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = _Slot()
            return slot

    def execute(self, key, fingerprint, handler):
        slot = self._slot(key)
        with slot.lock:
            if slot.stored and self._clock() < slot.expires:
                if slot.fingerprint != fingerprint:
                    raise IdempotencyConflict(key)
                return slot.response
            slot.stored = False
            response = handler()  # raises: nothing stored
            slot.fingerprint, slot.response = fingerprint, response
            slot.expires = self._clock() + self._ttl
            slot.stored = True
            return response
