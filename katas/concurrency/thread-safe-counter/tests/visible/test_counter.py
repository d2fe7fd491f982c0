"""Examples of what the hidden tests check."""

import threading

import pytest

from counter import Counter


@pytest.mark.counting
def test_increment_returns_the_new_value():
    counter = Counter(10)
    assert counter.increment() == 11
    assert counter.increment(5) == 16
    assert counter.value == 16


@pytest.mark.compare_and_set
def test_compare_and_set():
    counter = Counter(3)
    assert counter.compare_and_set(3, 7) is True
    assert counter.compare_and_set(3, 9) is False
    assert counter.value == 7


@pytest.mark.threads
def test_threads_do_not_lose_increments():
    counter = Counter()
    threads = [threading.Thread(target=lambda: [counter.increment() for _ in range(1000)])
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counter.value == 4000
