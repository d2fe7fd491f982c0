"""Idempotency keys on concurrent.futures.Future: the Future of the run in flight is what
its waiters block on; result() returns the response or raises the handler's exception, so
the callers waiting for a handler that raised get that same exception."""

import threading
import time
from concurrent.futures import Future


class IdempotencyConflict(Exception):
    """The key was already used for a different request (another fingerprint)."""


class IdempotencyStore:
    def __init__(self, ttl, clock=time.monotonic):
        self.ttl = ttl
        self.clock = clock
        self.lock = threading.Lock()
        self.entries = {}  # key -> (fingerprint, Future, expires at or None while running)

    def execute(self, key, fingerprint, handler):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None and entry[2] is not None and self.clock() >= entry[2]:
                entry = None
            if entry is not None:
                if entry[0] != fingerprint:
                    raise IdempotencyConflict(key)
                future = entry[1]
                leader = False
            else:
                future = Future()
                self.entries[key] = (fingerprint, future, None)
                leader = True
        if not leader:
            return future.result()
        try:
            response = handler()
        except BaseException as exc:
            with self.lock:
                del self.entries[key]
            future.set_exception(exc)
            raise
        with self.lock:
            self.entries[key] = (fingerprint, future, self.clock() + self.ttl)
        future.set_result(response)
        return response
