"""Examples of what the hidden tests check."""

import threading
import time

import pytest
from bounded_queue import BoundedQueue, Closed, Empty, Full


@pytest.mark.fifo
def test_first_in_first_out():
    queue = BoundedQueue(3)
    for item in "abc":
        queue.put(item)
    assert queue.qsize() == 3
    assert [queue.get(), queue.get(), queue.get()] == ["a", "b", "c"]


@pytest.mark.fifo
def test_timeout_zero_never_waits():
    queue = BoundedQueue(1)
    with pytest.raises(Empty):
        queue.get(timeout=0)
    queue.put("a")
    with pytest.raises(Full):
        queue.put("b", timeout=0)


@pytest.mark.fifo
def test_maxsize_must_be_at_least_one():
    with pytest.raises(ValueError):
        BoundedQueue(0)


@pytest.mark.blocking
def test_get_waits_for_a_put():
    queue = BoundedQueue(1)
    got = []
    consumer = threading.Thread(target=lambda: got.append(queue.get()))
    consumer.start()
    time.sleep(0.05)
    queue.put("x")
    consumer.join(5)
    assert got == ["x"]


@pytest.mark.blocking
def test_get_times_out_with_empty():
    queue = BoundedQueue(1)
    with pytest.raises(Empty):
        queue.get(timeout=0.05)


@pytest.mark.close
def test_close_drains_then_raises_closed():
    queue = BoundedQueue(2)
    queue.put("a")
    queue.close()
    with pytest.raises(Closed):
        queue.put("b")
    assert queue.get() == "a"
    with pytest.raises(Closed):
        queue.get()


@pytest.mark.threads
def test_producers_and_consumers():
    queue = BoundedQueue(2)
    got = []
    consumers = [threading.Thread(target=lambda: got.extend(queue.get() for _ in range(50)))
                 for _ in range(2)]
    for thread in consumers:
        thread.start()
    for n in range(100):
        queue.put(n)
    for thread in consumers:
        thread.join(10)
    assert sorted(got) == list(range(100))
