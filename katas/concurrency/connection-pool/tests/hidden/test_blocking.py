"""With every connection in use, connection() waits for one to be given back or thrown
away, without using the CPU, and gives up with PoolExhausted once its timeout (the call's,
else the pool's) has passed.

The timeouts are short and real (the API takes no clock), with margins no loaded machine
can flip: a call must not give up much before its timeout, and must return within seconds.

The file is named for the task `blocking` and runs first: the CPU measure is cleanest in a
learner process that the forced-switching runs of test_threads have not yet filled with
threads."""

import time

import pytest
from _support import LIMIT, Borrower, Factory, borrowed, finished, shown, start
from connection_pool import ConnectionPool, PoolExhausted

from harness.testing import cpu_while_waiting, hold, learner_stacks

pytestmark = pytest.mark.blocking


@pytest.fixture
def full():
    """A pool of 1 (made by `full(timeout)`) whose connection a block is using."""
    made = []

    def make(timeout=None):
        factory = Factory()
        pool = ConnectionPool(factory, 1, timeout)
        busy = Borrower(pool)
        made.append(busy)
        assert busy.entered(), "the first block of a pool of 1 got no connection"
        return pool, factory, busy

    yield make
    for busy in made:
        busy.leave()


def settle():
    """Waits (2 s at most) until a thread of the learner's process is seen blocked inside
    connection_pool.py, so that starting the call is not measured with its waiting."""
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline and "connection_pool.py" not in learner_stacks():
        time.sleep(0.02)


def exhausted(got):
    return got[0] == "raised" and isinstance(got[1], PoolExhausted)


def test_a_full_pool_raises_pool_exhausted_once_the_timeout_passes(full):
    pool, factory, _ = full()
    began = time.monotonic()
    got = finished(*start(lambda: borrowed(pool, 0.5)), "connection(timeout=0.5) on a full pool")
    waited = time.monotonic() - began
    assert exhausted(got), (
        f"connection(timeout=0.5) on a pool of 1 whose connection is in use {shown(got)}; "
        "expected PoolExhausted")
    assert waited >= 0.45, (
        f"connection(timeout=0.5) on a full pool raised PoolExhausted after {waited:.3f} s: "
        "it must wait for the timeout before giving up")
    assert len(factory.made) == 1 and pool.created == 1, (
        f"factory() was called {len(factory.made)} times, created is {pool.created}; expected "
        "1: a full pool makes no more connections")


def test_the_pools_timeout_applies_when_the_call_gives_none(full):
    pool, _, _ = full(timeout=0.05)
    got = finished(*start(lambda: borrowed(pool)),
                   "connection() on a full ConnectionPool(factory, 1, timeout=0.05)",
                   ": with no timeout of its own, the call waits the pool's")
    assert exhausted(got), (
        f"connection() on a full ConnectionPool(factory, 1, timeout=0.05) {shown(got)}; "
        "expected PoolExhausted")


def test_the_calls_timeout_wins_over_a_longer_one_of_the_pool(full):
    pool, _, _ = full(timeout=60)
    got = finished(*start(lambda: borrowed(pool, 0.05)),
                   "connection(timeout=0.05) on a full pool whose timeout is 60",
                   ": the call's own timeout wins over the pool's")
    assert exhausted(got), (
        f"connection(timeout=0.05) on a full pool whose timeout is 60 {shown(got)}; expected "
        "PoolExhausted")


def test_timeout_zero_does_not_wait(full):
    pool, _, _ = full(timeout=60)
    got = finished(*start(lambda: borrowed(pool, 0)),
                   "connection(timeout=0) on a full pool whose timeout is 60",
                   ": timeout=0 is the call's own timeout, not 'no timeout' (careful: "
                   "`timeout or self.timeout` treats 0 like None)")
    assert exhausted(got), (
        f"connection(timeout=0) on a full pool {shown(got)}; expected PoolExhausted")


