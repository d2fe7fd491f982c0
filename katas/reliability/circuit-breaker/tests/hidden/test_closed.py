"""Closed: every call goes through; failures in a row are counted, a success resets the
count, and reaching failure_threshold opens the circuit."""

import pytest
from _support import Boom, Func, Trial, fail, passes, within_seconds
from circuit_breaker import CircuitBreaker, CircuitOpenError

from harness.testing import FakeClock

pytestmark = pytest.mark.closed


def breaker_of(threshold=3):
    return CircuitBreaker(failure_threshold=threshold, recovery_timeout=30.0,
                          clock=FakeClock())


def test_a_new_breaker_is_closed():
    state = breaker_of().state
    assert state == "closed", f"a new CircuitBreaker's state is {state!r}, expected 'closed'"


def test_call_passes_the_arguments_and_returns_what_func_returns():
    breaker, func = breaker_of(), Func(value=[1, "two"])
    got = breaker.call(func, 1, "a", key=3)
    assert got == [1, "two"], f"call(func, 1, 'a', key=3) returned {got!r}, expected " \
                              "what func returned: [1, 'two']"
    assert func.args == [((1, "a"), {"key": 3})], (
        f"call(func, 1, 'a', key=3) called func with {func.args}; expected once, with "
        "(1, 'a') and key=3")


@pytest.mark.parametrize("value", [None, 0, ""])
def test_a_falsy_result_is_returned_too(value):
    got = breaker_of().call(Func(value=value))
    assert got == value and type(got) is type(value), (
        f"func returned {value!r}; call(func) returned {got!r}")


def test_funcs_exception_reaches_the_caller_unchanged():
    breaker, func = breaker_of(), Func(error=Boom)
    with pytest.raises(Exception) as caught:
        breaker.call(func)
    assert caught.value is func.raised[0], (
        f"func raised {func.raised[0]!r}; call(func) raised {caught.value!r}: re-raise "
        "func's own exception object with a bare `raise`, do not wrap it or make a new one")


def test_the_traceback_still_shows_where_func_failed():
    breaker, func = breaker_of(), Func(error=Boom)
    with pytest.raises(Boom) as caught:
        breaker.call(func)
    frames = []
    tb = caught.value.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    assert "__call__" in frames, (
        f"the traceback of func's exception runs through {frames}; it lost the frame of func "
        "where the error happened: re-raise with a bare `raise`")


@pytest.mark.parametrize("threshold", [1, 2, 5])
def test_reaching_the_threshold_opens_the_circuit(threshold):
    breaker = breaker_of(threshold)
    fail(breaker, threshold - 1)
    state = breaker.state
    assert state == "closed", (
        f"CircuitBreaker(failure_threshold={threshold}): after {threshold - 1} failures in a "
        f"row state is {state!r}, expected 'closed' (it opens on REACHING the threshold)")
    fail(breaker)
    state = breaker.state
    assert state == "open", (
        f"CircuitBreaker(failure_threshold={threshold}): after {threshold} failures in a row "
        f"state is {state!r}, expected 'open'")


def test_below_the_threshold_calls_still_go_through():
    breaker = breaker_of(3)
    fail(breaker, 2)
    passes(breaker, "failure_threshold=3, 2 failures in a row")


def test_a_success_resets_the_count():
    breaker = breaker_of(3)
    fail(breaker, 2)
    passes(breaker, "failure_threshold=3, 2 failures")
    fail(breaker, 2)
    state = breaker.state
    assert state == "closed", (
        f"failure_threshold=3: failure, failure, success, failure, failure; state is "
        f"{state!r}, expected 'closed': a success resets the count of failures in a row")
    fail(breaker)
    state = breaker.state
    assert state == "open", (
        f"failure_threshold=3: F, F, success, F, F, F; state is {state!r}, expected 'open'")


def test_failures_with_successes_between_never_open_it():
    breaker = breaker_of(2)
    for n in range(10):
        fail(breaker)
        passes(breaker, f"failure_threshold=2, failure and success alternating ({n + 1})")
    state = breaker.state
    assert state == "closed", (f"failure_threshold=2, 10 x (failure, success): state is "
                               f"{state!r}, expected 'closed'")


def test_every_kind_of_exception_counts():
    breaker = breaker_of(5)
    # the last is CircuitOpenError itself, as a breaker nested inside func raises it
    for kind in (ValueError, KeyError, ConnectionError, Boom, CircuitOpenError):
        with pytest.raises(kind):
            breaker.call(Func(error=kind))
    state = breaker.state
    assert state == "open", (
        f"failure_threshold=5; func raised ValueError, KeyError, ConnectionError, a class of "
        f"the tests' own, then CircuitOpenError (from a breaker inside func): state is "
        f"{state!r}, expected 'open' (every exception func raises counts as a failure)")


def test_the_default_threshold_is_5():
    breaker = CircuitBreaker(clock=FakeClock())
    fail(breaker, 4)
    state = breaker.state
    assert state == "closed", f"CircuitBreaker(): 4 failures, state {state!r}, expected 'closed'"
    fail(breaker)
    state = breaker.state
    assert state == "open", f"CircuitBreaker(): 5 failures, state {state!r}, expected 'open'"


def test_the_default_clock_works():
    breaker = CircuitBreaker()
    got, state = breaker.call(Func(value=7)), breaker.state
    assert (got, state) == (7, "closed"), (
        f"CircuitBreaker() with the default clock: call(func) returned {got!r}, state "
        f"{state!r}; expected 7 and 'closed'")
    fail(breaker, 5)
    state = breaker.state
    assert state == "open", (f"CircuitBreaker() with the default clock: 5 failures in a row, "
                             f"state {state!r}, expected 'open'")


@pytest.mark.parametrize("fails", [False, True])
def test_a_slow_call_gets_its_own_outcome_after_the_circuit_opened(fails):
    breaker = breaker_of(2)
    with Trial(breaker) as slow:  # let in while closed; still running
        # two failures open the circuit meanwhile (unless your breaker makes them wait for
        # the slow call: that is allowed while closed, and then they run after it)
        within_seconds(lambda: fail(breaker, 2))
        kind, value = slow.finish(fail=fails)
    expected = ("raised", slow.error) if fails else ("returned", "trial ok")
    assert kind == expected[0] and (value is slow.error if fails else value == "trial ok"), (
        f"a call let in while the circuit was closed {'raised' if fails else 'returned'} "
        f"{expected[1]!r} after other calls had opened the circuit; call() gave "
        f"{(kind, value)}, expected {expected}: func's outcome reaches its caller unchanged")
