"""Transfers: money moves from one account to another, balances and the total read it,
and a transfer to the same account changes nothing."""

import _support
import pytest
from bank import Bank

from harness.testing import Deadlock, no_deadlock

pytestmark = pytest.mark.transfers


def test_a_transfer_moves_the_amount_from_src_to_dst():
    bank = Bank({"alice": 100, "bob": 50})
    bank.transfer("alice", "bob", 30)
    got = _support.balances(bank, ["alice", "bob"])
    assert got == {"alice": 70, "bob": 80}, (
        f"Bank({{'alice': 100, 'bob': 50}}).transfer('alice', 'bob', 30): the balances are "
        f"then {got}, expected {{'alice': 70, 'bob': 80}}")


def test_balances_start_as_given():
    bank = Bank({"a": 7, "b": 0, "c": 123456789012345678901234567890})
    got = _support.balances(bank, ["a", "b", "c"])
    assert got == {"a": 7, "b": 0, "c": 123456789012345678901234567890}, (
        f"Bank({{'a': 7, 'b': 0, 'c': 123456789012345678901234567890}}): balance() of each "
        f"gave {got}")


def test_several_transfers_add_up():
    bank = Bank({"a": 100, "b": 100, "c": 100})
    calls = [("a", "b", 10), ("b", "c", 25), ("c", "a", 5), ("a", "c", 40), ("b", "a", 85)]
    for call in calls:
        bank.transfer(*call)
    got = _support.balances(bank, ["a", "b", "c"])
    assert got == {"a": 140, "b": 0, "c": 160}, (
        f"from 100 each, the transfers {calls} left {got}, expected "
        "{'a': 140, 'b': 0, 'c': 160}")


def test_the_whole_balance_can_be_moved():
    bank = Bank({"a": 25, "b": 0})
    bank.transfer("a", "b", 25)
    got = _support.balances(bank, ["a", "b"])
    assert got == {"a": 0, "b": 25}, (
        f"Bank({{'a': 25, 'b': 0}}).transfer('a', 'b', 25) left {got}, expected "
        "{'a': 0, 'b': 25}: moving all of a balance is allowed (it ends at zero, not below)")


def test_total_is_the_sum_of_the_balances():
    bank = Bank({"a": 10, "b": 20, "c": 30, "d": 0})
    assert bank.total() == 60, f"Bank({{'a': 10, 'b': 20, 'c': 30, 'd': 0}}).total() gave " \
        f"{bank.total()}, expected 60"
    bank.transfer("c", "d", 30)
    bank.transfer("a", "b", 10)
    assert bank.total() == 60, f"after two transfers total() gave {bank.total()}, expected " \
        "60: a transfer moves money, it never makes or loses any"


def test_a_bank_without_accounts_totals_zero():
    assert Bank({}).total() == 0, f"Bank({{}}).total() gave {Bank({}).total()}, expected 0"


def test_two_banks_keep_their_own_accounts():
    first, second = Bank({"a": 10, "b": 0}), Bank({"a": 99, "b": 1})
    first.transfer("a", "b", 4)
    got = (_support.balances(first, ["a", "b"]), _support.balances(second, ["a", "b"]))
    assert got == ({"a": 6, "b": 4}, {"a": 99, "b": 1}), (
        f"two banks, a transfer in the first: their balances are {got}, expected "
        "({'a': 6, 'b': 4}, {'a': 99, 'b': 1}): keep the accounts on the instance, not the "
        "class")


def test_a_transfer_to_the_same_account_changes_nothing():
    bank = Bank({"a": 50, "b": 5})
    try:
        with no_deadlock(10.0) as run:
            run(lambda: bank.transfer("a", "a", 20))
    except Deadlock as exc:
        pytest.fail("Bank({'a': 50, 'b': 5}).transfer('a', 'a', 20) had not returned after "
                    "10 s: a thread taking the same threading.Lock twice waits for itself "
                    f"forever. Where it waited:\n{exc.stacks}")
    got = _support.balances(bank, ["a", "b"])
    assert got == {"a": 50, "b": 5}, (
        f"Bank({{'a': 50, 'b': 5}}).transfer('a', 'a', 20) left {got}, expected nothing to "
        "change: money moved from an account to itself stays where it is")
    with no_deadlock(10.0) as run:
        run(lambda: bank.transfer("a", "b", 50))
    got = _support.balances(bank, ["a", "b"])
    assert got == {"a": 0, "b": 55}, (
        f"after transfer('a', 'a', 20), transfer('a', 'b', 50) left {got}, expected "
        "{'a': 0, 'b': 55}")
