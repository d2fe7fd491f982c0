"""A correct alternative: one condition, `wait_for` with a predicate, `notify_all` on
every change (simple; every waiter wakes on each change and re-checks)."""

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
        self.maxsize = maxsize
        self.items = deque()
        self.closed = False
        self.changed = threading.Condition()

    def put(self, item, timeout=None):
        with self.changed:
            if not self.changed.wait_for(
                    lambda: self.closed or len(self.items) < self.maxsize, timeout):
                raise Full
            if self.closed:
                raise Closed
            self.items.append(item)
            self.changed.notify_all()

    def get(self, timeout=None):
        with self.changed:
            if not self.changed.wait_for(lambda: self.closed or self.items, timeout):
                raise Empty
            if not self.items:
                raise Closed
            item = self.items.popleft()
            self.changed.notify_all()
            return item

    def close(self):
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def qsize(self):
        with self.changed:
            return len(self.items)
