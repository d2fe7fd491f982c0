"""What the hidden tests share: connections the tests make (objects of the grader's, which
the pool holds as handles: identity and close() calls are seen here), a factory that
counts them, and borrowers: test threads that stay inside `with pool.connection()` until
told to leave."""

import threading

from harness.testing import within

LIMIT = 5.0  # seconds a call that should go through gets before the test calls it stuck


class Boom(Exception):
    """Raised inside a `with pool.connection()` block by the tests."""


class Conn:
    """A connection of the tests: its number, and how many times it was closed."""

    def __init__(self, number):
        self.number = number
        self.closed = 0
        self.users = 0  # blocks using it now (the threads test counts them)
        self._lock = threading.Lock()

    def close(self):
        with self._lock:
            self.closed += 1

    def __repr__(self):
        return f"connection #{self.number}"


class Bare:
    """A connection without a close() method."""

    def __init__(self, number):
        self.number = number

    def __repr__(self):
        return f"connection #{self.number} (it has no close())"


class Factory:
    """Makes numbered connections and keeps them; `alive` counts those made less those
    the tests threw away (a block that raised), `peak` the most alive at once."""

    def __init__(self, closable=True):
        self.closable = closable
        self.made = []
        self.dropped = 0
        self.peak = 0
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            number = len(self.made) + 1
            conn = Conn(number) if self.closable else Bare(number)
            self.made.append(conn)
            self.peak = max(self.peak, len(self.made) - self.dropped)
            return conn

    def drop(self):
        with self.lock:
            self.dropped += 1


def borrowed(pool, *args):
    """`with pool.connection(*args) as conn: return conn`, run in the learner's process."""
    return within(pool, "connection", *args, body=lambda conn: conn)


def explode(conn):
    raise Boom(f"raised inside the block using {conn!r}")


def raising(pool, *args):
    """`with pool.connection(*args) as conn: raise Boom(...)`; the Boom must come out."""
    try:
        within(pool, "connection", *args, body=explode)
    except Boom:
        return
    raise AssertionError("`with pool.connection(): raise Boom()` did not raise Boom: the "
                         "exception must reach the caller (throw the connection away, then "
                         "raise again; do not swallow it)")


def shown(got):
    kind, value = got
    return f"returned {value!r}" if kind == "returned" else f"raised {type(value).__name__}"


def start(call):
    """Runs `call()` in a thread of the test; returns the thread and the box that receives
    ("returned", value) or ("raised", exception)."""
    box = []

    def body():
        try:
            box.append(("returned", call()))
        except Exception as exc:  # the test compares what was raised
            box.append(("raised", exc))

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread, box


def finished(thread, box, what, why=""):
    thread.join(LIMIT)
    if not box:
        raise AssertionError(f"{what} was still waiting {LIMIT:g} s later{why}")
    return box[0]


class Borrower:
    """A thread of the test inside `with pool.connection(*args) as conn:` until `leave()`:
    the block then ends normally, or raises Boom with `leave(raising=True)`."""

    def __init__(self, pool, *args):
        self.conn = None
        self.outcome = None
        self._inside = threading.Event()
        self._go = threading.Event()
        self._raising = False
        self._thread = threading.Thread(target=self._run, args=(pool, args), daemon=True)
        self._thread.start()

    def _body(self, conn):
        self.conn = conn
        self._inside.set()
        self._go.wait(LIMIT * 4)
        if self._raising:
            raise Boom(f"raised inside the block using {conn!r}")
        return conn

    def _run(self, pool, args):
        try:
            within(pool, "connection", *args, body=self._body)
            self.outcome = ("returned", self.conn)
        except Exception as exc:  # the test looks at what was raised
            self.outcome = ("raised", exc)

    def entered(self, timeout=LIMIT):
        """Whether the block began (the pool lent a connection) within `timeout` seconds."""
        return self._inside.wait(timeout)

    def leave(self, raising=False):
        """Ends the block (normally, or by raising Boom) and waits until the `with` is left."""
        self._raising = raising
        self._go.set()
        # one that never got in may wait on in your code: the test has reported it already
        self._thread.join(LIMIT if self._inside.is_set() else 0.1)


def borrowers_of(pool, count, *args):
    """`count` borrowers inside the pool at once (each checked in); their connections."""
    holding = []
    for n in range(count):
        borrower = Borrower(pool, *args)
        holding.append(borrower)
        if not borrower.entered():
            for other in holding:
                other.leave()
            what = shown(borrower.outcome) if borrower.outcome else "was still waiting"
            raise AssertionError(
                f"{n} blocks were using connections of a pool with room for {count}; the "
                f"connection() of block {n + 1} {what} after {LIMIT:g} s, expected a "
                "connection at once")
    return holding
