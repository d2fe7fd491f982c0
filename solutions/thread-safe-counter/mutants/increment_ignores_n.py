"""Mutant: increment always adds one."""
from __future__ import annotations

import threading


class Counter:
    """An integer that many threads may change at once; every method is atomic."""

    def __init__(self, initial: int = 0) -> None:
        self._value = initial
        self._lock = threading.Lock()

    def increment(self, n: int = 1) -> int:
        """Adds n and returns the value after this call's change."""
        _check(n)
        with self._lock:
            self._value += 1
            # Read inside the lock: outside it, another thread's change could slip in
            # and two callers would be told the same value.
            return self._value

    def decrement(self, n: int = 1) -> int:
        """Subtracts n and returns the value after this call's change."""
        _check(n)
        with self._lock:
            self._value -= n
            return self._value

    def compare_and_set(self, expected: int, new: int) -> bool:
        """Sets the value to new only if it equals expected; says whether it did."""
        with self._lock:  # the same lock as increment: the comparison cannot go stale
            if self._value != expected:
                return False
            self._value = new
            return True

    @property
    def value(self) -> int:
        """The current value."""
        with self._lock:
            return self._value


def _check(n: int) -> None:
    if n < 0:
        raise ValueError(f"n must not be negative, not {n}")
