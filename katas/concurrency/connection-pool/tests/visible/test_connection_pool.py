"""Examples of what the hidden tests check. The tests' factory makes connections of the
tests' own, so they see which connection each block got and every close() call."""

import threading
import time

import pytest
from connection_pool import ConnectionPool, PoolExhausted


def inside(pool, body, *args):
    """`with pool.connection(*args) as conn: return body(conn)`. Under `kata check` your
    pool lives in a process of its own and its context manager cannot come over here, so
    the `with` runs there (harness.testing.within) and the body here; under plain pytest
    it all runs here."""
    if getattr(pool, "__kata_mirror__", False):
        from harness.testing import within

        return within(pool, "connection", *args, body=body)
    with pool.connection(*args) as conn:
        return body(conn)


class Conn:
    def __init__(self, number):
        self.number = number
        self.closed = False

    def close(self):
        self.closed = True

    def __repr__(self):
        return f"connection #{self.number}"


class Factory:
    def __init__(self):
        self.made = []

    def __call__(self):
        conn = Conn(len(self.made) + 1)
        self.made.append(conn)
        return conn


def given(conn):
    return conn


@pytest.mark.reuse
def test_connections_are_made_lazily_and_reused():
    factory = Factory()
    pool = ConnectionPool(factory, 2)
    assert pool.created == 0
    first = inside(pool, given)
    second = inside(pool, given)
    assert first is second and pool.created == 1


@pytest.mark.reuse
def test_nested_blocks_get_different_connections():
    pool = ConnectionPool(Factory(), 2)
    outer, inner = inside(pool, lambda a: (a, inside(pool, given)))
    assert outer is not inner and pool.created == 2


class Boom(Exception):
    pass


def explode(conn):
    raise Boom("raised inside the block")


@pytest.mark.errors
def test_a_block_that_raises_throws_its_connection_away():
    factory = Factory()
    pool = ConnectionPool(factory, 1)
    with pytest.raises(Boom):
        inside(pool, explode)
    broken = factory.made[0]
    assert broken.closed
    assert inside(pool, given, 1.0) is not broken
    assert pool.created == 2


@pytest.mark.blocking
def test_a_full_pool_times_out():
    pool = ConnectionPool(Factory(), 1)

    def try_another(conn):
        try:
            return inside(pool, given, 0.05)
        except PoolExhausted:
            return "PoolExhausted"

    got = inside(pool, try_another)
    assert got == "PoolExhausted", (
        f"a second block on a full pool of 1, with timeout=0.05, got {got!r}; expected "
        "PoolExhausted")


@pytest.mark.blocking
def test_a_waiting_thread_gets_the_connection_given_back():
    pool = ConnectionPool(Factory(), 1)
    got = []

    def hold_it(conn):
        waiter = threading.Thread(target=lambda: got.append(inside(pool, given)), daemon=True)
        waiter.start()
        time.sleep(0.05)
        assert got == [], "a second block got a connection from a pool of 1 in use"
        return conn, waiter

    mine, waiter = inside(pool, hold_it)
    waiter.join(5)
    assert got == [mine], (
        f"a thread waiting for a connection of a full pool of 1 got {got} once the "
        f"connection was given back, expected [{mine!r}]: giving back must wake a waiter")


@pytest.mark.close
def test_close_closes_idle_connections_and_refuses_more():
    factory = Factory()
    pool = ConnectionPool(factory, 2)
    inside(pool, given)
    pool.close()
    assert factory.made[0].closed
    with pytest.raises(RuntimeError):
        inside(pool, given)


@pytest.mark.threads
def test_many_threads_share_a_small_pool():
    pool = ConnectionPool(Factory(), 2)
    in_use, lock, clashes = set(), threading.Lock(), []

    def use(conn):
        with lock:
            if conn.number in in_use:
                clashes.append(conn.number)
            in_use.add(conn.number)
        time.sleep(0.001)
        with lock:
            in_use.discard(conn.number)

    def work():
        for _ in range(10):
            inside(pool, use)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = sum(thread.is_alive() for thread in threads)
    assert not stuck, f"{stuck} of 4 threads were still waiting for a connection after 10 s"
    assert clashes == [], f"connections lent to two blocks at once: {clashes}"
    assert pool.created <= 2, f"a pool of 2 made {pool.created} connections"
