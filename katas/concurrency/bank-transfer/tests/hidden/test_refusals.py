"""Refusals: a transfer the bank cannot make raises, and moves nothing: more than the
source holds (InsufficientFunds), an amount that is not positive (ValueError), an account
the bank does not have (KeyError). A refused transfer leaves the locks free."""

import _support
import pytest
from bank import Bank, InsufficientFunds

from harness.testing import Deadlock, no_deadlock

pytestmark = pytest.mark.refusals

NAMES = ["a", "b"]


def refused(bank, call, error, text):
    """Runs `call`, which must raise `error` and change no balance nor the total."""
    before, total = _support.balances(bank, NAMES), bank.total()
    with pytest.raises(error):
        call()
    after = _support.balances(bank, NAMES)
    assert after == before and bank.total() == total, (
        f"{text} raised {error.__name__} as it should, but the balances went from {before} "
        f"to {after} (total {total} -> {bank.total()}): a refused transfer moves nothing")


@pytest.mark.parametrize("amount", [31, 1000])
def test_more_than_the_balance_raises_insufficient_funds(amount):
    bank = Bank({"a": 30, "b": 0})
    refused(bank, lambda: bank.transfer("a", "b", amount), InsufficientFunds,
            f"Bank({{'a': 30, 'b': 0}}).transfer('a', 'b', {amount})")


def test_an_empty_account_cannot_send():
    bank = Bank({"a": 0, "b": 10})
    refused(bank, lambda: bank.transfer("a", "b", 1), InsufficientFunds,
            "Bank({'a': 0, 'b': 10}).transfer('a', 'b', 1)")


def test_insufficient_funds_is_an_exception_of_its_own():
    assert issubclass(InsufficientFunds, Exception), "InsufficientFunds must be an Exception"
    bank = Bank({"a": 5, "b": 0})
    try:
        bank.transfer("a", "b", 6)
    except InsufficientFunds:
        return
    except (ValueError, KeyError) as exc:
        pytest.fail(f"transfer('a', 'b', 6) with 5 in a raised {type(exc).__name__}, "
                    "expected InsufficientFunds")
    pytest.fail("transfer('a', 'b', 6) with 5 in a returned, expected InsufficientFunds")


@pytest.mark.parametrize("amount", [0, -1, -50])
def test_an_amount_that_is_not_positive_raises_value_error(amount):
    bank = Bank({"a": 30, "b": 30})
    refused(bank, lambda: bank.transfer("a", "b", amount), ValueError,
            f"Bank({{'a': 30, 'b': 30}}).transfer('a', 'b', {amount})")


@pytest.mark.parametrize("src, dst", [("nobody", "b"), ("a", "nobody")])
def test_an_unknown_account_raises_key_error(src, dst):
    bank = Bank({"a": 30, "b": 30})
    text = f"Bank({{'a': 30, 'b': 30}}).transfer({src!r}, {dst!r}, 10)"
    refused(bank, lambda: bank.transfer(src, dst, 10), KeyError, text)
    with pytest.raises(KeyError):
        bank.balance("nobody")


def test_balance_of_an_unknown_account_raises_key_error():
    bank = Bank({"a": 1})
    with pytest.raises(KeyError):
        got = bank.balance("b")
        pytest.fail(f"Bank({{'a': 1}}).balance('b') returned {got!r}, expected KeyError")


def test_a_refused_transfer_leaves_the_accounts_usable():
    bank = Bank({"a": 10, "b": 10})
    for call in [("a", "b", 11), ("b", "a", 0), ("a", "b", -3), ("b", "a", 11)]:
        with pytest.raises((InsufficientFunds, ValueError)):
            bank.transfer(*call)
    try:
        with no_deadlock(10.0) as run:
            run(lambda: bank.transfer("a", "b", 10))
            run(lambda: bank.total())
    except Deadlock as exc:
        pytest.fail("after four refused transfers between a and b, transfer('a', 'b', 10) "
                    "and total() had not returned after 10 s: a refusal raised while a lock "
                    "was held and never released it (use `with lock:`, or release in a "
                    f"finally). Where they waited:\n{exc.stacks}")
    got = _support.balances(bank, NAMES)
    assert got == {"a": 0, "b": 20}, f"then transfer('a', 'b', 10) left {got}"
