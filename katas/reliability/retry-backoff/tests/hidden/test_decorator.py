"""Option checks, and retrying() as a decorator."""

import pytest

from harness.testing import FakeSleep, SequenceRNG
from retry import retry, retrying

pytestmark = pytest.mark.decorator


@pytest.mark.parametrize("options", [{"attempts": 0}, {"attempts": -2}, {"base_delay": -0.1},
                                     {"max_delay": -1.0}])
def test_bad_options_raise_value_error(options):
    calls = []
    with pytest.raises(ValueError):
        retry(lambda: calls.append(1), sleep=FakeSleep(), **options)
        pytest.fail(f"retry(func, **{options}) returned normally; expected ValueError")
    assert calls == [], f"retry(**{options}) called func before refusing its options"


def test_the_decorator_retries_with_its_options():
    sleep = FakeSleep()
    calls = []

    @retrying(attempts=4, base_delay=1.0, max_delay=10.0, sleep=sleep, rng=SequenceRNG([0.5]))
    def fetch(url, *, timeout):
        calls.append((url, timeout))
        if len(calls) < 3:
            raise ConnectionError("down")
        return f"body of {url}"

    got = fetch("https://example.org", timeout=3)
    assert got == "body of https://example.org", f"the decorated call returned {got!r}"
    assert calls == [("https://example.org", 3)] * 3, f"the arguments reached func as {calls}"
    assert sleep.delays == [0.5, 1.0], f"the decorated call slept {sleep.delays}"


def test_the_decorator_gives_up_like_retry():
    @retrying(attempts=2, sleep=FakeSleep())
    def broken():
        raise ConnectionError("down")

    with pytest.raises(ConnectionError):
        broken()


def test_the_decorator_keeps_name_and_docstring():
    @retrying(attempts=2)
    def fetch_profile():
        """Fetches the user's profile."""

    assert fetch_profile.__name__ == "fetch_profile", (
        f"the decorated function is named {fetch_profile.__name__!r}; use functools.wraps")
    assert fetch_profile.__doc__ == "Fetches the user's profile.", (
        f"the decorated function's docstring is {fetch_profile.__doc__!r}")


@pytest.mark.parametrize("options", [{"attempts": 0}, {"base_delay": -1.0}, {"max_delay": -1}])
def test_the_decorator_refuses_bad_options_when_applied(options):
    def func():
        return 1

    with pytest.raises(ValueError):
        retrying(**options)(func)
        pytest.fail(f"@retrying(**{options}) was applied without error; it must raise "
                    "ValueError then, not on the first call")
