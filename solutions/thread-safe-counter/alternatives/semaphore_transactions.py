"""A correct alternative: a binary semaphore as the mutex, every method one transaction.

Each method describes its change as a pure step `old value -> (new value, result)`;
one `_transact` runs any step while holding a `threading.Semaphore(1)` (acquired and
released by hand), so increment, decrement, compare_and_set and reads all exclude
one another through the same single permit.
"""

import threading


class Counter:
    def __init__(self, initial=0):
        self._state = initial
        self._permit = threading.Semaphore(1)

    def _transact(self, step):
        self._permit.acquire()
        try:
            self._state, result = step(self._state)
        finally:
            self._permit.release()
        return result

    @staticmethod
    def _amount(n):
        if n < 0:
            raise ValueError("n must not be negative")
        return n

    def increment(self, n=1):
        n = self._amount(n)
        return self._transact(lambda old: (old + n, old + n))

    def decrement(self, n=1):
        n = self._amount(n)
        return self._transact(lambda old: (old - n, old - n))

    def compare_and_set(self, expected, new):
        return self._transact(lambda old: (new, True) if old == expected else (old, False))

    @property
    def value(self):
        return self._transact(lambda old: (old, old))
