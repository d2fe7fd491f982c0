"""A connection pool: a few expensive connections, made when needed and shared by threads.

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.

The connections are whatever `factory()` returns: the pool never looks inside them, it
only lends them out, takes them back, and calls their `close()` (when they have one)
when it throws one away.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any


class PoolExhausted(Exception):
    """No connection became free within the timeout."""


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
        # TODO: keep the factory, the size and the timeout; set up the idle connections,
        # the counts, the lock and what waiters wait on
        raise NotImplementedError

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
        # TODO: take or make a connection (waiting if needed), yield it, then give it
        # back or throw it away
        raise NotImplementedError
        yield  # makes this function a generator, as @contextmanager needs

    def close(self) -> None:
        """Closes the pool: calls `close()` on every idle connection (those that have one)
        and makes every later `connection()` raise RuntimeError."""
        # TODO
        raise NotImplementedError

    @property
    def created(self) -> int:
        """How many connections `factory()` has made so far, those thrown away included."""
        # TODO
        raise NotImplementedError
