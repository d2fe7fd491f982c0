"""A block that raises throws its connection away: closed (if it can be), never lent
again, its place free for a new one; the exception still reaches the caller."""

import pytest
from _support import Boom, Borrower, Factory, borrowed, borrowers_of, explode, raising
from connection_pool import ConnectionPool

from harness.testing import within

pytestmark = pytest.mark.errors


def test_the_exception_of_the_block_reaches_the_caller():
    pool = ConnectionPool(Factory(), 2)
    raising(pool)


def test_a_connection_whose_block_raised_is_closed():
    factory = Factory()
    pool = ConnectionPool(factory, 2)
    raising(pool)
    closed = [c.closed for c in factory.made]
    assert closed == [1], (
        f"`with pool.connection(): raise Boom()`: the connection was closed {closed} times; "
        "expected once: a connection whose block raised may be broken, the pool throws it "
        "away and calls its close()")


def test_a_connection_whose_block_raised_is_not_lent_again():
    factory = Factory()
    pool = ConnectionPool(factory, 2)
    raising(pool)
    got = borrowed(pool)
    assert got is not factory.made[0] and len(factory.made) == 2, (
        f"`with pool.connection(): raise Boom()`, then another block: it got {got!r} "
        f"(factory() called {len(factory.made)} times); expected a new connection: the one "
        "whose block raised is thrown away, never lent again")
    assert pool.created == 2, f"after it, created is {pool.created}, expected 2"
    assert got.closed == 0, f"the new connection was closed {got.closed} times, expected 0"


def test_a_thrown_away_connection_frees_its_place():
    factory = Factory()
    pool = ConnectionPool(factory, 1)
    raising(pool)
    try:
        got = borrowed(pool, 2.0)
    except Exception as exc:
        raise AssertionError(
            f"a pool of 1 whose only block raised, then connection(timeout=2.0) raised "
            f"{type(exc).__name__}; expected a new connection: a thrown-away connection no "
            "longer counts against the size") from None
    assert got is factory.made[-1] and len(factory.made) == 2, (
        f"a pool of 1 whose only block raised, then another block got {got!r}; expected a new "
        "connection")


def test_a_place_freed_while_others_are_busy_is_used():
    factory = Factory()
    pool = ConnectionPool(factory, 2)
    busy = Borrower(pool)
    assert busy.entered(), "the first block of a pool of 2 got no connection"
    try:
        raising(pool)
        raising(pool)
        second = Borrower(pool, 2.0)
        entered = second.entered()
        second.leave()
    finally:
        busy.leave()
    assert entered, (
        "a pool of 2: one block using a connection, two blocks that raised, then a block "
        "with timeout=2.0 got no connection; expected a new one, since only one exists: a "
        "thrown-away connection no longer counts against the size")
    assert len(factory.made) == 4 and pool.created == 4, (
        f"after it, factory() was called {len(factory.made)} times and created is "
        f"{pool.created}; expected 4 and 4")


def test_an_idle_connection_is_lent_before_a_thrown_away_ones_place_is_used():
    factory = Factory()
    pool = ConnectionPool(factory, 2)
    kept, broken = borrowers_of(pool, 2)
    kept.leave()
    broken.leave(raising=True)
    got = borrowed(pool)
    assert got is kept.conn and len(factory.made) == 2, (
        f"a pool of 2: two blocks at once, one ends normally (giving back {kept.conn!r}), the "
        f"other raises; the next block got {got!r} (factory() called {len(factory.made)} "
        f"times); expected the idle {kept.conn!r}: a connection is made only when no idle one "
        "is there, even when a place is free")


def test_a_connection_without_close_is_thrown_away_quietly():
    factory = Factory(closable=False)
    pool = ConnectionPool(factory, 1)
    try:
        within(pool, "connection", body=explode)
    except Boom:
        pass
    except Exception as exc:
        raise AssertionError(
            f"`with pool.connection(): raise Boom()` with connections that have no close() "
            f"raised {type(exc).__name__} instead of Boom: call close() only if the connection "
            "has one") from None
    else:
        raise AssertionError("`with pool.connection(): raise Boom()` did not raise Boom")
    got = borrowed(pool, 2.0)
    assert got is factory.made[-1] and len(factory.made) == 2, (
        f"then the next block got {got!r}; expected a new connection")


def test_a_block_that_ends_normally_keeps_its_connection_open():
    factory = Factory()
    pool = ConnectionPool(factory, 2)
    borrowed(pool)
    raising(pool)
    borrowed(pool)
    closed = [(c, c.closed) for c in factory.made]
    assert [n for _, n in closed] == [1, 0], (
        f"a block that ends, one that raises, one that ends: (connection, times closed) are "
        f"{closed}; expected the first closed once (its second block raised), the new one "
        "not at all")
