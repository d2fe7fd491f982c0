"""Connections are made lazily, only when no idle one is there, and a block that ends
normally gives its connection back to be lent again."""

import pytest
from _support import Factory, borrowed, borrowers_of
from connection_pool import ConnectionPool

from harness.testing import within

pytestmark = pytest.mark.reuse


def test_no_connection_is_made_before_one_is_asked_for():
    factory = Factory()
    pool = ConnectionPool(factory, 3)
    assert factory.made == [], (
        f"ConnectionPool(factory, 3) called factory() {len(factory.made)} times; expected "
        "none: connections are made lazily, when a block asks for one")
    assert pool.created == 0, f"a new pool's created is {pool.created}, expected 0"


def test_the_block_gets_a_connection_made_by_the_factory():
    factory = Factory()
    pool = ConnectionPool(factory, 3)
    got = borrowed(pool)
    assert factory.made and got is factory.made[0], (
        f"`with pool.connection() as conn:` on a new pool gave conn = {got!r}; expected the "
        f"connection factory() made ({factory.made})")
    assert pool.created == 1, f"after one block, created is {pool.created}, expected 1"


def test_a_connection_given_back_is_lent_again():
    factory = Factory()
    pool = ConnectionPool(factory, 3)
    got = [borrowed(pool) for _ in range(4)]
    assert len(factory.made) == 1 and all(conn is factory.made[0] for conn in got), (
        f"4 blocks one after the other on a pool of 3 got {got}; expected the same connection "
        f"each time (factory() was called {len(factory.made)} times): a block that ends gives "
        "its connection back, and an idle connection is lent again before a new one is made")
    assert pool.created == 1, f"after it, created is {pool.created}, expected 1"
    assert factory.made[0].closed == 0, (
        f"{factory.made[0]!r} was closed {factory.made[0].closed} times by blocks that ended "
        "normally; a connection given back stays open, idle in the pool")


def test_blocks_at_once_get_different_connections():
    factory = Factory()
    pool = ConnectionPool(factory, 3)
    holding = borrowers_of(pool, 3)
    conns = [b.conn for b in holding]
    for borrower in holding:
        borrower.leave()
    assert len({id(c) for c in conns}) == 3, (
        f"3 blocks at once on a pool of 3 got {conns}; expected 3 different connections: a "
        "connection in use is never lent to another block")
    assert pool.created == 3 and len(factory.made) == 3, (
        f"3 blocks at once: created is {pool.created}, factory() called {len(factory.made)} "
        "times, expected 3 and 3")


def test_nested_blocks_get_different_connections():
    factory = Factory()
    pool = ConnectionPool(factory, 2)
    got = within(pool, "connection", body=lambda outer: (outer, borrowed(pool)))
    assert got[0] is not got[1], (
        f"`with pool.connection() as a:` then inside it `with pool.connection() as b:` gave "
        f"a = {got[0]!r}, b = {got[1]!r}; expected two different connections")
    assert pool.created == 2, f"two nested blocks: created is {pool.created}, expected 2"


def test_idle_connections_are_lent_before_new_ones_are_made():
    factory = Factory()
    pool = ConnectionPool(factory, 4)
    first = borrowers_of(pool, 2)
    before = {id(b.conn) for b in first}
    for borrower in first:
        borrower.leave()
    again = borrowers_of(pool, 2)
    after = [b.conn for b in again]
    made = len(factory.made)
    for borrower in again:
        borrower.leave()
    assert made == 2 and {id(c) for c in after} == before, (
        f"2 blocks at once on a pool of 4, then, after they ended, 2 more at once: those got "
        f"{after}, and factory() was called {made} times in all; expected the 2 idle "
        "connections again and no new one: a connection is made only when no idle one is left")
    more = borrowers_of(pool, 3)
    for borrower in more:
        borrower.leave()
    assert len(factory.made) == 3 and pool.created == 3, (
        f"then 3 blocks at once with 2 idle connections: factory() was called "
        f"{len(factory.made)} times in all and created is {pool.created}; expected 3: the 2 "
        "idle ones, and one new")


def test_created_counts_what_the_factory_made():
    factory = Factory()
    pool = ConnectionPool(factory, 5)
    seen = []
    for count in (1, 3, 2, 5):
        holding = borrowers_of(pool, count)
        for borrower in holding:
            borrower.leave()
        seen.append((pool.created, len(factory.made)))
    assert seen == [(1, 1), (3, 3), (3, 3), (5, 5)], (
        f"1, 3, 2, then 5 blocks at once on a pool of 5: (created, factory calls) after each "
        f"round were {seen}; expected [(1, 1), (3, 3), (3, 3), (5, 5)]")
