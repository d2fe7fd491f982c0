"""Retries: how many calls, which exceptions, what the caller gets in the end."""

import pytest

from harness.testing import FakeSleep, SequenceRNG
from retry import retry

pytestmark = pytest.mark.retries


class Flaky:
    """Fails `failures` times (with a new exception each time), then returns 'ok'."""

    def __init__(self, failures, kind=ConnectionError):
        self.failures, self.kind, self.calls, self.raised = failures, kind, 0, []

    def __call__(self):
        self.calls += 1
        if self.calls <= self.failures:
            error = self.kind(f"failure {self.calls}")
            self.raised.append(error)
            raise error
        return "ok"


def run(func, **options):
    options.setdefault("sleep", FakeSleep())
    options.setdefault("rng", SequenceRNG([0.5]))
    return retry(func, **options)


def test_a_first_success_is_returned_without_retrying():
    func, sleep = Flaky(0), FakeSleep()
    assert run(func, sleep=sleep) == "ok"
    assert func.calls == 1 and sleep.delays == [], (
        f"func succeeded at once; it was called {func.calls} times and slept {sleep.delays}")


@pytest.mark.parametrize("failures", [1, 2, 4])
def test_retries_until_success(failures):
    func = Flaky(failures)
    got = run(func, attempts=5)
    assert got == "ok" and func.calls == failures + 1, (
        f"func fails {failures} times then returns 'ok'; retry returned {got!r} after "
        f"{func.calls} calls, expected 'ok' after {failures + 1}")


@pytest.mark.parametrize("attempts", [1, 3, 5])
def test_gives_up_after_attempts_calls(attempts):
    func = Flaky(100)
    with pytest.raises(ConnectionError):
        run(func, attempts=attempts)
    assert func.calls == attempts, (f"retry(attempts={attempts}) called an always-failing "
                                    f"func {func.calls} times, expected {attempts}")


def test_the_default_is_five_attempts():
    func = Flaky(100)
    with pytest.raises(ConnectionError):
        run(func)
    assert func.calls == 5, f"default attempts called func {func.calls} times, expected 5"


def test_the_last_exception_propagates_unchanged():
    func = Flaky(100)
    with pytest.raises(ConnectionError) as caught:
        run(func, attempts=3)
    assert caught.value is func.raised[-1], (
        f"retry raised {caught.value!r}; expected the very object func raised last "
        f"({func.raised[-1]!r}): re-raise it with a bare `raise`")


def test_the_traceback_still_shows_where_it_failed():
    func = Flaky(100)
    with pytest.raises(ConnectionError) as caught:
        run(func, attempts=2)
    frames = []
    tb = caught.value.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame.f_code.co_name)
        tb = tb.tb_next
    assert "__call__" in frames, (f"the traceback of the final exception runs through {frames}; "
                                  "it lost the frame of func where the error happened")


def test_an_exception_outside_retry_on_propagates_at_once():
    func, sleep = Flaky(100, kind=ValueError), FakeSleep()
    with pytest.raises(ValueError):
        run(func, retry_on=(ConnectionError,), sleep=sleep)
    assert func.calls == 1 and sleep.delays == [], (
        f"a ValueError with retry_on=(ConnectionError,) was retried: {func.calls} calls, "
        f"sleeps {sleep.delays}; it should propagate at once")


def test_subclasses_of_retry_on_are_retried():
    func = Flaky(2, kind=TimeoutError)  # a subclass of OSError
    assert run(func, retry_on=(OSError,)) == "ok" and func.calls == 3


def test_several_exception_types_can_be_retried():
    calls = []

    def func():
        calls.append(1)
        if len(calls) == 1:
            raise TimeoutError("slow")
        if len(calls) == 2:
            raise ConnectionResetError("reset")
        return "ok"

    assert run(func, retry_on=(TimeoutError, ConnectionResetError)) == "ok"
    assert len(calls) == 3


def test_by_default_any_exception_is_retried_but_not_base_exceptions():
    func = Flaky(2, kind=KeyError)
    assert run(func) == "ok"
    stop = Flaky(5, kind=KeyboardInterrupt)
    with pytest.raises(KeyboardInterrupt):
        run(stop)
    assert stop.calls == 1, "KeyboardInterrupt is not an Exception: it must not be retried"
