"""First in, first out; qsize; maxsize below 1 refused; timeout=0 answers at once."""

import pytest
from _support import LIMIT, shown, start
from bounded_queue import BoundedQueue, Empty, Full

pytestmark = pytest.mark.fifo


def answer(call, what):
    """What `call()` did, as ("returned", value) or ("raised", exception), run in a thread
    so that a call that waits forever fails the test instead of hanging it."""
    thread, box = start(call)
    thread.join(LIMIT)
    if not box:
        pytest.fail(f"{what} was still waiting after {LIMIT:g} s; expected it to answer at once")
    return box[0]


def test_items_come_out_in_the_order_they_went_in():
    queue = BoundedQueue(5)
    for item in ["a", "b", "c"]:
        queue.put(item)
    got = [queue.get(), queue.get()]
    queue.put("d")
    queue.put("e")
    got += [queue.get(), queue.get(), queue.get()]
    assert got == ["a", "b", "c", "d", "e"], (
        f"put a, b, c; get x2; put d, e; get x3 returned {got}, expected a, b, c, d, e: "
        "first in, first out")


def test_a_full_queue_keeps_its_order_through_many_rounds():
    queue = BoundedQueue(3)
    got = []
    for i in range(3):
        queue.put(i)
    for i in range(3, 12):
        got.append(queue.get())
        queue.put(i)
    got += [queue.get() for _ in range(3)]
    assert got == list(range(12)), (
        f"BoundedQueue(3), kept full while 12 items passed through: got {got}, expected "
        f"{list(range(12))}")


def test_any_value_is_an_item_none_included():
    queue = BoundedQueue(4)
    items = [None, 0, "", ("t", 1)]
    for item in items:
        queue.put(item)
    got = [queue.get() for _ in items]
    assert got == items, f"put {items} then get x4 returned {got}: None and falsy values are items"


def test_qsize_counts_the_items_held():
    queue = BoundedQueue(3)
    sizes = [queue.qsize()]
    for item in "xyz":
        queue.put(item)
        sizes.append(queue.qsize())
    queue.get()
    sizes.append(queue.qsize())
    assert sizes == [0, 1, 2, 3, 2], (
        f"qsize() after each step (new, put x3, get) was {sizes}, expected [0, 1, 2, 3, 2]")


@pytest.mark.parametrize("maxsize", [0, -1, -5])
def test_a_maxsize_below_one_raises_value_error(maxsize):
    try:
        got = BoundedQueue(maxsize)
    except ValueError:
        return
    except Exception as exc:  # the wrong kind of error teaches too
        pytest.fail(f"BoundedQueue({maxsize}) raised {type(exc).__name__}; expected ValueError")
    pytest.fail(f"BoundedQueue({maxsize}) returned {got!r}; expected ValueError: a queue "
                "needs room for at least one item")


def test_maxsize_one_holds_one_item():
    queue = BoundedQueue(1)
    queue.put("a")
    got = answer(lambda: queue.put("b", timeout=0), "put('b', timeout=0) on BoundedQueue(1)")
    assert got[0] == "raised" and isinstance(got[1], Full), (
        f"BoundedQueue(1) holding 'a': put('b', timeout=0) {shown(got)}, expected Full")
    assert queue.get() == "a" and queue.qsize() == 0


def test_put_with_timeout_zero_on_a_full_queue_raises_full_at_once():
    queue = BoundedQueue(2)
    queue.put("a")
    queue.put("b")
    got = answer(lambda: queue.put("c", timeout=0), "put('c', timeout=0) on a full queue")
    assert got[0] == "raised" and isinstance(got[1], Full), (
        f"a full BoundedQueue(2): put('c', timeout=0) {shown(got)}, expected Full")
    rest = (queue.qsize(), queue.get(), queue.get())
    assert rest == (2, "a", "b"), (
        f"after the refused put: qsize, get, get gave {rest}, expected (2, 'a', 'b'): a put "
        "that raised Full adds nothing")


def test_get_with_timeout_zero_on_an_empty_queue_raises_empty_at_once():
    queue = BoundedQueue(2)
    got = answer(lambda: queue.get(timeout=0), "get(timeout=0) on an empty queue")
    assert got[0] == "raised" and isinstance(got[1], Empty), (
        f"an empty queue: get(timeout=0) {shown(got)}, expected Empty")


def test_timeout_zero_succeeds_when_it_can():
    queue = BoundedQueue(2)
    first = answer(lambda: queue.put("a", timeout=0), "put('a', timeout=0) on an empty queue")
    second = answer(lambda: queue.get(timeout=0), "get(timeout=0) on a queue holding 'a'")
    assert (first, second) == (("returned", None), ("returned", "a")), (
        f"put('a', timeout=0) {shown(first)}, then get(timeout=0) {shown(second)}; expected "
        "them to succeed: timeout=0 only refuses when there is no room or no item")


def test_timeout_zero_on_a_queue_emptied_again_raises_empty():
    queue = BoundedQueue(3)
    queue.put(1)
    queue.put(2)
    queue.get()
    queue.get()
    got = answer(lambda: queue.get(timeout=0), "get(timeout=0) after put x2, get x2")
    assert got[0] == "raised" and isinstance(got[1], Empty), (
        f"put 1, 2; get x2; get(timeout=0) {shown(got)}, expected Empty")
