"""Examples of what the hidden tests check."""

import pytest

from harness.testing import FakeSleep, SequenceRNG
from retry import retry, retrying


def flaky(failures):
    calls = []

    def func():
        calls.append(1)
        if len(calls) <= failures:
            raise ConnectionError(f"failure {len(calls)}")
        return "ok"

    return func, calls


@pytest.mark.retries
def test_returns_after_two_failures():
    func, calls = flaky(2)
    assert retry(func, sleep=FakeSleep()) == "ok"
    assert len(calls) == 3


@pytest.mark.backoff
def test_delays_double_with_full_jitter():
    func, _ = flaky(3)
    sleep = FakeSleep()
    retry(func, base_delay=1.0, max_delay=100.0, sleep=sleep, rng=SequenceRNG([0.5]))
    assert sleep.delays == [0.5, 1.0, 2.0]


@pytest.mark.decorator
def test_decorator_keeps_the_name():
    @retrying(attempts=2, sleep=FakeSleep())
    def fetch():
        """Fetches."""
        return 1

    assert fetch() == 1 and fetch.__name__ == "fetch"
