"""Examples of what the hidden tests check. The hidden tests also call your bank from many
threads with thread switches forced inside your code, and park one transfer inside its
locks to see whether transfers between other accounts still run."""

import threading

import pytest
from bank import Bank, InsufficientFunds


def run_in_threads(calls, timeout=20):
    """Runs each call in a thread; fails if one raises or they do not all finish."""
    errors = []

    def body(call):
        try:
            call()
        except Exception as exc:  # shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=body, args=(call,), daemon=True) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(t.is_alive() for t in threads), "threads still running: a deadlock?"
    assert not errors, f"a thread raised {errors[0]!r}"


@pytest.mark.transfers
def test_a_transfer_moves_money():
    bank = Bank({"alice": 100, "bob": 50})
    bank.transfer("alice", "bob", 30)
    assert bank.balance("alice") == 70
    assert bank.balance("bob") == 80
    assert bank.total() == 150


@pytest.mark.transfers
def test_a_transfer_to_the_same_account_changes_nothing():
    bank = Bank({"a": 10})
    run_in_threads([lambda: bank.transfer("a", "a", 5)])
    assert bank.balance("a") == 10


@pytest.mark.refusals
def test_refusals_move_nothing():
    bank = Bank({"a": 10, "b": 0})
    with pytest.raises(InsufficientFunds):
        bank.transfer("a", "b", 11)
    with pytest.raises(ValueError):
        bank.transfer("a", "b", 0)
    with pytest.raises(KeyError):
        bank.transfer("a", "nobody", 5)
    assert (bank.balance("a"), bank.balance("b")) == (10, 0)


class ParkedAmount(int):
    """An amount that, the first time it meets the source's balance (a comparison or a
    subtraction: your transfer does that while it holds the locks), waits until `go`."""

    def __new__(cls, value, balance):
        self = super().__new__(cls, value)
        self.balance, self.inside, self.go = balance, threading.Event(), threading.Event()
        return self

    def _meet(self, other):
        if other == self.balance and not self.inside.is_set():
            self.inside.set()
            self.go.wait(20)

    def __gt__(self, other):
        self._meet(other)
        return int(self) > other

    def __lt__(self, other):
        self._meet(other)
        return int(self) < other

    def __ge__(self, other):
        self._meet(other)
        return int(self) >= other

    def __le__(self, other):
        self._meet(other)
        return int(self) <= other

    def __rsub__(self, other):
        self._meet(other)
        return other - int(self)

    __hash__ = int.__hash__


def parked_amount(bank, value, balance):
    """(amount, wait_inside, let_go). Under `kata check` your bank lives in a process of its
    own, so the amount is made there (harness.testing); under plain pytest, here."""
    if getattr(bank, "__kata_mirror__", False):
        from harness.testing import learner_function

        gate = learner_function("gate", timeout=30.0)
        amount = learner_function("watched_int", value=value, on_use=gate, partners=[balance])
        return amount, gate.reached, gate.release
    amount = ParkedAmount(value, balance)
    return amount, amount.inside.wait, amount.go.set


@pytest.mark.parallel
def test_transfers_between_other_accounts_run_while_one_is_inside():
    bank = Bank({"a": 4242, "b": 0, "c": 100, "d": 0})
    amount, wait_inside, let_go = parked_amount(bank, 42, balance=4242)
    parked = threading.Thread(target=bank.transfer, args=("a", "b", amount), daemon=True)
    parked.start()
    try:
        assert wait_inside(10), "transfer('a', 'b', 42) never compared 42 with a's balance"
        other = threading.Thread(target=bank.transfer, args=("c", "d", 10), daemon=True)
        other.start()
        other.join(5)
        finished = not other.is_alive()
    finally:
        let_go()
    parked.join(10)
    other.join(10)
    assert finished, "transfer('c', 'd', 10) waited for transfer('a', 'b', 42): one lock each"
    assert bank.balance("d") == 10 and bank.balance("b") == 42


@pytest.mark.deadlock
def test_transfers_both_ways_finish():
    bank = Bank({"a": 1000, "b": 1000})

    def move(src, dst):
        for _ in range(50):
            bank.transfer(src, dst, 1)

    run_in_threads([lambda: move("a", "b"), lambda: move("b", "a")] * 2)
    assert (bank.balance("a"), bank.balance("b")) == (1000, 1000)


@pytest.mark.consistency
def test_total_is_steady_while_money_moves():
    bank = Bank({"a": 500, "b": 500, "c": 500})
    totals = []

    def move(src, dst):
        for _ in range(50):
            bank.transfer(src, dst, 2)

    def read():
        for _ in range(50):
            totals.append(bank.total())

    run_in_threads([lambda: move("a", "b"), lambda: move("b", "c"), lambda: move("c", "a"), read])
    assert set(totals) == {1500}
