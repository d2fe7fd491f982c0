"""A correct alternative: a counting semaphore bounds the borrowers, a lock guards a FIFO
of idle connections.

A permit is the right to use a connection. `size` permits, and a connection is made only
by a permit holder who finds no idle one, so at most `size` exist: each idle connection
was given back by a holder who then returned its permit. The semaphore's own wait (a
Condition inside `threading.Semaphore`) does the blocking and the timeout. Idle
connections are lent oldest first (FIFO), to show that the order is free.
"""

import contextlib
import threading
from collections import deque


class PoolExhausted(Exception):
    """No connection became free within the timeout."""


def _close(conn):
    close = getattr(conn, "close", None)
    if close is not None:
        with contextlib.suppress(Exception):
            close()


class ConnectionPool:
    def __init__(self, factory, size, timeout=None):
        self._factory = factory
        self._timeout = timeout
        self._permits = threading.Semaphore(size)
        self._lock = threading.Lock()
        self._idle = deque()
        self._created = 0
        self._closed = False

    @property
    def created(self):
        with self._lock:
            return self._created

    @contextlib.contextmanager
    def connection(self, timeout=None):
        with self._lock:
            if self._closed:  # before waiting: a closed pool refuses at once
                raise RuntimeError("the pool is closed")
        if timeout is None:
            timeout = self._timeout
        if not self._permits.acquire(timeout=timeout):
            raise PoolExhausted(f"no connection free within {timeout} s")
        try:
            conn = self._take()
        except BaseException:
            self._permits.release()
            raise
        try:
            yield conn
        except BaseException:
            _close(conn)
            self._permits.release()
            raise
        with self._lock:
            closed = self._closed
            if not closed:
                self._idle.append(conn)  # back in the pool BEFORE the permit is returned
        if closed:
            _close(conn)
        self._permits.release()

    def _take(self):
        with self._lock:
            if self._closed:
                raise RuntimeError("the pool is closed")
            if self._idle:
                return self._idle.popleft()
            self._created += 1
        return self._factory()

    def close(self):
        with self._lock:
            self._closed = True
            idle = list(self._idle)
            self._idle.clear()
        for conn in idle:
            _close(conn)
