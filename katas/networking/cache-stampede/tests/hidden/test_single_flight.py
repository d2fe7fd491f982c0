"""Single flight: a herd of threads on one missing or expired key runs the loader once and
all get its value; a slow load of one key never blocks another key. The loaders are the
tests' own: they count their calls and hold the load open until the herd is waiting, so
the race window is real (a load that lets the others in would be seen)."""

import threading
import time

import pytest

import _support
from cache_stampede import TTLCache
from harness.testing import FakeClock, no_deadlock

pytestmark = pytest.mark.single_flight

HERD = 8
WAIT = _support.WAIT  # seconds any event is waited for: only a wrong solution waits that long
BLOCKED = 5.0  # seconds a call of another key may wait while a load is held open (likewise)


class GatedLoader(_support.HeldLoader):
    """Counts its calls; each call waits until `gate` is set, then returns its value."""

    def __init__(self, *values):
        super().__init__()
        self.values = values or ("value",)

    def answer(self, n):
        return self.values[min(n, len(self.values)) - 1]


def let_the_herd_gather(loader, herd, timeout=3.0):
    """Waits until the loader has started and every caller is inside get_or_load (or the
    loader was called by all of them), then a little more for them to reach their wait."""
    assert loader.started.wait(WAIT), f"no call of the loader within {WAIT:g} s"
    _support.gather(loader, herd, timeout)


def herd_on(cache, key, loader, herd=HERD):
    """`herd` threads call get_or_load(key, loader) at once; returns their results."""
    try:
        with no_deadlock(WAIT + 5) as run:
            for _ in range(herd):
                run(lambda: cache.get_or_load(key, loader))
            let_the_herd_gather(loader, herd)
            loader.gate.set()
    finally:
        loader.gate.set()
    return [run.results[i] for i in range(herd)]


def test_a_herd_on_a_missing_key_runs_the_loader_once():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    loader = GatedLoader("v1")
    got = herd_on(cache, "hot", loader)
    assert loader.calls == 1, (
        f"{HERD} threads called get_or_load('hot', loader) at once on an empty cache: the "
        f"loader ran {loader.calls} times, expected once (single flight: the first caller "
        "loads, the others wait for its result)")
    assert got == ["v1"] * HERD, (
        f"{HERD} threads on one load got {got}; expected 'v1' for every one")


def test_a_herd_on_an_expired_key_loads_once_and_gets_the_new_value():
    clock = FakeClock(1000.0)
    cache = TTLCache(10.0, clock=clock)
    loader = GatedLoader("old", "new")
    loader.gate.set()
    cache.get_or_load("hot", loader)
    loader.gate.clear()
    loader.started.clear()
    clock.set(1010.0)
    got = herd_on(cache, "hot", loader)
    assert loader.calls == 2, (
        f"'hot' expired at t=1010 and {HERD} threads asked for it at once: the loader ran "
        f"{loader.calls - 1} times for them, expected once")
    assert got == ["new"] * HERD, (
        f"{HERD} threads on the reload of an expired key got {got}; expected 'new' for "
        "every one (the value of the load they waited for, never the expired one)")


def test_the_value_is_cached_after_a_herd():
    clock = FakeClock(1000.0)
    cache = TTLCache(10.0, clock=clock)
    loader = GatedLoader("v1")
    herd_on(cache, "hot", loader, herd=4)
    clock.advance(5.0)
    got = cache.get_or_load("hot", loader)
    assert got == "v1" and loader.calls == 1, (
        f"after a herd loaded 'hot', get_or_load('hot') 5 s later returned {got!r} with "
        f"{loader.calls} loads in all; expected 'v1' from the cache")


def call_in_thread(call):
    """Starts `call` in a thread; returns (done event, results list)."""
    done, results = threading.Event(), []

    def body():
        try:
            results.append(call())
        finally:
            done.set()

    threading.Thread(target=body, daemon=True).start()
    return done, results


def test_a_slow_load_of_one_key_does_not_block_another_key():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    a_started, b_loaded = threading.Event(), threading.Event()
    a_saw = []

    def load_a():
        a_started.set()
        a_saw.append(b_loaded.wait(BLOCKED))
        return "A"

    def load_b():
        b_loaded.set()
        return "B"

    with no_deadlock(WAIT + 5) as run:
        run(lambda: cache.get_or_load("a", load_a))
        assert a_started.wait(WAIT), "get_or_load('a', loader) did not call the loader"
        run(lambda: cache.get_or_load("b", load_b))
    assert a_saw == [True], (
        f"the load of 'a' waited {BLOCKED:g} s for the load of 'b' to run, in vain: a slow "
        "load of 'a' blocked the load of 'b'. Call the loader outside the lock (hold a lock "
        "only to look up and to publish)")
    assert sorted(run.results.values()) == ["A", "B"], run.results


def hold_a_load_open(cache, key, herd=1):
    """Starts `herd` calls of get_or_load(key) whose load is held open; returns the loader
    and the runner's list of calls (the caller joins them after setting the gate)."""
    loader = GatedLoader(f"{key}-value")
    starts = []
    for _ in range(herd):
        starts.append(call_in_thread(lambda: cache.get_or_load(key, loader)))
    let_the_herd_gather(loader, herd)
    return loader, starts


def test_a_caller_waiting_for_a_load_does_not_block_another_key():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    loader, starts = hold_a_load_open(cache, "a", herd=3)
    try:
        done, results = call_in_thread(lambda: cache.get_or_load("b", lambda: "B"))
        finished = done.wait(BLOCKED)
    finally:
        loader.gate.set()
    assert finished and results == ["B"], (
        f"while 'a' was loading with 2 callers waiting for it, get_or_load('b', ...) did not "
        f"return within {BLOCKED:g} s: a caller waiting for a load must not hold the lock "
        "that other keys need")
    for done, got in starts:
        assert done.wait(WAIT) and got == ["a-value"], got


def test_a_cached_key_is_served_while_another_key_loads():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    cache.get_or_load("c", lambda: "C")
    loader, starts = hold_a_load_open(cache, "a")
    try:
        done, results = call_in_thread(lambda: cache.get_or_load("c", lambda: "other"))
        finished = done.wait(BLOCKED)
    finally:
        loader.gate.set()
    assert finished and results == ["C"], (
        f"while 'a' was loading, get_or_load('c') of the cached 'c' gave {results} within "
        f"{BLOCKED:g} s; expected 'C' at once: a slow load of 'a' blocked a hit on 'c'")
    for done, _ in starts:
        assert done.wait(WAIT)


def test_callers_of_a_load_get_its_value_when_the_key_is_invalidated_meanwhile():
    cache = TTLCache(10.0, clock=FakeClock(1000.0))
    loader = GatedLoader("v1")
    try:
        with no_deadlock(WAIT + 5) as run:
            for _ in range(3):
                run(lambda: cache.get_or_load("a", loader))
            let_the_herd_gather(loader, 3)
            run(lambda: cache.invalidate("a"))
            time.sleep(0.05)
            loader.gate.set()
    finally:
        loader.gate.set()
    got = [run.results[i] for i in range(3)]
    assert got == ["v1"] * 3, (
        f"3 callers waited for a load of 'a' while invalidate('a') was called: they got "
        f"{got}; expected 'v1' for each (they asked before the invalidation; whether the "
        "value stays cached afterwards is up to you)")
