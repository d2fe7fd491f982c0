"""A bounded blocking queue: one lock, two conditions (not full, not empty) over a deque."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any


class Full(Exception):
    """`put` waited its whole timeout (or timeout=0) and the queue was still full."""


class Empty(Exception):
    """`get` waited its whole timeout (or timeout=0) and the queue was still empty."""


class Closed(Exception):
    """The queue was closed: no more `put`; `get` once the queued items are gone."""


class BoundedQueue:
    """A first-in first-out queue of at most `maxsize` items, safe to share between threads.

    Waiting never polls: a blocked caller sleeps until another thread changes something
    it waits for (an item put, a slot freed, the queue closed), using no CPU meanwhile.
    """

    def __init__(self, maxsize: int) -> None:
        """An empty, open queue holding at most `maxsize` items; maxsize < 1 raises
        ValueError."""
        if maxsize < 1:
            raise ValueError(f"maxsize must be at least 1, not {maxsize}")
        self._maxsize = maxsize
        self._items: deque[Any] = deque()
        self._closed = False
        lock = threading.Lock()
        # Two conditions over one lock: a put wakes only consumers, a get only producers.
        self._not_empty = threading.Condition(lock)
        self._not_full = threading.Condition(lock)

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Adds `item` at the back of the queue (any value, None included).

        While the queue is full, waits for a slot: forever when `timeout` is None, else at
        most `timeout` seconds, then raises Full. `timeout=0` never waits: Full at once
        when there is no room. On a closed queue (closed before the call, or while it
        waited) raises Closed and adds nothing.
        """
        with self._not_full:
            deadline = None if timeout is None else time.monotonic() + timeout
            # `while`, not `if`: another producer may take the slot between the notify
            # and this thread getting the lock back.
            while not self._closed and len(self._items) >= self._maxsize:
                if deadline is None:
                    self._not_full.wait()
                else:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise Full
                    self._not_full.wait(remaining)
            if self._closed:
                raise Closed
            self._items.append(item)
            self._not_empty.notify()

    def get(self, timeout: float | None = None) -> Any:
        """Removes and returns the item at the front of the queue (the oldest one).

        While the queue is empty, waits for an item: forever when `timeout` is None, else
        at most `timeout` seconds, then raises Empty. `timeout=0` never waits. A closed
        queue still hands out the items it holds, oldest first; once it is empty, every
        `get` raises Closed (whatever its timeout, and a `get` waiting when the queue is
        closed raises Closed at once).
        """
        with self._not_empty:
            deadline = None if timeout is None else time.monotonic() + timeout
            while not self._items and not self._closed:
                if deadline is None:
                    self._not_empty.wait()
                else:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise Empty
                    self._not_empty.wait(remaining)
            if not self._items:
                raise Closed
            item = self._items.popleft()
            self._not_full.notify()
            return item

    def close(self) -> None:
        """Closes the queue and wakes every caller blocked in `put` or `get`: blocked and
        later `put` raise Closed; `get` returns the queued items, then raises Closed."""
        with self._not_empty:
            self._closed = True
            # notify_all, not notify: every waiter must wake and see the queue closed.
            self._not_empty.notify_all()
            self._not_full.notify_all()

    def qsize(self) -> int:
        """How many items the queue holds now."""
        with self._not_empty:
            return len(self._items)
