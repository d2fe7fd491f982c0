"""A TTL cache on one threading.Condition: a set of keys loading, and per key a generation
counter and the last outcome; a waiter waits until the generation moves, then takes that
outcome (value or exception)."""

import threading
import time

_MISSING = object()


class TTLCache:
    """Values served for `ttl` seconds after they were loaded; one load per key at a time."""

    def __init__(self, ttl, clock=time.monotonic):
        self.ttl, self.clock = ttl, clock
        self.cv = threading.Condition()
        self.cache = {}
        self.loading = set()
        self.outcome = {}  # key -> (generation, ok, value)
        self.gen = {}

    def get_or_load(self, key, loader):
        with self.cv:
            entry = self.cache.get(key, _MISSING)
            if entry is not _MISSING and self.clock() < entry[1]:
                return entry[0]
            if key in self.loading:
                g = self.gen.get(key, 0)
                while self.gen.get(key, 0) == g:
                    self.cv.wait()
                _, ok, value = self.outcome[key]
                if ok:
                    return value
                raise value
            self.loading.add(key)
        try:
            value = loader()
            ok = True
        except BaseException as exc:
            value, ok = exc, False
        with self.cv:
            self.loading.discard(key)
            if ok:
                self.cache[key] = (value, self.clock() + self.ttl)
            else:
                self.cache.pop(key, None)
            self.gen[key] = self.gen.get(key, 0) + 1
            self.outcome[key] = (self.gen[key], ok, value)
            self.cv.notify_all()
        if ok:
            return value
        raise value

    def invalidate(self, key):
        with self.cv:
            self.cache.pop(key, None)
