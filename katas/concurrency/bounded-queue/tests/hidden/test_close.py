"""close(): every blocked caller wakes; put raises Closed; get drains, then raises Closed."""

import time

import pytest
from _support import finished, shown, start
from bounded_queue import BoundedQueue, Closed

pytestmark = pytest.mark.close


def answer(call, what, why=""):
    thread, box = start(call)
    return finished(thread, box, what, why)


def closed(got):
    return got[0] == "raised" and isinstance(got[1], Closed)


def test_get_returns_the_queued_items_then_raises_closed():
    queue = BoundedQueue(3)
    for item in ["a", "b"]:
        queue.put(item)
    queue.close()
    got = [answer(queue.get, "get() on a closed queue") for _ in range(3)]
    assert got[:2] == [("returned", "a"), ("returned", "b")] and closed(got[2]), (
        f"put a, b; close(); get() x3: {[shown(g) for g in got]}; expected 'a', 'b', then "
        "Closed: a closed queue still hands out what it holds")


@pytest.mark.parametrize("timeout", [None, 0, 0.05, 30])
def test_get_on_a_closed_empty_queue_raises_closed_whatever_the_timeout(timeout):
    queue = BoundedQueue(2)
    queue.put("a")
    queue.get()
    queue.close()
    got = answer(lambda: queue.get(timeout=timeout), f"get(timeout={timeout}) on a closed queue",
                 ": a closed empty queue will never get an item, so get must not wait")
    assert closed(got), (
        f"put, get, close(), then get(timeout={timeout}) {shown(got)}; expected Closed: once "
        "a closed queue is empty, every get raises Closed")


@pytest.mark.parametrize("timeout", [None, 0, 30])
def test_put_after_close_raises_closed_and_adds_nothing(timeout):
    queue = BoundedQueue(3)
    queue.put("a")
    queue.close()
    got = answer(lambda: queue.put("b", timeout=timeout),
                 f"put('b', timeout={timeout}) after close()")
    assert closed(got), (
        f"put('a'); close(); put('b', timeout={timeout}) {shown(got)}; expected Closed")
    rest = [answer(queue.get, "get() on a closed queue") for _ in range(2)]
    assert rest[0] == ("returned", "a") and closed(rest[1]), (
        f"then get() x2: {[shown(g) for g in rest]}; expected 'a', then Closed: a put "
        "refused by a closed queue adds nothing")


def test_put_on_a_closed_full_queue_raises_closed_not_full():
    queue = BoundedQueue(1)
    queue.put("a")
    queue.close()
    got = answer(lambda: queue.put("b", timeout=0), "put('b', timeout=0) on a closed full queue")
    assert closed(got), f"a full queue, closed: put('b', timeout=0) {shown(got)}; expected Closed"


@pytest.mark.parametrize("timeout", [None, 30])
def test_close_wakes_every_waiting_get(timeout):
    queue = BoundedQueue(2)
    waiting = [start(lambda: queue.get(timeout=timeout)) for _ in range(3)]
    time.sleep(0.1)  # lets them start waiting
    early = [shown(box[0]) for _, box in waiting if box]
    assert not early, f"get(timeout={timeout}) on an empty queue did not wait: {early}"
    queue.close()
    got = [finished(t, box, f"one of 3 get(timeout={timeout}) waiting on an empty queue",
                    " after close(): close must wake every waiter (notify_all)")
           for t, box in waiting]
    assert all(closed(g) for g in got), (
        f"3 get(timeout={timeout}) waiting on an empty queue, then close(): they "
        f"{[shown(g) for g in got]}; expected each to raise Closed")


@pytest.mark.parametrize("timeout", [None, 30])
def test_close_wakes_every_waiting_put(timeout):
    queue = BoundedQueue(1)
    queue.put("a")
    waiting = [start(lambda i=i: queue.put(f"p{i}", timeout=timeout)) for i in range(3)]
    time.sleep(0.1)  # lets them start waiting
    early = [shown(box[0]) for _, box in waiting if box]
    assert not early, f"put(timeout={timeout}) on a full queue did not wait: {early}"
    queue.close()
    got = [finished(t, box, f"one of 3 put(timeout={timeout}) waiting on a full queue",
                    " after close(): close must wake every waiter (notify_all)")
           for t, box in waiting]
    assert all(closed(g) for g in got), (
        f"3 put(timeout={timeout}) waiting on a full queue, then close(): they "
        f"{[shown(g) for g in got]}; expected each to raise Closed")
    rest = [answer(queue.get, "get() on a closed queue") for _ in range(2)]
    assert rest[0] == ("returned", "a") and closed(rest[1]), (
        f"then get() x2: {[shown(g) for g in rest]}; expected 'a' then Closed: the puts woken "
        "by close() add nothing")


def test_close_wakes_waiting_puts_and_gets_of_two_queues_alike():
    full, empty = BoundedQueue(1), BoundedQueue(1)
    full.put("a")
    waiting = [start(lambda: full.put("b")), start(empty.get)]
    time.sleep(0.1)
    full.close()
    empty.close()
    got = [finished(t, box, what, " after close()") for (t, box), what
           in zip(waiting, ["put('b') on a full queue", "get() on an empty queue"],
                                       strict=True)]
    assert all(closed(g) for g in got), (
        f"put waiting on a full queue and get on an empty one, then close() on both: "
        f"{[shown(g) for g in got]}; expected Closed for both")
