"""A correct alternative: the textbook producer/consumer with two counting semaphores.

`slots` counts free places, `items` queued items; a lock guards the deque and the flag.
Closing releases each semaphore once; a waiter that wakes to find the queue closed (and,
for get, empty) releases its semaphore again before raising Closed, so the wakeup passes
from waiter to waiter until every one has seen it.
"""

import threading
from collections import deque


class Full(Exception):
    """put timed out."""


class Empty(Exception):
    """get timed out."""


class Closed(Exception):
    """The queue was closed."""


class BoundedQueue:
    def __init__(self, maxsize):
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self._items = deque()
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(maxsize)
        self._queued = threading.Semaphore(0)
        self._closed = False

    def put(self, item, timeout=None):
        with self._lock:
            if self._closed:
                raise Closed
        if not self._slots.acquire(timeout=timeout):
            raise Full
        with self._lock:
            if self._closed:
                self._slots.release()  # pass the wakeup on to the next waiting producer
                raise Closed
            self._items.append(item)
        self._queued.release()

    def get(self, timeout=None):
        with self._lock:
            if self._closed and not self._items:
                raise Closed
        if not self._queued.acquire(timeout=timeout):
            raise Empty
        with self._lock:
            if not self._items:  # only a close() gives a permit without an item
                self._queued.release()  # pass it on to the next waiting consumer
                raise Closed
            item = self._items.popleft()
        self._slots.release()
        return item

    def close(self):
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._queued.release()
        self._slots.release()

    def qsize(self):
        with self._lock:
            return len(self._items)
