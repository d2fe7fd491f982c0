"""Many threads at once, with thread switches forced inside your code (seeded)."""

import pytest

import counter as learner
from counter import Counter
from harness.testing import race_seeds, run_threads

pytestmark = pytest.mark.threads

THREADS, EACH = 6, 30
SEEDS = race_seeds(4)


def hammer(target, seed):
    return run_threads(target, threads=THREADS, switching=[learner], seed=seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_increment_is_lost(seed):
    counter = Counter(100)
    hammer(lambda: [counter.increment() for _ in range(EACH)], seed)
    want = 100 + THREADS * EACH
    assert counter.value == want, (
        f"{THREADS} threads x {EACH} increment() from 100 left value {counter.value}, expected "
        f"{want} (seed={seed}): `+=` is read, add, write; a lock must cover all three")


@pytest.mark.parametrize("seed", SEEDS)
def test_every_caller_is_returned_a_different_value(seed):
    counter = Counter(100)
    results = hammer(lambda: [counter.increment() for _ in range(EACH)], seed)
    returned = sorted(v for values in results for v in values)
    want = list(range(101, 101 + THREADS * EACH))
    duplicates = len(returned) - len(set(returned))
    assert returned == want, (
        f"{THREADS} threads x {EACH} increment() were returned {duplicates} duplicate values "
        f"(seed={seed}); each call must get the value after ITS change: read it before "
        "releasing the lock")


@pytest.mark.parametrize("seed", SEEDS)
def test_no_decrement_is_lost(seed):
    counter = Counter(0)
    results = hammer(lambda: [counter.decrement(2) for _ in range(EACH)], seed)
    returned = sorted(v for values in results for v in values)
    assert counter.value == -2 * THREADS * EACH and len(set(returned)) == len(returned), (
        f"{THREADS} threads x {EACH} decrement(2) left {counter.value}, expected "
        f"{-2 * THREADS * EACH}, with {len(returned) - len(set(returned))} duplicate "
        f"return values (seed={seed})")


@pytest.mark.parametrize("seed", SEEDS)
def test_increments_and_decrements_cancel_out(seed):
    counter = Counter(0)
    hammer(lambda: [counter.increment(3) and counter.decrement(3) for _ in range(EACH)], seed)
    assert counter.value == 0, (f"increment(3) then decrement(3) in {THREADS} threads left "
                                f"{counter.value}, expected 0 (seed={seed})")


@pytest.mark.parametrize("seed", SEEDS)
def test_compare_and_set_is_atomic_with_increments(seed):
    counter = Counter(0)

    def work(i):
        for _ in range(EACH // 3):
            if i % 2:
                counter.increment()
            else:
                while True:  # add one by compare-and-set, retrying when beaten
                    seen = counter.value
                    if counter.compare_and_set(seen, seen + 1):
                        break

    run_threads(work, threads=THREADS, args=lambda i: (i,), switching=[learner], seed=seed)
    want = THREADS * (EACH // 3)
    assert counter.value == want, (
        f"half the threads increment(), half add 1 with a compare_and_set loop; value is "
        f"{counter.value}, expected {want} (seed={seed}): compare_and_set must take the same "
        "lock as increment, or an increment lands between its check and its write")


@pytest.mark.parametrize("seed", SEEDS)
def test_only_one_compare_and_set_wins(seed):
    counter = Counter(0)
    won = hammer(lambda: counter.compare_and_set(0, 1), seed)
    assert sum(won) == 1 and counter.value == 1, (
        f"{THREADS} threads called compare_and_set(0, 1): {sum(won)} were told they won "
        f"(seed={seed}); exactly one may win")
