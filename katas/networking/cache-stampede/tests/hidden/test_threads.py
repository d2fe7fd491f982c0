"""Many threads at once on a few keys, with thread switches forced at random bytecodes of
your module (seeded: a failure names its seed, and the same seed replays it)."""

import threading

import pytest

import cache_stampede as learner
from cache_stampede import TTLCache
from harness.testing import FakeClock, call_each, learner_function, race_seeds, run_threads

pytestmark = pytest.mark.threads

THREADS, ROUNDS = 6, 3
KEYS = ["k0", "k1", "k2", "k3"]
SEEDS = race_seeds(3)


class Loader:
    """Counts its calls; returns f"{key}#{call}"."""

    def __init__(self, key):
        self.key = key
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            self.calls += 1
            return f"{self.key}#{self.calls}"


def frozen_clock():
    """A clock that always says t=1000, made in your process (no call crosses to the tests)."""
    return learner_function("identity", x=1000.0)


def hammer(cache, loaders, seed, rounds=ROUNDS):
    def work(i):
        got = []
        for _ in range(rounds):
            for key in KEYS[i % len(KEYS):] + KEYS[:i % len(KEYS)]:
                got.append((key, cache.get_or_load(key, loaders[key])))
        return got

    results = run_threads(work, threads=THREADS, args=lambda i: (i,), switching=[learner],
                          seed=seed, timeout=15.0)
    return [pair for got in results for pair in got]


def check_one_load_each(loaders, pairs, seed, when):
    calls = {key: loader.calls for key, loader in loaders.items()}
    assert all(n == 1 for n in calls.values()), (
        f"{THREADS} threads x {ROUNDS} rounds of get_or_load over {KEYS} {when}: the "
        f"loaders ran {calls} times; expected once per key (seed={seed}). 'Is a load in "
        "flight? else start one' must be one step under the lock")
    seen = {key: sorted({value for k, value in pairs if k == key}) for key in KEYS}
    assert all(len(values) == 1 for values in seen.values()), (
        f"the threads were given these values per key: {seen} (seed={seed}); expected one "
        "value per key, the one its single load returned")


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_each_key_is_loaded_once_by_many_threads(seed):
    cache = TTLCache(60.0, clock=frozen_clock())
    loaders = {key: Loader(key) for key in KEYS}
    pairs = hammer(cache, loaders, seed)
    check_one_load_each(loaders, pairs, seed, "on an empty cache")
    assert {value for _, value in pairs} == {f"{key}#1" for key in KEYS}, pairs


@pytest.mark.parametrize("seed", SEEDS[1:])
def test_each_expired_key_is_reloaded_once_by_many_threads(seed):
    clock = FakeClock(1000.0)
    cache = TTLCache(60.0, clock=clock)
    for key in KEYS:
        cache.get_or_load(key, lambda: "stale")
    clock.set(1060.0)
    loaders = {key: Loader(key) for key in KEYS}
    pairs = hammer(cache, loaders, seed, rounds=1)
    check_one_load_each(loaders, pairs, seed, "once every key had expired")
    stale = sorted({key for key, value in pairs if value == "stale"})
    assert not stale, (f"threads were served the expired value of {stale} at t=1060 "
                       f"(ttl 60, loaded at 1000) (seed={seed})")


@pytest.mark.parametrize("seed", SEEDS[:1])
def test_invalidations_between_herds_each_cause_one_load(seed):
    cache = TTLCache(60.0, clock=frozen_clock())
    loaders = {key: Loader(key) for key in KEYS}
    hammer(cache, loaders, seed, rounds=1)
    for key in KEYS[:2]:
        cache.invalidate(key)
    pairs = hammer(cache, loaders, seed + 1, rounds=1)
    calls = {key: loader.calls for key, loader in loaders.items()}
    assert calls == {"k0": 2, "k1": 2, "k2": 1, "k3": 1}, (
        f"two herds of get_or_load over {KEYS}, with invalidate('k0') and invalidate('k1') "
        f"between them: the loaders ran {calls} times; expected k0 and k1 twice, k2 and k3 "
        f"once (seed={seed})")
    assert {v for k, v in pairs if k in ("k0", "k1")} == {"k0#2", "k1#2"}, pairs


@pytest.mark.parametrize("seed", SEEDS)
def test_threads_meeting_on_new_keys_share_one_load_each(seed):
    cache = TTLCache(60.0, clock=frozen_clock())
    loader = learner_function("span", x="value", seconds=0.0)  # (x, pid, start, end)
    keys = [f"new{j}" for j in range(20)]

    def work():
        return call_each(cache, "get_or_load", [(key, loader) for key in keys])

    results = run_threads(work, threads=THREADS, switching=[learner], seed=seed, timeout=15.0)
    split = [key for j, key in enumerate(keys) if len({tuple(got[j]) for got in results}) > 1]
    assert not split, (
        f"{THREADS} threads called get_or_load on the same {len(keys)} new keys in the same "
        f"order (each in one batch, in your process): for {split[:5]} they were given "
        f"values of different loads, so the loader ran more than once (seed={seed}). "
        "Whatever a key's state lives in (a flight, a lock per key), creating it must be "
        "one step under a lock")
