"""Idempotency keys on one threading.Condition: any call for a key that is running waits,
whatever its fingerprint, then looks again; a conflict is decided against what was stored.
When the handler raised, nothing is stored and the first waiter to wake runs its own."""

import threading
import time


class IdempotencyConflict(Exception):
    """The key was already used for a different request (another fingerprint)."""


class IdempotencyStore:
    def __init__(self, ttl, clock=time.monotonic):
        self.ttl, self.clock = ttl, clock
        self.cv = threading.Condition()
        self.done = {}  # key -> (fingerprint, response, stored at)
        self.running = set()

    def execute(self, key, fingerprint, handler):
        with self.cv:
            while key in self.running:
                self.cv.wait()
            if key in self.done:
                fp, response, at = self.done[key]
                if self.clock() - at < self.ttl:
                    if fp != fingerprint:
                        raise IdempotencyConflict(key)
                    return response
                del self.done[key]
            self.running.add(key)
        try:
            response = handler()
        except BaseException:
            with self.cv:
                self.running.discard(key)
                self.cv.notify_all()
            raise
        with self.cv:
            self.done[key] = (fingerprint, response, self.clock())
            self.running.discard(key)
            self.cv.notify_all()
        return response