def test_the_calls_timeout_wins_over_a_shorter_one_of_the_pool(full):
    pool, _, busy = full(timeout=0.05)
    thread, box = start(lambda: borrowed(pool, 30))
    time.sleep(0.3)
    early = list(box)
    busy.leave()
    got = finished(thread, box, "connection(timeout=30) on a full pool whose timeout is 0.05",
                   ", then the connection was given back")
    assert not early and got == ("returned", busy.conn), (
        f"connection(timeout=30) on a full pool whose timeout is 0.05, then after 0.3 s the "
        f"connection was given back: the call {shown(early[0] if early else got)}; expected "
        f"it to wait for its own 30 s and get {busy.conn!r}")


def test_a_waiting_call_gets_the_connection_given_back_without_using_the_cpu():
    factory = Factory()
    pool = ConnectionPool(factory, 1)
    busy = hold(pool, "connection")  # a thread of your process inside the block
    try:
        assert busy.entered(LIMIT), f"the first block of a pool of 1 got no connection " \
            f"({busy.error})"
        thread, box = start(lambda: borrowed(pool))
        settle()
        used = cpu_while_waiting(0.4)
        early = list(box)
    finally:
        busy.release()
    got = finished(thread, box, "connection() on a full pool",
                   ", after the connection was given back: giving a connection back must "
                   "wake a caller waiting for one")
    assert not early, f"connection() on a full pool {shown(early[0])} instead of waiting"
    assert got[0] == "returned" and len(factory.made) == 1 and got[1] is factory.made[0], (
        f"connection() waiting on a full pool of 1, then its connection was given back: the "
        f"call {shown(got)} (factory() called {len(factory.made)} times); expected the "
        "connection given back")
    assert not used.busy, (
        f"connection() waiting on a full pool used {used.seconds:.3f} s of CPU in "
        f"{used.wall:.1f} s: wait on a threading.Condition (or a Semaphore), do not poll")


def test_a_waiting_call_gets_a_new_connection_when_the_busy_one_is_thrown_away(full):
    pool, factory, busy = full()
    thread, box = start(lambda: borrowed(pool))
    time.sleep(0.1)
    busy.leave(raising=True)
    got = finished(thread, box, "connection() on a full pool",
                   ", after the block using the connection raised: throwing a connection "
                   "away must wake a caller waiting for one")
    assert got[0] == "returned" and got[1] is not busy.conn and len(factory.made) == 2, (
        f"connection() waiting on a full pool of 1, then the busy block raised: the call "
        f"{shown(got)} (factory() called {len(factory.made)} times); expected a new connection")


def test_each_waiting_call_gets_a_connection():
    factory = Factory()
    pool = ConnectionPool(factory, 2)
    busy = [Borrower(pool) for _ in range(2)]
    assert all(b.entered() for b in busy), "2 blocks on a pool of 2 did not both get in"
    waiting = [Borrower(pool) for _ in range(2)]
    time.sleep(0.1)
    early = [w.entered(0) for w in waiting]
    for borrower in busy:
        borrower.leave()
    deadline = time.monotonic() + LIMIT
    got = [w.entered(max(0.0, deadline - time.monotonic())) for w in waiting]
    conns = [w.conn for w in waiting]
    for borrower in waiting:
        borrower.leave()
    assert not any(early), "a pool of 2 with 2 blocks busy lent a connection to a third"
    assert all(got) and {id(c) for c in conns} == {id(b.conn) for b in busy}, (
        f"2 blocks waiting on a full pool of 2, then both busy connections were given back: "
        f"{sum(got)} waiting block(s) got in within {LIMIT:g} s, with {conns}; expected both, "
        "one with each connection given back: each return must wake a waiting caller")
    assert len(factory.made) == 2, f"factory() was called {len(factory.made)} times, expected 2"


def test_a_call_that_timed_out_takes_nothing(full):
    pool, factory, busy = full()
    for _ in range(3):
        finished(*start(lambda: borrowed(pool, 0.02)), "connection(timeout=0.02)")
    busy.leave()
    got = finished(*start(lambda: borrowed(pool, 2.0)), "connection(timeout=2.0)")
    assert got == ("returned", busy.conn) and len(factory.made) == 1, (
        f"3 calls timed out on a full pool of 1, then its connection was given back; the next "
        f"call {shown(got)} (factory() called {len(factory.made)} times); expected "
        f"{busy.conn!r}, idle again")
