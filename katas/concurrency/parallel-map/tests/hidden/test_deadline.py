"""One timeout for the whole map: past it, the built-in TimeoutError, at once, without
waiting for the calls still running; a map that finishes in time is not one."""

import _support
import pytest
from parallel_map import parallel_map

from harness.testing import learner_function

pytestmark = pytest.mark.deadline


def test_a_map_past_its_timeout_raises_timeout_error_at_once():
    # both calls run until the test lets them go (or 15 s pass)
    script = learner_function("script", gated=[0, 1], timeout=15.0)
    text = "parallel_map(fn, [0, 1], workers=2, timeout=0.2)"
    try:
        call = _support.Running(
            lambda: parallel_map(script, [0, 1], workers=2, timeout=0.2), text)
        call.finish(25.0)
        ended = script.ended
    finally:
        script.open()
    assert isinstance(call.error, TimeoutError), (
        f"{text}, where both calls of fn block for 15 s, {call.outcome()}; expected "
        "TimeoutError (the built-in one) once the 0.2 s were over")
    assert ended == [], (
        f"{text}, where both calls of fn block for 15 s, raised TimeoutError only after the "
        "calls had ended; expected it at the timeout, without waiting for the calls still "
        "running (a `with` block around the pool waits for them when it ends)")


def test_the_timeout_is_for_the_whole_map_not_each_call():
    items = list(range(6))
    slow = learner_function("slow_identity", seconds=0.1)
    value, error = _support.outcome_of(
        lambda: parallel_map(slow, items, workers=1, timeout=0.3))
    assert isinstance(error, TimeoutError), (
        f"parallel_map(fn, {items}, workers=1, timeout=0.3), where each call sleeps 0.1 s "
        f"(0.6 s in all, one after another), {_support.outcome(value, error)}; expected "
        "TimeoutError: the timeout bounds the whole map, not each call")


def test_a_map_that_finishes_in_time_returns_its_results():
    items = [1, 2, 3, 4]
    slow = learner_function("slow_identity", seconds=0.05)
    value, error = _support.outcome_of(
        lambda: parallel_map(slow, items, workers=2, timeout=30))
    assert error is None and value == items, (
        f"parallel_map(fn, {items}, workers=2, timeout=30), where each call sleeps 0.05 s, "
        f"{_support.outcome(value, error)}; expected {items}")


def test_no_timeout_waits_as_long_as_it_takes():
    items = [1, 2]
    slow = learner_function("slow_identity", seconds=0.1)
    value, error = _support.outcome_of(
        lambda: parallel_map(slow, items, workers=1, timeout=None))
    assert error is None and value == items, (
        f"parallel_map(fn, {items}, workers=1, timeout=None), where each call sleeps 0.1 s, "
        f"{_support.outcome(value, error)}; expected {items}: no timeout, no limit")


def test_an_error_before_the_timeout_is_the_error():
    value, error = _support.outcome_of(
        lambda: parallel_map(learner_function("raise_on", values=[1]), [0, 1, 2], timeout=30))
    assert isinstance(error, ValueError) and error.args == ("raise_on", 1), (
        f"parallel_map(fn, [0, 1, 2], timeout=30), where fn(1) raises at once, "
        f"{_support.outcome(value, error)}; expected ValueError('raise_on', 1)")
