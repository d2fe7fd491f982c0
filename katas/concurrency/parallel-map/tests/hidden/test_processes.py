"""In other processes: mode="process" runs fn in worker processes (fn says which one ran
it), with the same rules as threads; a function that cannot be pickled is a clear error."""

import time

import _support
import pytest
from parallel_map import parallel_map

from harness.testing import learner_function, most_at_once, pids_of

pytestmark = pytest.mark.processes


def test_calls_run_in_other_processes():
    own = learner_function("getpid")()
    pids = parallel_map(learner_function("getpid"), list(range(6)), workers=2, mode="process")
    assert len(pids) == 6 and own not in pids, (
        f"parallel_map(getpid, list(range(6)), workers=2, mode='process') returned {pids}; "
        f"your own process is {own}: process mode runs fn in other processes (a "
        "ProcessPoolExecutor or multiprocessing.Pool), not in threads of yours")


def test_results_from_processes_come_in_input_order():
    items = [0, 1, 2, 3, 4]
    late = learner_function("scripted", sleeps={0: 0.2, 1: 0.1})
    got = parallel_map(late, items, workers=3, mode="process")
    assert got == items, (
        f"parallel_map(fn, {items}, workers=3, mode='process'), where fn(0) and fn(1) end "
        f"last, returned {got!r}; expected {items}: results in the order of the items")
    got = parallel_map(learner_function("square"), [2, 2, 3], mode="process")
    assert got == [4, 4, 9], f"parallel_map(square, [2, 2, 3], mode='process') returned {got!r}"


@pytest.mark.parametrize("workers", [1, 2])
def test_never_more_than_workers_processes_at_once(workers):
    items = list(range(6))
    spans = parallel_map(learner_function("span", seconds=0.05), items, workers=workers,
                         mode="process")
    assert [s[0] for s in spans] == items, (
        f"parallel_map(span, {items}, workers={workers}, mode='process') returned the spans "
        f"of items {[s[0] for s in spans]}; expected {items}")
    most = most_at_once(spans)
    assert most <= workers, (
        f"parallel_map(fn, 6 items, workers={workers}, mode='process'): {most} calls were "
        f"running at the same time, in the processes {sorted(pids_of(spans))}; expected at "
        f"most {workers}: a pool of `workers` processes, not one per item or per CPU")


def test_an_exception_in_a_worker_process_reaches_the_caller():
    value, error = _support.outcome_of(lambda: parallel_map(
        learner_function("raise_on", values=[3]), [1, 2, 3, 4], workers=2, mode="process"))
    assert isinstance(error, ValueError) and error.args == ("raise_on", 3), (
        f"parallel_map(fn, [1, 2, 3, 4], workers=2, mode='process'), where fn(3) raises "
        f"ValueError('raise_on', 3), {_support.outcome(value, error)}; expected that "
        "ValueError")


def test_the_first_failing_item_in_input_order_wins_in_processes():
    fn = learner_function("scripted", sleeps={1: 0.3}, raises=[1, 3])
    value, error = _support.outcome_of(
        lambda: parallel_map(fn, [0, 1, 2, 3], workers=4, mode="process"))
    assert isinstance(error, ValueError) and error.args == ("scripted", 1), (
        f"parallel_map(fn, [0, 1, 2, 3], workers=4, mode='process'), where fn(3) raises at "
        f"once and fn(1) after 0.3 s, {_support.outcome(value, error)}; expected "
        "ValueError('scripted', 1): the first failing item in input order")


PICKLING = ("TypeError", "AttributeError", "PicklingError", "PickleError")


def test_an_unpicklable_function_is_a_clear_error_not_a_hang():
    text = "parallel_map(<a closure>, [1, 2], workers=2, mode='process')"
    call = _support.Running(lambda: parallel_map(
        learner_function("unpicklable"), [1, 2], workers=2, mode="process"), text)
    call.finish(20.0, why=": a function that cannot be pickled must be refused, not waited for")
    assert call.error is not None and _support.kind(call.error) in PICKLING, (
        f"{text} {call.outcome()}; expected a TypeError or a pickling error: a closure "
        "cannot be pickled, so it cannot reach another process (try pickle.dumps(fn) "
        "first)")


def test_thread_mode_takes_a_function_that_cannot_be_pickled():
    value, error = _support.outcome_of(
        lambda: parallel_map(learner_function("unpicklable"), [2, 3], mode="thread"))
    assert error is None and value == [4, 9], (
        f"parallel_map(<a closure of square>, [2, 3], mode='thread') "
        f"{_support.outcome(value, error)}; expected [4, 9]: threads share your process, "
        "nothing is pickled there")


def test_a_timeout_in_process_mode_does_not_wait_for_the_calls():
    text = "parallel_map(fn, [1, 2], workers=2, mode='process', timeout=0.3)"
    slow = learner_function("slow_identity", seconds=8.0)
    began = time.monotonic()
    value, error = _support.outcome_of(
        lambda: parallel_map(slow, [1, 2], workers=2, mode="process", timeout=0.3))
    took = time.monotonic() - began
    assert isinstance(error, TimeoutError), (
        f"{text}, where each call sleeps 8 s, {_support.outcome(value, error)}; expected "
        "TimeoutError, the built-in one (multiprocessing.TimeoutError is another class)")
    assert took < 6.0, (
        f"{text}, where each call sleeps 8 s, raised TimeoutError only after {took:.1f} s: "
        "it waited for the calls; expected it at the timeout (terminate the pool, or shut "
        "it down without waiting)")
