"""Half open: exactly one trial call goes through; callers arriving while it runs get
CircuitOpenError; the trial's success closes the circuit, its failure opens it again
with a fresh timeout."""

import pytest
from _support import Boom, Func, Trial, fail, half_open, passes, refused, refused_during_trial

pytestmark = pytest.mark.half_open


def test_a_successful_trial_closes_the_circuit():
    breaker, _ = half_open(threshold=3)
    func = Func(value="fine again")
    got = breaker.call(func, 5, key="k")
    assert got == "fine again" and func.args == [((5,), {"key": "k"})], (
        f"half open: call(func, 5, key='k') returned {got!r} having called func with "
        f"{func.args}; expected func's value after one call with those arguments")
    state = breaker.state
    assert state == "closed", (f"half open, the trial call succeeded: state is {state!r}, "
                               "expected 'closed'")
    passes(breaker, "after a successful trial")


def test_after_closing_the_count_starts_from_zero():
    breaker, _ = half_open(threshold=3)
    passes(breaker, "half open, the trial call")
    fail(breaker, 2)
    state = breaker.state
    assert state == "closed", (
        f"failure_threshold=3: opened, a trial succeeded, then 2 failures: state is "
        f"{state!r}, expected 'closed' (closing starts the count of failures from zero)")
    fail(breaker)
    state = breaker.state
    assert state == "open", (f"failure_threshold=3: closed again, then 3 failures: state is "
                             f"{state!r}, expected 'open'")


def test_a_failed_trial_opens_the_circuit_again():
    breaker, _ = half_open(threshold=3)
    func = Func(error=Boom)
    with pytest.raises(Exception) as caught:
        breaker.call(func)
    assert caught.value is func.raised[0], (
        f"half open: the trial's func raised {func.raised[0]!r}; call(func) raised "
        f"{caught.value!r}, expected that very exception, unchanged")
    state = breaker.state
    assert state == "open", (
        f"failure_threshold=3, half open: ONE failed trial; state is {state!r}, expected "
        "'open' (a failed trial opens the circuit again at once)")
    refused(breaker, "just after a failed trial")


def test_a_failed_trial_restarts_the_timeout():
    breaker, clock = half_open(threshold=2, timeout=30.0)
    clock.advance(100.0)  # the trial comes long after the circuit opened
    fail(breaker)
    clock.advance(29.5)
    state = breaker.state
    assert state == "open", (
        f"recovery_timeout=30: a trial failed 131 s after the circuit first opened; 29.5 s "
        f"after that failure state is {state!r}, expected 'open' (a failed trial opens the "
        "circuit with a fresh timeout, counted from the failure)")
    refused(breaker, "29.5 s after a failed trial (recovery_timeout=30)")
    clock.advance(1.0)
    state = breaker.state
    assert state == "half_open", (
        f"recovery_timeout=30: 30.5 s after a failed trial, state is {state!r}, expected "
        "'half_open'")


def test_trials_can_fail_again_and_again_then_close():
    breaker, clock = half_open(threshold=2, timeout=10.0)
    for n in range(3):
        fail(breaker)
        clock.advance(10.5)
        state = breaker.state
        assert state == "half_open", (
            f"recovery_timeout=10: trial {n + 1} failed, 10.5 s later state is {state!r}, "
            "expected 'half_open'")
    passes(breaker, "the fourth trial")
    state = breaker.state
    assert state == "closed", f"the fourth trial succeeded: state {state!r}, expected 'closed'"


def test_a_caller_is_refused_while_the_trial_runs():
    breaker, _ = half_open(threshold=2)
    with Trial(breaker) as trial:
        refused_during_trial(breaker, "half open, while the trial call was still running in "
                                      "another thread")
        refused_during_trial(breaker, "half open, while the trial call was still running (a "
                                      "second caller)")
        outcome = trial.finish()
    assert outcome == ("returned", "trial ok"), (
        f"the trial's func returned 'trial ok'; its call() gave {outcome}")
    state = breaker.state
    assert state == "closed", (f"the trial succeeded (while other callers were refused): "
                               f"state is {state!r}, expected 'closed'")
    passes(breaker, "after the trial succeeded")


def test_a_refused_caller_does_not_stop_the_trial_from_failing():
    breaker, clock = half_open(threshold=2, timeout=30.0)
    with Trial(breaker) as trial:
        refused_during_trial(breaker, "half open, while the trial call was still running in "
                                      "another thread")
        kind, error = trial.finish(fail=True)
    assert kind == "raised" and error is trial.error, (
        f"the trial's func raised {trial.error!r}; its call() gave {(kind, error)}, expected "
        "that very exception")
    state = breaker.state
    assert state == "open", (f"the trial failed: state is {state!r}, expected 'open'")
    clock.advance(29.5)
    refused(breaker, "29.5 s after the trial failed (recovery_timeout=30)")
    clock.advance(1.0)
    passes(breaker, "30.5 s after the trial failed: the next trial")


def test_the_next_opening_gets_a_trial_of_its_own():
    breaker, clock = half_open(threshold=2, timeout=30.0)
    passes(breaker, "half open, the trial call")
    fail(breaker, 2)
    clock.advance(31.0)
    state = breaker.state
    assert state == "half_open", (
        f"closed by a successful trial, opened again by 2 failures, 31 s later: state is "
        f"{state!r}, expected 'half_open'")
    passes(breaker, "the second time the circuit is half open, its trial call (the first "
                    "trial ended long ago: nothing may still count as running)")
