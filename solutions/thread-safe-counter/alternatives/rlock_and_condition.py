"""A correct alternative: an RLock, the checks done by hand, a plain attribute for value."""

import threading


class Counter:
    def __init__(self, initial=0):
        self.count = initial
        self.guard = threading.RLock()

    def _add(self, delta):
        with self.guard:
            self.count = self.count + delta
            result = self.count
        return result

    def increment(self, n=1):
        if n < 0:
            raise ValueError(n)
        return self._add(n)

    def decrement(self, n=1):
        if n < 0:
            raise ValueError(n)
        return self._add(-n)

    def compare_and_set(self, expected, new):
        with self.guard:
            ok = self.count == expected
            if ok:
                self.count = new
        return ok

    @property
    def value(self):
        return self.count
