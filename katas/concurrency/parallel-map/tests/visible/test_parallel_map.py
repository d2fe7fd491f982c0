"""Examples of what the hidden tests check. The hidden tests hand you functions that record
when and in which process each call ran; here plain functions stand in."""

import os
import threading
import time

import pytest
from parallel_map import parallel_map


def in_your_process(name, **kwargs):
    """A function made where your code runs. Under `kata check` your code runs in a process
    of its own and a function of this file would be called back over here (so it could not
    tell which process ran it); a trusted one made in your process stands in. Under plain
    pytest the function of this file is used."""
    if getattr(parallel_map, "__kata_mirror__", False):
        from harness.testing import learner_function

        return learner_function(name, **kwargs)
    return {"getpid": getpid, "square": square}[name]


def getpid(_):
    return os.getpid()


def square(x):
    return x * x


@pytest.mark.in_order
def test_results_come_in_input_order():
    assert parallel_map(square, [3, 1, 2]) == [9, 1, 4]
    assert parallel_map(square, []) == []


@pytest.mark.in_order
def test_order_holds_when_the_first_call_ends_last():
    def late_first(x):
        time.sleep(0.2 if x == 0 else 0)
        return x

    assert parallel_map(late_first, [0, 1, 2, 3], workers=4) == [0, 1, 2, 3]


@pytest.mark.arguments
def test_bad_mode_or_workers_is_a_value_error():
    with pytest.raises(ValueError):
        parallel_map(square, [1, 2], mode="fibers")
    with pytest.raises(ValueError):
        parallel_map(square, [1, 2], workers=0)


@pytest.mark.bounded
def test_at_most_workers_calls_at_once():
    lock = threading.Lock()
    inside = [0]
    most = [0]

    def counted(x):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.05)
        with lock:
            inside[0] -= 1
        return x

    assert parallel_map(counted, list(range(8)), workers=2) == list(range(8))
    assert 1 <= most[0] <= 2


@pytest.mark.errors
def test_the_first_failing_item_in_input_order_is_raised():
    def fails_on_odd(x):
        if x % 2:
            time.sleep(0.1 if x == 1 else 0)  # 3 fails before 1
            raise ValueError(x)
        return x

    with pytest.raises(ValueError) as caught:
        parallel_map(fails_on_odd, [0, 1, 2, 3], workers=4)
    assert caught.value.args == (1,), (
        f"raised ValueError{caught.value.args}; expected ValueError(1): item 1 comes before "
        "item 3 in the input, although 3 failed first")


@pytest.mark.deadline
def test_a_slow_map_raises_timeout_error():
    with pytest.raises(TimeoutError):
        parallel_map(lambda x: time.sleep(0.5), [1, 2], workers=1, timeout=0.2)


@pytest.mark.processes
def test_process_mode_runs_elsewhere():
    fn = in_your_process("getpid")
    own = fn(None)
    pids = parallel_map(fn, [1, 2, 3], workers=2, mode="process")
    assert own not in pids
    assert parallel_map(in_your_process("square"), [1, 2, 3], mode="process") == [1, 4, 9]


@pytest.mark.processes
def test_a_lambda_cannot_go_to_another_process():
    with pytest.raises(Exception) as caught:  # a TypeError or a pickling error, soon
        parallel_map(lambda x: x, [1, 2], mode="process")
    assert not isinstance(caught.value, NotImplementedError)
