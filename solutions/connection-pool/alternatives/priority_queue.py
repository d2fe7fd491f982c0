"""A correct alternative: the pool is a queue of `size` slots (urllib3's design), each slot
a connection or an empty place, built on the standard library's thread-safe queue.

Borrowing takes a slot (the queue does the waiting and the timeout); an empty place means
"make a connection". Giving back puts the connection in as a slot; throwing it away puts
an empty place back. It is a PriorityQueue, not urllib3's LifoQueue: connections sort
before empty places, so an idle connection is always lent before a new one is made. With
a LifoQueue, an empty place put back after a failure lies on top of the idle connections
and the next borrower makes a new connection while an idle one waits below it.
"""

import contextlib
import itertools
import queue
import threading


class PoolExhausted(Exception):
    """No connection became free within the timeout."""


_PLACE, _CONNECTION = 1, 0  # connections first


def _close(conn):
    close = getattr(conn, "close", None)
    if close is not None:
        with contextlib.suppress(Exception):
            close()


class ConnectionPool:
    def __init__(self, factory, size, timeout=None):
        self._factory = factory
        self._timeout = timeout
        self._order = itertools.count()  # ties: a connection object cannot be compared
        self._slots = queue.PriorityQueue()
        for _ in range(size):
            self._put(None)
        self._lock = threading.Lock()
        self._created = 0
        self._closed = False

    def _put(self, conn):
        kind = _PLACE if conn is None else _CONNECTION
        self._slots.put((kind, -next(self._order), conn))  # newest connection first

    @property
    def created(self):
        with self._lock:
            return self._created

    @contextlib.contextmanager
    def connection(self, timeout=None):
        if self._closed:
            raise RuntimeError("the pool is closed")
        try:
            _, _, conn = self._slots.get(timeout=self._timeout if timeout is None else timeout)
        except queue.Empty:
            raise PoolExhausted("no connection free in time") from None
        if self._closed:  # closed while this call waited
            self._put(conn)
            raise RuntimeError("the pool is closed")
        if conn is None:
            with self._lock:
                self._created += 1
            conn = self._factory()
        try:
            yield conn
        except BaseException:
            _close(conn)
            self._put(None)
            raise
        self._put(conn)
        if self._closed:
            self.close()  # given back after close(): close it with the other idle ones

    def close(self):
        self._closed = True
        while True:
            try:
                _, _, conn = self._slots.get_nowait()
            except queue.Empty:
                return
            if conn is not None:
                _close(conn)
