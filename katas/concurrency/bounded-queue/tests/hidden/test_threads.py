"""Many producers and consumers at once, with thread switches forced inside your code
(seeded: a failure names the seed that replays it). `call_each` runs a thread's calls in
one message, so the threads of your process call the queue back to back, together."""

import bounded_queue as learner
import pytest
from bounded_queue import BoundedQueue, Closed, Empty, Full

from harness.testing import call_each, race_seeds, run_threads

pytestmark = pytest.mark.threads

SEEDS = race_seeds(2)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_more_puts_succeed_than_there_is_room(seed):
    maxsize, threads, each = 4, 6, 6
    queues = [BoundedQueue(maxsize) for _ in range(6)]

    def fill(i):
        for queue in queues:
            try:  # put(item, timeout=0) until the first Full
                call_each(queue, "put", [((i, n), 0) for n in range(each)])
            except Full:
                pass

    run_threads(fill, threads=threads, args=lambda i: (i,), switching=[learner], seed=seed)
    sizes = [queue.qsize() for queue in queues]
    assert sizes == [maxsize] * len(queues), (
        f"{threads} threads each put(item, timeout=0) until Full into {len(queues)} empty "
        f"BoundedQueue({maxsize}), one after the other: their qsize() are then {sizes}, "
        f"expected {maxsize} each (seed={seed}): the check for room and the append must "
        "happen under one lock, with timeout=0 too")


@pytest.mark.parametrize("seed", SEEDS[:1])
def test_each_item_is_got_exactly_once(seed):
    queue = BoundedQueue(6)
    for n in range(6):
        queue.put(n)

    def drain():
        got = []
        for _ in range(3):
            try:
                got.append(queue.get(timeout=0))
            except Empty:
                pass
        return got

    got = sorted(v for values in run_threads(drain, threads=5, switching=[learner], seed=seed)
                 for v in values)
    assert got == list(range(6)), (
        f"6 items, 5 threads x 3 get(timeout=0): they got {got}, expected each of 0..5 once "
        f"(seed={seed})")


@pytest.mark.parametrize("seed", SEEDS)
def test_producers_and_consumers_hand_over_every_item_in_order(seed):
    producers, consumers, each = 3, 3, 40
    queue = BoundedQueue(1)

    def work(i):
        if i < producers:
            call_each(queue, "put", [((i, n),) for n in range(each)])
            return []
        return call_each(queue, "get", [()] * each)

    results = run_threads(work, threads=producers + consumers, args=lambda i: (i,),
                          switching=[learner], seed=seed, timeout=10.0)
    got = [tuple(item) for values in results[producers:] for item in values]
    want = [(i, n) for i in range(producers) for n in range(each)]
    assert sorted(got) == want, (
        f"{producers} producers x {each} put, {consumers} consumers x {each} get through a "
        f"BoundedQueue(1): the consumers got {len(got)} items, {len(set(got))} different, "
        f"expected each of the {len(want)} once (seed={seed})")
    for values in results[producers:]:
        for p in range(producers):
            mine = [n for i, n in values if i == p]
            assert mine == sorted(mine), (
                f"a consumer got producer {p}'s items in the order {mine} (seed={seed}): "
                "first in, first out means a consumer never gets an older item after a newer")
    assert queue.qsize() == 0, f"qsize() is {queue.qsize()} after all were got (seed={seed})"


@pytest.mark.parametrize("seed", SEEDS)
def test_close_under_load_wakes_everyone(seed):
    queue = BoundedQueue(1)

    def work(i):
        if i == 0:
            for n in range(4):
                queue.put(n)
            queue.close()
            return "closed"
        got = []
        while True:
            try:
                got.append(queue.get())
            except Closed:
                return got

    results = run_threads(work, threads=4, args=lambda i: (i,), switching=[learner],
                          seed=seed, timeout=20.0)
    got = sorted(v for values in results[1:] for v in values)
    assert got == [0, 1, 2, 3], (
        f"one producer puts 0..3 then close(); 3 consumers get until Closed: they got {got}, "
        f"expected 0, 1, 2, 3 once each (seed={seed})")
