"""Counting on one thread: values, return values, the rule on n."""

import pytest

from counter import Counter

pytestmark = pytest.mark.counting


def test_starts_at_zero_by_default():
    assert Counter().value == 0, f"Counter().value is {Counter().value}, expected 0"


@pytest.mark.parametrize("initial", [0, 5, -3, 10**12])
def test_starts_at_the_initial_value(initial):
    got = Counter(initial).value
    assert got == initial, f"Counter({initial}).value is {got}"


def test_increment_returns_the_value_after_the_change():
    counter = Counter(10)
    got = [counter.increment(), counter.increment(), counter.increment(5)]
    assert got == [11, 12, 17], f"Counter(10): increment(), increment(), increment(5) gave {got}"
    assert counter.value == 17


def test_decrement_returns_the_value_after_the_change():
    counter = Counter(10)
    got = [counter.decrement(), counter.decrement(4)]
    assert got == [9, 5], f"Counter(10): decrement(), decrement(4) gave {got}"
    assert counter.value == 5


def test_the_value_may_go_below_zero():
    counter = Counter(1)
    assert counter.decrement(3) == -2


def test_zero_changes_nothing():
    counter = Counter(4)
    got = (counter.increment(0), counter.decrement(0))
    assert got == (4, 4), f"increment(0) and decrement(0) on Counter(4) gave {got}"


@pytest.mark.parametrize("method", ["increment", "decrement"])
@pytest.mark.parametrize("n", [-1, -50])
def test_negative_n_raises_value_error(method, n):
    counter = Counter(7)
    with pytest.raises(ValueError):
        got = getattr(counter, method)(n)
        pytest.fail(f"{method}({n}) returned {got!r}; expected ValueError")
    assert counter.value == 7, f"a refused {method}({n}) changed the value to {counter.value}"
