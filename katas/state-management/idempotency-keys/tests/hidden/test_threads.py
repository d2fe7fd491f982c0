"""Many threads at once on a few keys, with thread switches forced at random bytecodes of
your module (seeded: a failure names its seed, and the same seed replays it)."""

import threading

import idempotency as learner
import pytest
from _support import outcome
from idempotency import IdempotencyStore

from harness.testing import FakeClock, call_each, learner_function, race_seeds, run_threads

pytestmark = pytest.mark.threads

THREADS, ROUNDS = 6, 2
KEYS = ["k0", "k1", "k2", "k3"]
SEEDS = race_seeds(3)
# seconds the threads of a test are given: they finish in about one; on a loaded machine
# the wait goes on while your process still uses CPU (starved, not deadlocked), so only a
# deadlock waits this long
LOADED = 20.0


class Handler:
    """Counts its runs; returns f"{key}#{run}"."""

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


def hammer(idem, handlers, seed, rounds=ROUNDS, fingerprint=lambda i: "fp"):
    """THREADS threads, each calling execute(key, fingerprint(i), handlers[key]) for every key
    `rounds` times, starting at a key of its own; returns (thread, key, outcome) triples."""
    def work(i):
        got = []
        for _ in range(rounds):
            for key in KEYS[i % len(KEYS):] + KEYS[:i % len(KEYS)]:
                got.append((i, key, outcome(
                    lambda key=key: idem.execute(key, fingerprint(i), handlers[key]))))
        return got

    results = run_threads(work, threads=THREADS, args=lambda i: (i,), switching=[learner],
                          seed=seed, timeout=LOADED)
    return [triple for got in results for triple in got]


def check_one_run_each(handlers, triples, seed, when):
    runs = {key: handler.calls for key, handler in handlers.items()}
    assert all(n == 1 for n in runs.values()), (
        f"{THREADS} threads x {ROUNDS} rounds of execute(key, 'fp', handler) over {KEYS} "
        f"{when}: the handlers ran {runs} times; expected once per key (seed={seed}). 'Is it "
        "stored? is it running? else I run it' must be one step under the lock")
    seen = {key: sorted({str(o) for _, k, o in triples if k == key}) for key in KEYS}
    assert all(len(outcomes) == 1 for outcomes in seen.values()), (
        f"the threads got these outcomes per key: {seen} (seed={seed}); expected one per "
        "key, the response of its single run")


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_each_key_runs_once_under_many_threads(seed):
    idem = IdempotencyStore(60.0, clock=frozen_clock())
    handlers = {key: Handler(key) for key in KEYS}
    triples = hammer(idem, handlers, seed)
    check_one_run_each(handlers, triples, seed, "on a new store")
    assert {o for _, _, o in triples} == {("returned", f"{key}#1") for key in KEYS}, triples


@pytest.mark.parametrize("seed", SEEDS[1:])
def test_each_expired_key_runs_once_again_under_many_threads(seed):
    clock = FakeClock(1000.0)
    idem = IdempotencyStore(60.0, clock=clock)
    for key in KEYS:
        idem.execute(key, "fp", lambda: "old")
    clock.set(1100.0)
    handlers = {key: Handler(key) for key in KEYS}
    triples = hammer(idem, handlers, seed, rounds=1)
    check_one_run_each(handlers, triples, seed, "once every key had expired")
    old = sorted({key for _, key, o in triples if o == ("returned", "old")})
    assert not old, (f"threads were given the expired response of {old} at t=1100 (ttl 60, "
                     f"stored at 1000) (seed={seed})")


@pytest.mark.parametrize("seed", SEEDS)
def test_two_requests_racing_for_each_key_one_wins(seed):
    idem = IdempotencyStore(60.0, clock=frozen_clock())
    handlers = {key: Handler(key) for key in KEYS}
    triples = hammer(idem, handlers, seed, rounds=2, fingerprint=lambda i: f"fp{i % 2}")
    runs = {key: handler.calls for key, handler in handlers.items()}
    wrong = {}
    for key in KEYS:
        by_fp = {}
        for i, k, o in triples:
            if k == key:
                by_fp.setdefault(f"fp{i % 2}", set()).add(str(o))
        winners = [fp for fp, outcomes in by_fp.items() if outcomes != {"('conflict',)"}]
        if len(winners) != 1 or len(by_fp[winners[0]]) != 1:
            wrong[key] = by_fp
    assert all(n == 1 for n in runs.values()) and not wrong, (
        f"{THREADS} threads, half with fingerprint 'fp0' and half with 'fp1', called execute "
        f"on the same keys {KEYS} (seed={seed}): the handlers ran {runs} times and the "
        f"outcomes per key and fingerprint were {wrong or 'fine'}; expected one run per key, "
        "its fingerprint's calls all given its response, the other fingerprint's calls all "
        "IdempotencyConflict")


@pytest.mark.parametrize("seed", SEEDS)
def test_threads_meeting_on_new_keys_share_one_run_each(seed):
    idem = IdempotencyStore(60.0, clock=frozen_clock())
    handler = learner_function("span", x="response", seconds=0.0)  # (x, pid, start, end)
    keys = [f"new{j}" for j in range(20)]

    def work():
        return call_each(idem, "execute", [(key, "fp", handler) for key in keys])

    results = run_threads(work, threads=THREADS, switching=[learner], seed=seed, timeout=LOADED)
    split = [key for j, key in enumerate(keys) if len({tuple(got[j]) for got in results}) > 1]
    assert not split, (
        f"{THREADS} threads called execute(key, 'fp', handler) on the same {len(keys)} new "
        f"keys in the same order (each in one batch, in your process): for {split[:5]} they "
        f"were given responses of different runs, so the handler ran more than once "
        f"(seed={seed}). Claiming a key must be one step under a lock")
