"""Many threads borrowing at once, with thread switches forced inside your code (seeded:
a failure names the seed that replays it): never more than `size` connections, none lent
to two blocks at once, none lent after its block raised, and no waiter left behind."""

import random
import threading
import time

import connection_pool as learner
import pytest
from _support import Boom, Factory
from connection_pool import ConnectionPool

from harness.testing import forced_switching, no_deadlock, race_seeds, within

pytestmark = pytest.mark.threads

SEEDS = race_seeds(2)
SIZE, THREADS, EACH = 2, 4, 6


class Watch:
    """What the blocks saw: connections lent to two blocks at once, or after their block
    raised."""

    def __init__(self, factory):
        self.factory = factory
        self.lock = threading.Lock()
        self.shared = []
        self.dead = set()
        self.revived = []

    def body(self, raises):
        def use(conn):
            with self.lock:
                if id(conn) in self.dead:
                    self.revived.append(conn)
                conn.users += 1
                if conn.users > 1:
                    self.shared.append(conn)
            time.sleep(0.001)  # a block that takes a moment: others come in meanwhile
            with self.lock:
                conn.users -= 1
                if raises:
                    self.dead.add(id(conn))
            if raises:
                self.factory.drop()
                raise Boom("raised inside the block")
            return conn
        return use


def run(seed, raise_share):
    factory = Factory()
    pool = ConnectionPool(factory, SIZE)
    watch = Watch(factory)
    plan = random.Random(seed)
    plans = [[plan.random() < raise_share for _ in range(EACH)] for _ in range(THREADS)]

    def work(index):
        for raises in plans[index]:
            try:
                within(pool, "connection", body=watch.body(raises))
            except Boom:
                pass

    with forced_switching(learner, seed=seed), no_deadlock(10.0, seed=seed) as start:
        for index in range(THREADS):
            start(lambda index=index: work(index))
    raised = sum(sum(p) for p in plans)
    return pool, factory, watch, raised


def story(raised):
    return (f"{THREADS} threads x {EACH} blocks on a pool of {SIZE}"
            + (f", {raised} of the blocks raising" if raised else ""))


@pytest.mark.parametrize("seed", SEEDS)
def test_blocks_at_once_never_share_and_never_exceed_the_size(seed):
    pool, factory, watch, _ = run(seed, raise_share=0)
    assert not watch.shared, (
        f"{story(0)}, switches forced in your code (seed={seed}): {len(watch.shared)} times a "
        f"connection was lent to a block while another was using it ({watch.shared[0]!r}); "
        "taking an idle connection must happen under the lock")
    made = len(factory.made)
    assert made <= SIZE and pool.created == made, (
        f"{story(0)} (seed={seed}): factory() was called {made} times, created is "
        f"{pool.created}; expected at most {SIZE}, and created equal to the calls: check "
        "the count and take the place under one lock")


@pytest.mark.parametrize("seed", SEEDS)
def test_blocks_that_raise_under_load_free_their_places(seed):
    pool, factory, watch, raised = run(seed + 1, raise_share=0.3)
    assert factory.peak <= SIZE, (
        f"{story(raised)}, switches forced in your code (seed={seed + 1}): {factory.peak} "
        f"connections existed at once, expected at most {SIZE}")
    assert not watch.shared and not watch.revived, (
        f"{story(raised)} (seed={seed + 1}): a connection was lent to two blocks at once "
        f"{len(watch.shared)} times, and lent again after its block raised "
        f"{len(watch.revived)} times; expected neither")
    closed = [c.closed for c in factory.made]
    assert sum(closed) == raised and max(closed) <= 1, (
        f"{story(raised)} (seed={seed + 1}): the connections were closed {closed} times; "
        f"expected {raised} closed once each, one per block that raised")
    assert pool.created == len(factory.made), (
        f"created is {pool.created}, factory() was called {len(factory.made)} times "
        f"(seed={seed + 1})")
