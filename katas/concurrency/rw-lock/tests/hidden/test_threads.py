"""Many threads reading and writing at once, with thread switches forced inside your code
(seeded): a writer is never inside beside anyone, and nothing deadlocks."""

import random

import pytest

import rw_lock as learner
from harness.testing import forced_switching, learner_function, no_deadlock, race_seeds, within
from rw_lock import ReadWriteLock

pytestmark = pytest.mark.threads

THREADS, EACH = 6, 8
SEEDS = race_seeds(3)


def overlaps(first, second):
    return first[2] < second[3] and second[2] < first[3]


def mixed_run(seed, writers_share):
    """Each thread takes the lock EACH times, as a writer with probability writers_share;
    inside, a function of the learner's process notes when it ran (start, end)."""
    lock = ReadWriteLock()
    spans = [[] for _ in range(THREADS)]
    plan = random.Random(seed)
    kinds = [["write" if plan.random() < writers_share else "read" for _ in range(EACH)]
             for _ in range(THREADS)]
    inside = learner_function("span", seconds=0.002)

    def work(index):
        for kind in kinds[index]:
            spans[index].append((kind, within(lock, f"{kind}_lock", body=inside)))

    with forced_switching(learner, seed=seed), no_deadlock(15.0, seed=seed) as run:
        for index in range(THREADS):
            run(lambda index=index: work(index))
    return [span for spans_of in spans for span in spans_of]


def clashes(spans):
    found = []
    for i, (kind, span) in enumerate(spans):
        if kind != "write":
            continue
        for j, (other_kind, other) in enumerate(spans):
            if i != j and overlaps(span, other):
                found.append(f"a writer inside from {span[2]:.4f} to {span[3]:.4f} s and a "
                             f"{'writer' if other_kind == 'write' else 'reader'} inside from "
                             f"{other[2]:.4f} to {other[3]:.4f} s")
    return found


@pytest.mark.parametrize("seed", SEEDS)
def test_a_writer_is_never_inside_beside_anyone(seed):
    spans = mixed_run(seed, writers_share=0.3)
    found = clashes(spans)
    assert not found, (
        f"{THREADS} threads x {EACH} blocks of read_lock()/write_lock() (3 in 10 writes), "
        f"switches forced in your code (seed={seed}): {len(found)} times a writer was inside "
        f"beside another thread, e.g. {found[0]}; every change of the counts must happen "
        "while holding your internal lock")


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_mostly_readers_with_a_few_writers_never_clash(seed):
    spans = mixed_run(seed + 1, writers_share=0.1)
    found = clashes(spans)
    assert not found, (
        f"{THREADS} threads x {EACH} blocks, 1 in 10 a write, switches forced in your code "
        f"(seed={seed + 1}): {len(found)} times a writer was inside beside another thread, "
        f"e.g. {found[0]}")
