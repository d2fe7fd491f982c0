"""Open: calls raise CircuitOpenError without calling func until recovery_timeout has
passed since the circuit opened; then the state is half_open."""

import pytest
from _support import fail, opened, passes, refused
from circuit_breaker import CircuitBreaker

from harness.testing import FakeClock

pytestmark = pytest.mark.open

MARGIN = 0.001  # the exact instant the timeout ends is left free: the tests stay clear of it


def test_an_open_circuit_refuses_calls_without_calling_func():
    breaker, _ = opened(threshold=3)
    for n in range(3):
        refused(breaker, f"open circuit, call {n + 1}")


@pytest.mark.parametrize("timeout", [30.0, 0.5, 600.0])
def test_it_stays_open_until_the_timeout_has_passed(timeout):
    breaker, clock = opened(threshold=2, timeout=timeout)
    clock.advance(timeout - MARGIN)
    state = breaker.state
    assert state == "open", (
        f"recovery_timeout={timeout}, {timeout - MARGIN} s after it opened: state is "
        f"{state!r}, expected 'open'")
    clock.advance(2 * MARGIN)
    state = breaker.state
    assert state == "half_open", (
        f"recovery_timeout={timeout}, {timeout + MARGIN} s after it opened (no call made "
        f"since): state is {state!r}, expected 'half_open': the state follows the clock")


def test_after_the_timeout_a_call_goes_through():
    breaker, clock = opened(threshold=2, timeout=30.0)
    clock.advance(30.5)
    passes(breaker, "30.5 s after the circuit opened (recovery_timeout=30)")


def test_refused_calls_do_not_extend_the_timeout():
    breaker, clock = opened(threshold=2, timeout=30.0)
    for _ in range(3):
        clock.advance(9.9)
        refused(breaker, f"{clock.now - 1_000:.1f} s after the circuit opened "
                         "(recovery_timeout=30)")
    clock.advance(0.4)
    state = breaker.state
    assert state == "half_open", (
        f"recovery_timeout=30: refused calls at 9.9, 19.8 and 29.7 s, then at 30.1 s after "
        f"it opened state is {state!r}, expected 'half_open': the timeout runs from the "
        "opening, a refused call does not restart it")


def test_the_timeout_runs_from_the_failure_that_opened_it():
    clock = FakeClock(1_000.0)
    breaker = CircuitBreaker(failure_threshold=3, recovery_timeout=30.0, clock=clock)
    for _ in range(3):
        fail(breaker)
        clock.advance(20.0)  # failures at 0, 20 and 40 s: it opened at 40 s
    clock.advance(9.0)  # 69 s: 29 s after it opened, 69 s after the first failure
    state = breaker.state
    assert state == "open", (
        f"recovery_timeout=30: failures at 0, 20 and 40 s opened it at 40 s; at 69 s state "
        f"is {state!r}, expected 'open' (the timeout runs from the opening, not from the "
        "first failure)")
    clock.advance(1.5)
    state = breaker.state
    assert state == "half_open", (
        f"recovery_timeout=30: opened at 40 s; at 70.5 s state is {state!r}, expected "
        "'half_open'")


def test_the_default_timeout_is_30_seconds():
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, clock=clock)
    fail(breaker)
    clock.advance(29.5)
    state = breaker.state
    assert state == "open", (f"CircuitBreaker(): 29.5 s after opening, state {state!r}, "
                             "expected 'open'")
    clock.advance(1.0)
    state = breaker.state
    assert state == "half_open", (
        f"CircuitBreaker(): 30.5 s after opening, state {state!r}, expected 'half_open'")


def test_a_long_silence_still_leaves_one_trial():
    breaker, clock = opened(threshold=1, timeout=5.0)
    clock.advance(10_000.0)
    state = breaker.state
    assert state == "half_open", (
        f"recovery_timeout=5, 10,000 s after it opened: state {state!r}, expected 'half_open'")
    passes(breaker, "10,000 s after the circuit opened (recovery_timeout=5)")
    passes(breaker, "after a successful trial")
