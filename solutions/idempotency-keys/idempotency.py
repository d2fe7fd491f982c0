"""Idempotency keys: one lock over two maps, the stored responses and the runs in flight;
a handler runs outside the lock, the callers waiting for it wait on its Event."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any


class IdempotencyConflict(Exception):
    """The key was already used for a different request (another fingerprint)."""


class _Run:
    """One handler in flight: its waiters wait on `done`, then read `response` if `ok`."""

    def __init__(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.done = threading.Event()
        self.ok = False
        self.response: Any = None


class IdempotencyStore:
    """Runs each request once per idempotency key and replays its response."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        # key -> (fingerprint, response, stored at)
        self._stored: dict[str, tuple[str, Any, float]] = {}
        self._running: dict[str, _Run] = {}

    def execute(self, key: str, fingerprint: str, handler: Callable[[], Any]) -> Any:
        while True:
            with self._lock:
                stored = self._stored.get(key)
                if stored is not None and self._clock() - stored[2] >= self._ttl:
                    del self._stored[key]  # expired: the key is free again
                    stored = None
                if stored is not None:
                    if stored[0] != fingerprint:
                        raise IdempotencyConflict(f"key {key!r} was used for another request")
                    return stored[1]
                run = self._running.get(key)
                if run is None:  # nobody runs it: we do (looked up and claimed in one step)
                    run = self._running[key] = _Run(fingerprint)
                    break
                if run.fingerprint != fingerprint:  # in use by another request right now
                    raise IdempotencyConflict(f"key {key!r} is in use by another request")
            run.done.wait()  # no lock held: the runner needs it to publish
            if run.ok:
                return run.response
            # That handler raised and stored nothing: the key is free, so look again; one
            # of the waiters claims it and runs its own handler, the others wait for that.
        try:
            response = handler()
        except BaseException:
            with self._lock:
                del self._running[key]
            run.done.set()
            raise
        with self._lock:
            self._stored[key] = (fingerprint, response, self._clock())
            del self._running[key]
        run.response, run.ok = response, True
        run.done.set()
        return response
