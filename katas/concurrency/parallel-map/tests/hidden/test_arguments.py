"""Arguments checked: a mode other than "thread" or "process", or fewer than one worker,
is a ValueError, whatever the items."""

import _support
import pytest
from parallel_map import parallel_map

from harness.testing import learner_function

pytestmark = pytest.mark.arguments

ITEMS = {"three items": [1, 2, 3], "no items": []}


@pytest.mark.parametrize("mode", ["threads", "Thread", "processes", "", None, "async"])
@pytest.mark.parametrize("items", list(ITEMS), ids=list(ITEMS))
def test_an_unknown_mode_is_a_value_error(mode, items):
    value, error = _support.outcome_of(
        lambda: parallel_map(learner_function("square"), ITEMS[items], mode=mode))
    assert isinstance(error, ValueError), (
        f"parallel_map(square, {ITEMS[items]}, mode={mode!r}) "
        f"{_support.outcome(value, error)}; expected ValueError: mode is \"thread\" or "
        "\"process\", anything else is refused (also when there is nothing to map)")


@pytest.mark.parametrize("workers", [0, -1])
@pytest.mark.parametrize("items", list(ITEMS), ids=list(ITEMS))
def test_fewer_than_one_worker_is_a_value_error(workers, items):
    value, error = _support.outcome_of(
        lambda: parallel_map(learner_function("square"), ITEMS[items], workers=workers))
    assert isinstance(error, ValueError), (
        f"parallel_map(square, {ITEMS[items]}, workers={workers}) "
        f"{_support.outcome(value, error)}; expected ValueError: at least one worker "
        "(also when there is nothing to map)")


def test_one_worker_is_enough():
    value, error = _support.outcome_of(
        lambda: parallel_map(learner_function("square"), [1, 2, 3], workers=1))
    assert error is None and value == [1, 4, 9], (
        f"parallel_map(square, [1, 2, 3], workers=1) {_support.outcome(value, error)}; "
        "expected [1, 4, 9]: one worker runs the calls one after another")
