"""Examples of what the hidden tests check. Run them with: python -m pytest"""

import threading

import pytest

from cache_stampede import TTLCache
from harness.testing import FakeClock


class Counting:
    """A loader that counts its calls and returns f"v{call}"."""

    def __init__(self):
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            self.calls += 1
            return f"v{self.calls}"


@pytest.mark.expiry
def test_served_until_t_plus_ttl_exclusive():
    clock = FakeClock(1000.0)
    cache = TTLCache(10.0, clock=clock)
    loader = Counting()
    assert cache.get_or_load("a", loader) == "v1"
    clock.set(1009.5)
    assert cache.get_or_load("a", loader) == "v1"  # fresh: served from the cache
    clock.set(1010.0)
    assert cache.get_or_load("a", loader) == "v2"  # at t + ttl it has expired
    cache.invalidate("a")
    assert cache.get_or_load("a", loader) == "v3"


@pytest.mark.single_flight
def test_a_herd_loads_once():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    gate, calls = threading.Event(), []

    def slow_loader():
        calls.append(1)
        gate.wait(5)  # hold the load open while the others arrive
        return "value"

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_load("k", slow_loader)))
               for _ in range(5)]
    for thread in threads:
        thread.start()
    threading.Event().wait(0.1)
    gate.set()
    for thread in threads:
        thread.join(5)
    assert len(calls) == 1 and results == ["value"] * 5


@pytest.mark.errors
def test_a_failure_is_raised_and_not_cached():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))

    def failing():
        raise ConnectionError("backend down")

    with pytest.raises(ConnectionError):
        cache.get_or_load("a", failing)
    assert cache.get_or_load("a", lambda: "ok") == "ok"  # loads again


@pytest.mark.threads
def test_many_threads_many_keys():
    cache = TTLCache(60.0, clock=FakeClock(1000.0))
    loaders = {key: Counting() for key in "abc"}
    threads = [threading.Thread(target=lambda: [cache.get_or_load(k, loaders[k]) for k in "abc"])
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert all(loader.calls == 1 for loader in loaders.values())
