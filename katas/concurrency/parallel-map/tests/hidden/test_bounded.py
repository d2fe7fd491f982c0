"""At most `workers` at once: seen from when each call really ran (its span), and the
calls do run together, up to `workers` of them."""

import pytest
from parallel_map import parallel_map

from harness.testing import learner_function, most_at_once, rendezvous

pytestmark = pytest.mark.bounded


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_never_more_than_workers_calls_at_once(workers):
    items = list(range(7))
    spans = parallel_map(learner_function("span", seconds=0.03), items, workers=workers)
    assert [s[0] for s in spans] == items, (
        f"parallel_map(span, {items}, workers={workers}) returned the spans of items "
        f"{[s[0] for s in spans]}; expected {items}")
    most = most_at_once(spans)
    assert most <= workers, (
        f"parallel_map(fn, 7 items, workers={workers}): {most} calls of fn were running at "
        f"the same time; expected at most {workers}: the items beyond the workers wait "
        "their turn (a pool of that many threads), not a thread per item")


@pytest.mark.parametrize("workers", [2, 3])
def test_workers_calls_do_run_together(workers):
    meet = rendezvous(workers, timeout=5.0)
    items = list(range(2 * workers))
    got = parallel_map(meet, items, workers=workers)
    assert got == items, f"parallel_map(identity, {items}, workers={workers}) returned {got!r}"
    assert meet.filled, (
        f"parallel_map(fn, {len(items)} items, workers={workers}) never had {workers} calls "
        f"inside fn at the same time (fn waited 5 s for the others to come in): the calls "
        "ran one after another. Submit every item to the pool before waiting for any result")


def test_more_workers_than_items():
    got = parallel_map(learner_function("square"), [1, 2, 3], workers=16)
    assert got == [1, 4, 9], f"parallel_map(square, [1, 2, 3], workers=16) returned {got!r}"


def test_the_default_is_four_workers():
    items = list(range(10))
    spans = parallel_map(learner_function("span", seconds=0.05), items)
    most = most_at_once(spans)
    assert most <= 4, (
        f"parallel_map(fn, 10 items) (workers=4 by default): {most} calls of fn were running "
        "at the same time; expected at most 4")
    meet = rendezvous(4, timeout=5.0)
    parallel_map(meet, items)
    assert meet.filled, (
        "parallel_map(fn, 10 items) (workers=4 by default) never had 4 calls inside fn at "
        "the same time (fn waited 5 s for the others to come in)")
