"""A bounded blocking queue: producers wait while it is full, consumers while it is empty.

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.

Build it from `threading` (a Condition, or Semaphores) and a container of your choice:
the `queue` module and the queues of `multiprocessing` and `asyncio` are not allowed.
"""

from __future__ import annotations

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
        # TODO: check maxsize, set up the storage, the lock and what waiters wait on
        raise NotImplementedError

    def put(self, item: Any, timeout: float | None = None) -> None:
        """Adds `item` at the back of the queue (any value, None included).

        While the queue is full, waits for a slot: forever when `timeout` is None, else at
        most `timeout` seconds, then raises Full. `timeout=0` never waits: Full at once
        when there is no room. On a closed queue (closed before the call, or while it
        waited) raises Closed and adds nothing.
        """
        # TODO
        raise NotImplementedError

    def get(self, timeout: float | None = None) -> Any:
        """Removes and returns the item at the front of the queue (the oldest one).

        While the queue is empty, waits for an item: forever when `timeout` is None, else
        at most `timeout` seconds, then raises Empty. `timeout=0` never waits. A closed
        queue still hands out the items it holds, oldest first; once it is empty, every
        `get` raises Closed (whatever its timeout, and a `get` waiting when the queue is
        closed raises Closed at once).
        """
        # TODO
        raise NotImplementedError

    def close(self) -> None:
        """Closes the queue and wakes every caller blocked in `put` or `get`: blocked and
        later `put` raise Closed; `get` returns the queued items, then raises Closed."""
        # TODO
        raise NotImplementedError

    def qsize(self) -> int:
        """How many items the queue holds now."""
        # TODO
        raise NotImplementedError
