"""A connection pool: one Condition guards a stack of idle connections and the count of
those that exist; a borrower that finds neither waits on it for one to come back."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any


class PoolExhausted(Exception):
    """No connection became free within the timeout."""


def _close(conn: Any) -> None:
    """Closes a connection the pool throws away, if it can be closed; a close that fails
    must not hide why the connection was thrown away (the block's exception)."""
    close = getattr(conn, "close", None)
    if close is not None:
        with contextlib.suppress(Exception):
            close()


class ConnectionPool:
    """At most `size` connections made by `factory`, lent out one block at a time and safe
    to share between threads.

        pool = ConnectionPool(make_connection, size=4, timeout=2.0)
        with pool.connection() as conn:
            conn.execute(...)

    Waiting never polls: a caller that waits for a connection sleeps until another thread
    gives one back (or throws one away), using no CPU meanwhile.
    """

    def __init__(self, factory: Callable[[], Any], size: int,
                 timeout: float | None = None) -> None:
        """An empty, open pool: no connection is made yet. `factory()` makes one
        connection; at most `size` exist at once. `timeout` is how long `connection()`
        waits when the call gives no timeout of its own (None: as long as it takes)."""
        self._factory = factory
        self._size = size
        self._timeout = timeout
        self._idle: list[Any] = []  # a stack: the most recently used (warmest) on top
        self._open = 0  # connections that exist or are being made: idle + lent + in factory()
        self._created = 0
        self._closed = False
        self._cond = threading.Condition()

    @contextlib.contextmanager
    def connection(self, timeout: float | None = None) -> Iterator[Any]:
        """Lends a connection for the `with` block: `with pool.connection() as conn:`.

        - An idle connection (one given back earlier) is lent again; only when there is
          none, and fewer than `size` exist, is a new one made with `factory()`.
        - When all `size` are in use, waits until one is given back or thrown away:
          at most `timeout` seconds (this call's, or else the pool's; None on both: no
          limit), then raises PoolExhausted. `timeout=0` does not wait.
        - When the block ends normally the connection goes back to the pool, idle.
        - When the block raises, the connection is thrown away: its `close()` is called
          (if it has one), it is never lent again, its place is free for a new one, and
          the exception reaches the caller.
        - On a closed pool raises RuntimeError (without waiting).
        """
        conn = self._acquire(self._timeout if timeout is None else timeout)
        try:
            yield conn
        except BaseException:
            self._discard(conn)
            raise
        self._release(conn)

    def _acquire(self, timeout: float | None) -> Any:
        with self._cond:
            deadline = None if timeout is None else time.monotonic() + timeout
            # `while`, not `if`: another borrower may take the connection (or the place)
            # between the notify that woke this thread and its getting the lock back.
            while True:
                if self._closed:
                    raise RuntimeError("the pool is closed")
                if self._idle:
                    return self._idle.pop()
                if self._open < self._size:
                    self._open += 1  # the place is taken now; the factory runs unlocked
                    break
                if deadline is None:
                    self._cond.wait()
                else:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise PoolExhausted(f"no connection free within {timeout} s")
                    self._cond.wait(remaining)
        try:
            # Outside the lock: a slow connect must not hold up the threads giving
            # connections back.
            conn = self._factory()
        except BaseException:  # pragma: no cover -- the entry leaves a failing factory free
            with self._cond:
                self._open -= 1
                self._cond.notify()
            raise
        with self._cond:
            self._created += 1
        return conn

    def _release(self, conn: Any) -> None:
        with self._cond:
            if not self._closed:
                self._idle.append(conn)
                self._cond.notify()  # one connection: one waiter can use it
                return
        _close(conn)  # given back to a closed pool: nobody will borrow it again

    def _discard(self, conn: Any) -> None:
        with self._cond:
            self._open -= 1
            self._cond.notify()  # one free place: one waiter can make a connection
        _close(conn)

    def close(self) -> None:
        """Closes the pool: calls `close()` on every idle connection (those that have one)
        and makes every later `connection()` raise RuntimeError."""
        with self._cond:
            self._closed = True  # from now on the counts no longer matter: nothing is lent
            idle, self._idle = self._idle, []
            self._cond.notify_all()  # waiters wake up to the closed pool and raise
        for conn in idle:
            _close(conn)

    @property
    def created(self) -> int:
        """How many connections `factory()` has made so far, those thrown away included."""
        with self._cond:
            return self._created
