"""A correct alternative: one Condition, a state integer and a class-based context manager.

`state` is the number of readers inside, or -1 while a writer is inside. Writers take
a ticket from a queue of waiting writers (a deque of their own Events would do as
well; a plain counter is enough here). Readers wait while a writer is inside or any
ticket is outstanding.
"""

import threading


class _Guard:
    def __init__(self, lock, shared):
        self.lock = lock
        self.shared = shared

    def __enter__(self):
        if self.shared:
            self.lock._acquire_read()
        else:
            self.lock._acquire_write()
        return None

    def __exit__(self, exc_type, exc, tb):
        if self.shared:
            self.lock._release_read()
        else:
            self.lock._release_write()


class ReadWriteLock:
    def __init__(self):
        self._cv = threading.Condition(threading.RLock())
        self._state = 0
        self._next_ticket = 0
        self._serving = 0  # tickets below this have been served

    def _acquire_read(self):
        with self._cv:
            self._cv.wait_for(lambda: self._state >= 0 and self._serving == self._next_ticket)
            self._state += 1

    def _release_read(self):
        with self._cv:
            self._state -= 1
            self._cv.notify_all()

    def _acquire_write(self):
        with self._cv:
            ticket = self._next_ticket
            self._next_ticket += 1
            self._cv.wait_for(lambda: self._state == 0 and self._serving == ticket)
            self._state = -1

    def _release_write(self):
        with self._cv:
            self._state = 0
            self._serving += 1
            self._cv.notify_all()

    def read_lock(self):
        return _Guard(self, True)

    def write_lock(self):
        return _Guard(self, False)
