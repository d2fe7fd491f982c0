"""Results in input order: [fn(x) for x in items], however the calls are scheduled."""

import parallel_map as learner
import pytest
from parallel_map import parallel_map

from harness.testing import forced_switching, learner_function, race_seeds

pytestmark = pytest.mark.in_order


def test_squares_come_back_in_input_order():
    items = [3, 1, 2, 5, 4]
    got = parallel_map(learner_function("square"), items)
    assert got == [9, 1, 4, 25, 16], (
        f"parallel_map(square, {items}) returned {got!r}; expected [9, 1, 4, 25, 16]: one "
        "result per item, in the order of the items")


def test_an_empty_list_gives_an_empty_list():
    got = parallel_map(learner_function("square"), [])
    assert got == [], f"parallel_map(square, []) returned {got!r}; expected []"


def test_results_keep_input_order_when_later_items_finish_first():
    # item 0 ends after 1, 1 after 2, 2 after 3: the calls end in reverse order
    script = learner_function("script", after_end={0: 1, 1: 2, 2: 3}, timeout=3.0)
    got = parallel_map(script, [0, 1, 2, 3], workers=4)
    assert got == [0, 1, 2, 3], (
        f"parallel_map(identity, [0, 1, 2, 3], workers=4), with the calls ending in the order "
        f"{script.ended}, returned {got!r}; expected [0, 1, 2, 3]: results go in the order of "
        "the items, not the order the calls end in")


def test_the_same_item_twice_gives_its_result_twice():
    items = [2, 3, 2, 2, 3]
    got = parallel_map(learner_function("square"), items, workers=2)
    assert got == [4, 9, 4, 4, 9], (
        f"parallel_map(square, {items}, workers=2) returned {got!r}; expected [4, 9, 4, 4, 9]: "
        "one result per position; results kept in a dict keyed by the item lose the repeats")


def test_many_items_over_few_workers_keep_their_order():
    items = list(range(60))
    got = parallel_map(learner_function("identity"), items, workers=3)
    assert got == items, (
        f"parallel_map(identity, list(range(60)), workers=3) returned {got!r}; expected "
        "list(range(60))")


def test_any_result_value_comes_back_as_it_is():
    items = ["a", None, (1, 2), 0, [], {"k": 1}]
    got = parallel_map(learner_function("identity"), items)
    assert got == items, (
        f"parallel_map(identity, {items!r}) returned {got!r}: a result of None, 0 or [] is a "
        "result like any other")


def test_thread_mode_runs_the_calls_in_your_own_process():
    own = learner_function("getpid")()
    got = parallel_map(learner_function("getpid"), [1, 2, 3])
    assert got == [own] * 3, (
        f"parallel_map(getpid, [1, 2, 3]) (mode='thread' by default) returned {got}; your "
        f"process is {own}: the default mode runs the calls in threads of your process")


@pytest.mark.parametrize("seed", race_seeds(3))
def test_every_item_is_mapped_once_under_forced_thread_switches(seed):
    items = list(range(40))
    with forced_switching(learner, seed=seed):
        spans = parallel_map(learner_function("span", seconds=0.0), items, workers=4)
    got = [s[0] for s in spans]
    assert got == items, (
        f"parallel_map(fn, list(range(40)), workers=4), with thread switches forced inside "
        f"your code (seed={seed}), returned the results of items {got}; expected each item "
        "once, in order: two threads took the same item (a shared index or list changed "
        "without a lock?)")
