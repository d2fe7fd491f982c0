"""compare_and_set on one thread."""

import pytest

from counter import Counter

pytestmark = pytest.mark.compare_and_set


def test_sets_when_the_value_matches():
    counter = Counter(3)
    got = counter.compare_and_set(3, 10)
    assert got is True and counter.value == 10, (
        f"Counter(3).compare_and_set(3, 10) returned {got!r}, value {counter.value}; "
        "expected True and 10")


def test_leaves_the_value_when_it_does_not_match():
    counter = Counter(3)
    got = counter.compare_and_set(4, 10)
    assert got is False and counter.value == 3, (
        f"Counter(3).compare_and_set(4, 10) returned {got!r}, value {counter.value}; "
        "expected False and 3 (unchanged)")


def test_works_after_increments():
    counter = Counter()
    counter.increment(5)
    assert counter.compare_and_set(5, 0) is True
    assert counter.increment() == 1
