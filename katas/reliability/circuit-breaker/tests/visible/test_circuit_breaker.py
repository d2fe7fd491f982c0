"""Examples of what the hidden tests check. Run them with `pytest`."""

import threading

import pytest
from circuit_breaker import CircuitBreaker, CircuitOpenError

from harness.testing import FakeClock


class Down(Exception):
    """What the failing func raises."""


def down():
    raise Down("the service is down")


def up():
    return "ok"


def opened(clock, threshold=3, timeout=30.0):
    breaker = CircuitBreaker(failure_threshold=threshold, recovery_timeout=timeout, clock=clock)
    for _ in range(threshold):
        with pytest.raises(Down):
            breaker.call(down)
    return breaker


@pytest.mark.closed
def test_three_failures_in_a_row_open_it():
    breaker = CircuitBreaker(failure_threshold=3, clock=FakeClock())
    assert breaker.call(up) == "ok"
    for _ in range(2):
        with pytest.raises(Down):
            breaker.call(down)
    assert breaker.state == "closed"
    with pytest.raises(Down):
        breaker.call(down)
    assert breaker.state == "open"


@pytest.mark.closed
def test_a_success_resets_the_count():
    breaker = CircuitBreaker(failure_threshold=2, clock=FakeClock())
    with pytest.raises(Down):
        breaker.call(down)
    breaker.call(up)
    with pytest.raises(Down):
        breaker.call(down)
    assert breaker.state == "closed"


@pytest.mark.open
def test_open_refuses_calls_until_the_timeout_has_passed():
    clock = FakeClock()
    breaker = opened(clock, timeout=30.0)
    calls = []
    with pytest.raises(CircuitOpenError):
        breaker.call(lambda: calls.append(1))
    assert calls == []  # func was not called
    clock.advance(29.0)
    assert breaker.state == "open"
    clock.advance(2.0)
    assert breaker.state == "half_open"  # by the clock alone: no call needed


@pytest.mark.half_open
def test_a_failed_trial_opens_it_again_with_a_fresh_timeout():
    clock = FakeClock()
    breaker = opened(clock, timeout=30.0)
    clock.advance(31.0)
    with pytest.raises(Down):
        breaker.call(down)  # the trial
    assert breaker.state == "open"
    clock.advance(29.0)
    assert breaker.state == "open"
    clock.advance(2.0)
    assert breaker.call(up) == "ok"  # the next trial succeeds
    assert breaker.state == "closed"


@pytest.mark.threads
def test_only_one_trial_while_it_runs():
    clock = FakeClock()
    breaker = opened(clock, timeout=30.0)
    clock.advance(31.0)
    inside, leave = threading.Event(), threading.Event()

    def slow_trial():
        inside.set()
        leave.wait(5)
        return "ok"

    trial = threading.Thread(target=breaker.call, args=(slow_trial,))
    trial.start()
    assert inside.wait(5)
    with pytest.raises(CircuitOpenError):  # another caller, while the trial runs
        breaker.call(up)
    leave.set()
    trial.join(5)
    assert breaker.state == "closed"
