"""A correct alternative: the "no-starve" design of The Little Book of Semaphores.

Two binary semaphores and a counter, no Condition. `room` is free when nobody is inside:
the first reader in takes it for all the readers, the last one out gives it back (a
light switch, its count guarded by `mutex`), and a writer takes it alone. `turnstile`
is what gives writers preference: a writer holds it from the moment it arrives until
it leaves, and every reader passes through it on the way in, so once a writer waits
no new reader gets past. Semaphores, not Locks: the reader that releases `room` is
often not the one that acquired it.
"""

import threading


class _Held:
    def __init__(self, enter, leave):
        self._enter, self._leave = enter, leave

    def __enter__(self):
        self._enter()

    def __exit__(self, *exc):
        self._leave()
        return False


class ReadWriteLock:
    def __init__(self):
        self.turnstile = threading.Semaphore(1)
        self.room = threading.Semaphore(1)
        self.mutex = threading.Semaphore(1)
        self.readers = 0

    def _read_enter(self):
        self.turnstile.acquire()
        self.turnstile.release()
        with self.mutex:
            self.readers += 1
            if self.readers == 1:
                self.room.acquire()

    def _read_leave(self):
        with self.mutex:
            self.readers -= 1
            if self.readers == 0:
                self.room.release()

    def _write_enter(self):
        self.turnstile.acquire()
        self.room.acquire()

    def _write_leave(self):
        self.turnstile.release()
        self.room.release()

    def read_lock(self):
        return _Held(self._read_enter, self._read_leave)

    def write_lock(self):
        return _Held(self._write_enter, self._write_leave)
