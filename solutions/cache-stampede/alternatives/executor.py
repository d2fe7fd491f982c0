"""A TTL cache whose loads run in a thread pool: the flight is the pool's Future, and every
caller, the first included, waits on it. The load time t is read when the load starts."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor


class TTLCache:
    def __init__(self, ttl, clock=time.monotonic):
        self.ttl = ttl
        self.clock = clock
        self.lock = threading.Lock()
        self.values = {}
        self.futures = {}
        self.pool = ThreadPoolExecutor(max_workers=32)

    def get_or_load(self, key, loader):
        with self.lock:
            now = self.clock()
            hit = self.values.get(key)
            if hit and now < hit[1]:
                return hit[0]
            fut = self.futures.get(key)
            if fut is None:
                fut = self.pool.submit(self._load, key, loader, now)
                self.futures[key] = fut
        return fut.result()

    def _load(self, key, loader, now):
        try:
            v = loader()
        except BaseException:
            with self.lock:
                del self.futures[key]
            raise
        with self.lock:
            self.values[key] = (v, now + self.ttl)
            del self.futures[key]
        return v

    def invalidate(self, key):
        with self.lock:
            self.values.pop(key, None)
