"""harness.testing: fake time, scripted randomness, and forced thread switches that break races."""

from __future__ import annotations

import importlib.util
import sys
import threading
import time

import pytest

from harness import busy
from harness.testing import (
    FakeClock,
    FakeSleep,
    RaceError,
    SequenceRNG,
    forced_switching,
    race_seeds,
    run_threads,
    time_against_dict,
)

COUNTERS = '''
import threading


class Unlocked:
    def __init__(self):
        self.value = 0

    def increment(self):
        self.value += 1
        return self.value


class Locked:
    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()

    def increment(self):
        with self.lock:
            self.value += 1
            return self.value


class ReturnsOutsideTheLock(Locked):
    def increment(self):
        with self.lock:
            self.value += 1
        return self.value
'''


@pytest.fixture(scope="module")
def counters(tmp_path_factory):
    path = tmp_path_factory.mktemp("learner") / "counters.py"
    path.write_text(COUNTERS)
    spec = importlib.util.spec_from_file_location("counters_under_test", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def _hammer(counter, seed, switching):
    return run_threads(lambda: [counter.increment() for _ in range(200)], threads=8,
                       switching=switching, seed=seed)


@pytest.mark.parametrize("seed", race_seeds(5))
def test_forced_switching_breaks_an_unlocked_counter_for_every_seed(counters, seed):
    counter = counters.Unlocked()
    _hammer(counter, seed, [counters])
    assert counter.value < 1600


def test_without_forced_switching_the_unlocked_counter_survives(counters):
    """Why the helper exists: on CPython 3.11 the race does not show by itself."""
    counter = counters.Unlocked()
    _hammer(counter, 0, [])
    if sys.version_info[:2] == (3, 11):
        assert counter.value == 1600


@pytest.mark.parametrize("seed", race_seeds(3))
def test_a_locked_counter_is_exact_under_forced_switching(counters, seed):
    counter = counters.Locked()
    returned = sorted(v for values in _hammer(counter, seed, [counters]) for v in values)
    assert counter.value == 1600 and returned == list(range(1, 1601))


@pytest.mark.parametrize("seed", race_seeds(3))
def test_return_values_read_outside_the_lock_are_caught(counters, seed):
    counter = counters.ReturnsOutsideTheLock()
    returned = sorted(v for values in _hammer(counter, seed, [counters]) for v in values)
    assert counter.value == 1600
    assert returned != list(range(1, 1601))


def test_an_exception_in_a_thread_names_the_seed():
    def explode():
        raise KeyError("boom")

    with pytest.raises(RaceError, match=r"thread \d raised KeyError: 'boom' \(seed=42\)") as e:
        run_threads(explode, threads=2, seed=42)
    assert e.value.seed == 42 and isinstance(e.value.__cause__, KeyError)


def test_a_deadlock_is_reported_in_time():
    never = threading.Event()
    with pytest.raises(RaceError, match=r"probably deadlocked.*seed=5"):
        run_threads(never.wait, threads=2, seed=5, timeout=0.5)


def test_a_stuck_message_says_how_long_it_waited():
    from harness.testing import waited

    assert waited(5.0, time.monotonic() - 5.1) == "5 s"
    told = waited(5.0, time.monotonic() - 12.25)
    assert told.startswith("12.") and "the 5-s timeout, stretched" in told, told


def _cpu_work(seconds: float) -> None:
    """Uses `seconds` of this thread's CPU time, however long the machine makes it take."""
    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_threads_starved_on_a_loaded_machine_are_waited_for_past_the_timeout(loaded_machine):
    """Three times as many busy processes as cores: 1.1 s of CPU (one core at most, the
    GIL's) takes several seconds. They run, so a busy machine is no deadlock
    (harness.busy); the extensions may give them the timeout again in CPU, and they need
    a tenth of it, having had at least a tenth of a core until the timeout."""
    began = time.monotonic()
    assert run_threads(lambda: _cpu_work(0.55), threads=2, seed=3, timeout=1.0) == [None] * 2
    assert time.monotonic() - began > 1.0  # it did outlast the timeout, and was waited for


def test_a_deadlock_on_a_loaded_machine_is_still_reported_near_its_timeout(loaded_machine):
    """Threads that are blocked use no CPU, however busy the machine: no extension beyond
    the first look, long before the backstop."""
    never = threading.Event()
    began = time.monotonic()
    with pytest.raises(RaceError, match=r"probably deadlocked.*seed=6"):
        run_threads(never.wait, threads=2, seed=6, timeout=0.5)
    assert time.monotonic() - began < 0.5 + 4 * busy.PROBE < busy.backstop(0.5)


def test_tracing_is_restored_after_the_context(counters):
    before = sys.gettrace()
    with forced_switching(counters, seed=1):
        counters.Unlocked().increment()
    assert sys.gettrace() is before


def test_results_come_back_in_thread_order():
    assert run_threads(lambda i: i * i, threads=4, args=lambda i: (i,)) == [0, 1, 4, 9]


def test_fake_clock_and_sleep():
    clock = FakeClock()
    assert clock() == 1000.0
    assert clock.advance(2.5) == 1002.5
    with pytest.raises(ValueError):
        clock.advance(-1)
    with pytest.raises(ValueError):
        clock.set(1)
    sleep = FakeSleep(clock)
    sleep(0.5)
    sleep(1.5)
    assert sleep.delays == [0.5, 1.5] and sleep.total == 2.0 and clock.now == 1004.5
    with pytest.raises(ValueError):
        sleep(-1)


def test_sequence_rng_cycles():
    rng = SequenceRNG([0.1, 0.9])
    assert [rng() for _ in range(5)] == [0.1, 0.9, 0.1, 0.9, 0.1]
    with pytest.raises(ValueError):
        SequenceRNG([])


class _DictLike:
    """get/put over a dict: the same work as the plain dict, give or take a call."""

    def __init__(self):
        self.data = {}

    def get(self, key):
        return self.data.get(key)

    def put(self, key, value):
        self.data[key] = value


class _Scanning(_DictLike):
    """Every get walks a list of 20,000 keys: O(n)."""

    def __init__(self):
        super().__init__()
        self.order = list(range(20_000))

    def get(self, key):
        self.order.remove(self.order[-1])
        self.order.append(key)
        return self.data.get(key)


MAPPING = [("get", "get", 1), ("put", "__setitem__", 2)]


def test_time_against_dict_passes_a_dict_and_stops_an_o_n_structure_early():
    fast = time_against_dict(_DictLike(), MAPPING, weights=[1, 1], keys=1_000,
                             operations=20_000, limit=25)
    assert fast["ratio"] <= 25 and fast["done"] == 20_000 and fast["rounds"] >= 1, fast
    assert fast["dict_seconds"] > 0 and fast["seconds"] > 0
    slow = time_against_dict(_Scanning(), MAPPING, weights=[1, 1], keys=1_000,
                             operations=20_000, limit=1.5, rounds=2)
    assert slow["ratio"] > 3 and slow["rounds"] == 2 and slow["done"] < 20_000, slow


def test_time_against_dict_needs_a_weight_per_method():
    with pytest.raises(ValueError):
        time_against_dict(_DictLike(), MAPPING, weights=[1], keys=10, operations=10, limit=25)
