"""A read-write lock with writer preference.

Any number of readers may hold the lock at once; a writer holds it alone. Once a writer
is waiting, new readers wait behind it, so a steady stream of readers cannot starve
writers. One Condition guards three counters; every change of state happens while
holding it, and every wait re-checks its predicate in a loop.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator


class ReadWriteLock:
    """Many readers or one writer; a waiting writer goes before new readers."""

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0  # readers inside now
        self._writing = False  # a writer is inside now
        self._writers_waiting = 0  # writers asking to enter

    @contextlib.contextmanager
    def read_lock(self) -> Iterator[None]:
        """Shared: waits while a writer is inside or waiting."""
        with self._cond:
            # Writer preference: a waiting writer also keeps new readers out.
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if self._readers == 0:
                    # Only writers wait on an empty room; wake them all, the one that
                    # wins the race enters and the rest wait again.
                    self._cond.notify_all()

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        """Exclusive: waits until no reader and no other writer is inside."""
        with self._cond:
            self._writers_waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                # Every waiting reader may enter now (or the next writer): notify_all,
                # since one notify would wake a single reader and strand the rest.
                self._cond.notify_all()
