"""A counter that many threads can share.

Fill in every method marked TODO. The tests call these methods from many threads at
once and force thread switches in the middle of your code, so every read-modify-write
must be protected. The docstrings are the contract.
"""

from __future__ import annotations


class Counter:
    """An integer that many threads may change at once; every method is atomic."""

    def __init__(self, initial: int = 0) -> None:
        """Starts at `initial`."""
        # TODO: the value, and a lock
        raise NotImplementedError

    def increment(self, n: int = 1) -> int:
        """Adds n and returns the value after THIS call's change (n < 0: ValueError).

        When N threads each call increment() K times, together they are returned exactly
        initial+1 ... initial+N*K, each once.
        """
        # TODO: change and read the value as one atomic step
        raise NotImplementedError

    def decrement(self, n: int = 1) -> int:
        """Subtracts n and returns the value after this call's change (n < 0: ValueError)."""
        # TODO
        raise NotImplementedError

    def compare_and_set(self, expected: int, new: int) -> bool:
        """Sets the value to `new` only if it equals `expected`; returns whether it did.

        Atomic with respect to increment and decrement.
        """
        # TODO
        raise NotImplementedError

    @property
    def value(self) -> int:
        """The current value."""
        # TODO
        raise NotImplementedError
