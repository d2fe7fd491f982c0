"""The first error, once all calls are done: the exception of the first failing item in
input order, raised only when no call of the map is running any more."""

import _support
import pytest
from parallel_map import parallel_map

from harness.testing import learner_function

pytestmark = pytest.mark.errors


def test_an_exception_of_fn_reaches_the_caller():
    items = [0, 1, 2, 3, 4]
    value, error = _support.outcome_of(
        lambda: parallel_map(learner_function("raise_on", values=[2]), items, workers=2))
    assert isinstance(error, ValueError) and error.args == ("raise_on", 2), (
        f"parallel_map(fn, {items}, workers=2), where fn(2) raises ValueError('raise_on', 2), "
        f"{_support.outcome(value, error)}; expected that ValueError itself, as fn raised it")


def test_the_first_failing_item_in_input_order_wins():
    # items 1 and 3 fail; 3 at once, 1 only when the test lets it go, once 3 has ended
    script = learner_function("script", gated=[1], raises=[1, 3], timeout=15.0)
    text = "parallel_map(fn, [0, 1, 2, 3], workers=4)"
    call = _support.Running(lambda: parallel_map(script, [0, 1, 2, 3], workers=4), text)
    try:
        assert script.wait_ended(3, 15.0), f"{text}: fn(3) was never called"
        call.still_running(0.2)
    finally:
        script.open()
    call.finish()
    assert isinstance(call.error, ValueError) and call.error.args == ("script", 1), (
        f"{text}, where fn(3) raises first and fn(1) later (calls ended in the order "
        f"{script.ended}), {call.outcome()}; expected ValueError('script', 1): the first "
        "failing item in INPUT order, not the first call to fail")


def test_the_exception_waits_for_the_calls_still_running():
    # fn(0) raises once fn(1) has started; fn(1) runs until the test lets it go
    script = learner_function("script", after_start={0: 1}, gated=[1], raises=[0],
                              timeout=15.0)
    text = "parallel_map(fn, [0, 1], workers=2)"
    call = _support.Running(lambda: parallel_map(script, [0, 1], workers=2), text)
    try:
        assert script.wait_ended(0, 15.0), f"{text}: fn(0) was never called"
        returned_early = not call.still_running(0.3)
        running = script.running
    finally:
        script.open()
    call.finish()
    assert not returned_early, (
        f"{text}, where fn(0) raises while fn(1) is still running, {call.outcome()} while "
        f"{running} call(s) of fn were still running; expected it to wait until fn(1) had "
        "finished and then raise fn(0)'s error: a map that has returned must not have calls "
        "still running behind the caller's back")
    assert isinstance(call.error, ValueError) and call.error.args == ("script", 0), (
        f"{text}, where fn(0) raises and fn(1) returns later, {call.outcome()}; expected "
        "ValueError('script', 0)")
    assert script.running == 0


def test_an_error_after_other_results_is_still_raised():
    items = list(range(12))
    value, error = _support.outcome_of(
        lambda: parallel_map(learner_function("raise_on", values=[11]), items, workers=3))
    assert isinstance(error, ValueError) and error.args == ("raise_on", 11), (
        f"parallel_map(fn, list(range(12)), workers=3), where only fn(11) raises, "
        f"{_support.outcome(value, error)}; expected ValueError('raise_on', 11)")
