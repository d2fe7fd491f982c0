"""A read-write lock: many readers at once, or one writer alone.

Fill in every method marked TODO. The tests hold your locks from several threads at
once and watch who gets in: readers must share, a writer must be alone, and once a
writer is waiting no NEW reader may enter before it has had its turn. An exception
inside a `with` block must release the lock. The docstrings are the contract.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator


class ReadWriteLock:
    """Any number of readers at once, or one writer alone; waiting writers go first."""

    def __init__(self) -> None:
        """An unlocked lock."""
        # TODO: a threading.Condition and the counts it guards
        raise NotImplementedError

    @contextlib.contextmanager
    def read_lock(self) -> Iterator[None]:
        """A context manager holding the lock shared: `with rw.read_lock(): ...`

        Waits while a writer is inside OR waiting (writer preference: a writer never
        starves behind a stream of readers). Released when the block ends, also by an
        exception.
        """
        # TODO: a generator: wait and count yourself in, `yield`, then count yourself out
        raise NotImplementedError

    @contextlib.contextmanager
    def write_lock(self) -> Iterator[None]:
        """A context manager holding the lock alone: `with rw.write_lock(): ...`

        Waits until no reader and no other writer is inside. Released when the block
        ends, also by an exception; every reader waiting then gets in (unless another
        writer is waiting).
        """
        # TODO
        raise NotImplementedError
