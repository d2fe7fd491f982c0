"""What the hidden tests of circuit-breaker share: funcs that count their calls, a breaker
brought to a given state, and a trial call held open in a thread of the tests."""

import threading

from circuit_breaker import CircuitBreaker, CircuitOpenError

from harness.testing import FakeClock

LONG = 5.0  # seconds a thread of the tests is given to do what it must (it returns sooner)


class Boom(Exception):
    """What the tests' failing funcs raise."""


class Func:
    """A func to pass to call(): returns `value`, or raises a new `error(...)` each call;
    counts its calls and keeps what it was called with and what it raised."""

    def __init__(self, value="ok", error=None):
        self.value, self.error = value, error
        self.calls, self.args, self.raised = 0, [], []
        self._lock = threading.Lock()

    def __call__(self, *args, **kwargs):
        with self._lock:
            self.calls += 1
            self.args.append((args, kwargs))
            if self.error is None:
                return self.value
            error = self.error(f"failure {self.calls}")
            self.raised.append(error)
        raise error


def fail(breaker, times=1, kind=Boom):
    """Makes `times` calls of a failing func; each must raise the func's own exception."""
    for n in range(times):
        func = Func(error=kind)
        try:
            breaker.call(func)
        except CircuitOpenError:
            raise AssertionError(
                f"failure {n + 1} of {times} in a row: call() raised CircuitOpenError; the "
                "circuit should still have been closed") from None
        except Exception as exc:
            assert func.raised and exc is func.raised[-1], (
                f"failure {n + 1} of {times} in a row: call(func) raised {exc!r}; expected "
                f"the very exception func raised ({func.raised[-1:]}), re-raised unchanged")
        else:
            raise AssertionError(f"call(func) with func raising {kind.__name__} returned "
                                 "instead of raising it")


def opened(threshold=3, timeout=30.0, start=1_000.0):
    """A breaker opened by `threshold` failures in a row at `start`, and its clock."""
    clock = FakeClock(start)
    breaker = CircuitBreaker(failure_threshold=threshold, recovery_timeout=timeout,
                             clock=clock)
    fail(breaker, threshold)
    state = breaker.state
    assert state == "open", (f"CircuitBreaker(failure_threshold={threshold}): after "
                             f"{threshold} failures in a row state is {state!r}, "
                             "expected 'open'")
    return breaker, clock


def half_open(threshold=3, timeout=30.0):
    """A breaker whose timeout has passed (by a clear margin) since it opened."""
    breaker, clock = opened(threshold, timeout)
    clock.advance(timeout + 1.0)
    state = breaker.state
    assert state == "half_open", (
        f"opened with recovery_timeout={timeout}, then {timeout + 1.0} s passed: state is "
        f"{state!r}, expected 'half_open'")
    return breaker, clock


def refused(breaker, what):
    """Calls with a counting func; asserts CircuitOpenError and that func was not called."""
    func = Func()
    try:
        got = breaker.call(func)
    except CircuitOpenError:
        pass
    else:
        raise AssertionError(f"{what}: call(func) returned {got!r}; expected "
                             "CircuitOpenError")
    assert func.calls == 0, (f"{what}: call(func) raised CircuitOpenError but called func "
                             f"{func.calls} time(s) first; it must not call it at all")


def passes(breaker, what, value="through"):
    """Calls with a counting func; asserts it was called once and its value came back."""
    func = Func(value)
    try:
        got = breaker.call(func)
    except CircuitOpenError:
        raise AssertionError(f"{what}: call(func) raised CircuitOpenError; expected it to "
                             "call func") from None
    assert got == value and func.calls == 1, (
        f"{what}: call(func) returned {got!r} after {func.calls} call(s) of func; "
        f"expected {value!r} after one")


def within_seconds(action, seconds=LONG):
    """Runs action() in a thread of the tests: True when it finished within `seconds`
    (what it raised is raised here), False when it was still running."""
    raised = []

    def run():
        try:
            action()
        except BaseException as exc:  # noqa: BLE001 -- raised again in the test's thread
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if raised:
        raise raised[0]
    return not thread.is_alive()


def refused_during_trial(breaker, what):
    """`refused`, from a caller arriving while a trial call runs: it must not wait."""
    if not within_seconds(lambda: refused(breaker, what)):
        raise AssertionError(
            f"{what}: call(func) did not return within {LONG:g} s; a caller arriving while "
            "the trial runs must get CircuitOpenError at once (do not hold your lock while "
            "func runs)")


class Trial:
    """breaker.call(gate) started in a thread of the tests; the gate holds the call inside
    func until `finish()`, so other callers arrive while it runs. Use it in a `with`."""

    def __init__(self, breaker):
        self.inside, self._leave = threading.Event(), threading.Event()
        self.error = None
        self.outcome = []
        self._fail = False
        self.thread = threading.Thread(target=self._run, args=(breaker,), daemon=True)
        self.thread.start()
        if not self.inside.wait(LONG):
            self.finish()
            raise AssertionError(f"the circuit was half open; call(func) from a thread did "
                                 f"not call func within {LONG:g} s: {self.outcome}")

    def _gate(self):
        self.inside.set()
        self._leave.wait(LONG * 2)
        if self._fail:
            self.error = Boom("the trial failed")
            raise self.error
        return "trial ok"

    def _run(self, breaker):
        try:
            self.outcome.append(("returned", breaker.call(self._gate)))
        except BaseException as exc:  # noqa: BLE001 -- what came back is checked by the test
            self.outcome.append(("raised", exc))

    def finish(self, fail=False):
        """Lets the trial's func return (or raise Boom) and waits for call() to return."""
        self._fail = fail
        self._leave.set()
        self.thread.join(LONG)
        assert not self.thread.is_alive(), f"call() did not return within {LONG:g} s"
        return self.outcome[0]

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._leave.set()  # a test that failed midway does not leave the call held
