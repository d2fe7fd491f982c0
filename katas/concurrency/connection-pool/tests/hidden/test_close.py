"""close() closes the idle connections; every later connection() raises RuntimeError,
without waiting and without making a connection."""

import pytest
from _support import Borrower, Factory, borrowed, borrowers_of, finished, shown, start
from connection_pool import ConnectionPool

pytestmark = pytest.mark.close


def refused(got):
    return got[0] == "raised" and isinstance(got[1], RuntimeError)


def test_close_closes_the_idle_connections():
    factory = Factory()
    pool = ConnectionPool(factory, 3)
    for borrower in borrowers_of(pool, 3):
        borrower.leave()
    pool.close()
    closed = [(c, c.closed) for c in factory.made]
    assert [n for _, n in closed] == [1, 1, 1], (
        f"3 connections given back to a pool, then close(): (connection, times closed) are "
        f"{closed}; expected each closed once")


def test_connection_after_close_raises_runtime_error():
    factory = Factory()
    pool = ConnectionPool(factory, 2)
    borrowed(pool)
    pool.close()
    got = finished(*start(lambda: borrowed(pool)), "connection() on a closed pool")
    assert refused(got), f"connection() on a closed pool {shown(got)}; expected RuntimeError"
    assert len(factory.made) == 1, (
        f"factory() was called {len(factory.made)} times, expected 1: a closed pool makes no "
        "connection")


def test_a_pool_closed_before_any_use_refuses_connections():
    factory = Factory()
    pool = ConnectionPool(factory, 2)
    pool.close()
    got = finished(*start(lambda: borrowed(pool, 1.0)), "connection(timeout=1.0) on a closed pool")
    assert refused(got) and not factory.made, (
        f"ConnectionPool(factory, 2), close(), then connection(timeout=1.0) {shown(got)} "
        f"(factory() called {len(factory.made)} times); expected RuntimeError and no call")


def test_a_closed_pool_with_every_connection_busy_refuses_at_once():
    factory = Factory()
    pool = ConnectionPool(factory, 1)
    busy = Borrower(pool)
    try:
        assert busy.entered(), "the first block of a pool of 1 got no connection"
        pool.close()
        got = finished(*start(lambda: borrowed(pool, 30)),
                       "connection(timeout=30) on a closed pool whose connection is in use",
                       ": a closed pool refuses at once, it does not wait")
    finally:
        busy.leave()
    assert refused(got), (
        f"connection(timeout=30) on a closed pool whose only connection is in use "
        f"{shown(got)}; expected RuntimeError (the pool is closed: nothing to wait for)")


def test_a_connection_given_back_after_close_is_not_lent_again():
    factory = Factory()
    pool = ConnectionPool(factory, 2)
    busy = Borrower(pool)
    assert busy.entered(), "the first block of a pool of 2 got no connection"
    pool.close()
    busy.leave()  # what leaving a closed pool does is yours to choose
    got = finished(*start(lambda: borrowed(pool, 1.0)),
                   "connection(timeout=1.0) on a closed pool")
    assert refused(got), (
        f"a block using a connection while the pool was closed, then it ended; the next "
        f"connection() {shown(got)}; expected RuntimeError: the pool is closed, whatever comes "
        "back to it")


def test_close_leaves_connections_without_close_alone():
    factory = Factory(closable=False)
    pool = ConnectionPool(factory, 2)
    borrowed(pool)
    try:
        pool.close()
    except Exception as exc:
        raise AssertionError(
            f"close() on a pool holding a connection that has no close() raised "
            f"{type(exc).__name__}; call close() only on connections that have one") from None
    got = finished(*start(lambda: borrowed(pool)), "connection() on a closed pool")
    assert refused(got), f"then connection() {shown(got)}; expected RuntimeError"
