"""put waits while full and get while empty, without using the CPU; timeouts raise Full or
Empty once they pass; the queue is built without the standard library's queues.

A "still waiting" check costs a short real wait, paid by every solution; the timeouts are
short and real (the API takes no clock), with margins no loaded machine can flip: a call
must not return much before its timeout, and must return within seconds after it."""

import time

import bounded_queue
import pytest
from _support import finished, shown, start
from bounded_queue import BoundedQueue, Empty, Full

from harness.testing import call_each, cpu_while_waiting, imported_modules

pytestmark = pytest.mark.blocking


def test_get_waits_for_an_item_without_using_the_cpu():
    queue = BoundedQueue(2)
    thread, box = start(queue.get)
    used = cpu_while_waiting(0.3)
    early = list(box)
    queue.put("x")
    got = finished(thread, box, "get() on an empty queue",
                   ": put('x') must wake a consumer waiting in get()")
    assert not early, (
        f"get() on an empty queue {shown(early[0])} instead of waiting for an item")
    assert got == ("returned", "x"), f"get() waiting on an empty queue, then put('x'): it " \
        f"{shown(got)}, expected 'x'"
    assert not used.busy, (
        f"get() on an empty queue used {used.seconds:.3f} s of CPU in {used.wall:.1f} s while "
        "it waited: wait on a threading.Condition (or a Semaphore), do not poll in a loop")


def test_put_waits_for_room_without_using_the_cpu():
    queue = BoundedQueue(1)
    queue.put("a")
    thread, box = start(lambda: queue.put("b"))
    used = cpu_while_waiting(0.3)
    early = list(box)
    first = queue.get()
    got = finished(thread, box, "put('b') on a full queue",
                   ": get() must wake a producer waiting in put()")
    assert not early, (
        f"put('b') on a full BoundedQueue(1) {shown(early[0])} instead of waiting for room")
    assert (first, got, queue.get(timeout=0)) == ("a", ("returned", None), "b"), (
        f"put('b') waiting on a full queue holding 'a', then get() returned {first!r}; the put "
        f"{shown(got)}; expected 'a', then the put to add 'b'")
    assert not used.busy, (
        f"put() on a full queue used {used.seconds:.3f} s of CPU in {used.wall:.1f} s while it "
        "waited: wait on a threading.Condition (or a Semaphore), do not poll in a loop")


@pytest.mark.parametrize("puts", ["one by one", "back to back"])
def test_each_waiting_consumer_gets_its_own_item(puts):
    """Back to back, the three puts run one after another in your process before any
    consumer can run: waking a consumer only when the queue goes from empty to one item
    wakes just one of them."""
    queue = BoundedQueue(3)
    waiting = [start(queue.get) for _ in range(3)]
    time.sleep(0.1)  # lets them start waiting (if they have not yet, get() still succeeds)
    if puts == "one by one":
        for item in ["a", "b", "c"]:
            queue.put(item)
    else:
        call_each(queue, "put", [("a",), ("b",), ("c",)])
    got = [finished(t, box, "one of 3 get() on an empty queue",
                    f" after put a, b, c {puts}: each put must wake a waiting consumer, not "
                    "only the put that finds the queue empty")
           for t, box in waiting]
    values = sorted(value for kind, value in got if kind == "returned")
    assert values == ["a", "b", "c"], (
        f"3 get() waiting, then put a, b, c {puts}: they {[shown(g) for g in got]}, expected "
        "each to return one of a, b, c")


def test_get_with_a_timeout_raises_empty_once_it_passes():
    queue = BoundedQueue(2)
    began = time.monotonic()
    thread, box = start(lambda: queue.get(timeout=0.05))
    got = finished(thread, box, "get(timeout=0.05) on an empty queue")
    waited = time.monotonic() - began
    assert got[0] == "raised" and isinstance(got[1], Empty), (
        f"get(timeout=0.05) on an empty queue {shown(got)}, expected Empty")
    assert waited >= 0.035, (
        f"get(timeout=0.05) on an empty queue raised Empty after {waited:.3f} s: it must wait "
        "for the timeout before giving up")


def test_put_with_a_timeout_raises_full_once_it_passes():
    queue = BoundedQueue(1)
    queue.put("a")
    began = time.monotonic()
    thread, box = start(lambda: queue.put("b", timeout=0.05))
    got = finished(thread, box, "put('b', timeout=0.05) on a full queue")
    waited = time.monotonic() - began
    assert got[0] == "raised" and isinstance(got[1], Full), (
        f"put('b', timeout=0.05) on a full queue {shown(got)}, expected Full")
    assert waited >= 0.035, (
        f"put('b', timeout=0.05) on a full queue raised Full after {waited:.3f} s: it must wait "
        "for the timeout before giving up")
    rest = (queue.qsize(), queue.get())
    assert rest == (1, "a"), f"after it: qsize, get gave {rest}, expected (1, 'a')"


def test_get_with_a_timeout_returns_an_item_put_in_time():
    queue = BoundedQueue(2)
    thread, box = start(lambda: queue.get(timeout=30))
    time.sleep(0.1)
    queue.put("x")
    got = finished(thread, box, "get(timeout=30) on an empty queue, then put('x')")
    assert got == ("returned", "x"), (
        f"get(timeout=30) waiting on an empty queue, then put('x'): it {shown(got)}, "
        "expected 'x': a timeout is how long to wait at most, the item ends the wait")


def test_put_with_a_timeout_adds_its_item_once_there_is_room():
    queue = BoundedQueue(1)
    queue.put("a")
    thread, box = start(lambda: queue.put("b", timeout=30))
    time.sleep(0.1)
    first = queue.get()
    got = finished(thread, box, "put('b', timeout=30) on a full queue, then get()")
    assert (first, got, queue.get(timeout=0)) == ("a", ("returned", None), "b"), (
        f"put('b', timeout=30) waiting on a full queue holding 'a', then get() returned "
        f"{first!r} and the put {shown(got)}; expected 'a', then the put to add 'b'")


FORBIDDEN = ("queue", "multiprocessing", "asyncio")


def test_is_built_without_the_standard_library_queues():
    found = imported_modules(bounded_queue)
    used = {name: found.uses(name, loaded=name == "queue") for name in FORBIDDEN}
    used = {name: evidence for name, evidence in used.items() if evidence}
    assert not used, (
        "bounded_queue uses " + "; ".join(f"{name}: {', '.join(e)}" for name, e in used.items())
        + ". Build the queue yourself from threading (a Condition or Semaphores) and a deque: "
        "the queue module, multiprocessing and asyncio queues are not allowed")
