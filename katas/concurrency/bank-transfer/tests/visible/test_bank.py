"""Examples of what the hidden tests check. The hidden tests also call your bank from many
threads with thread switches forced inside your code, and park one transfer inside its
locks to see whether transfers between other accounts still run."""

import threading

import pytest
from bank import Bank, InsufficientFunds


def run_in_threads(calls, timeout=20, why="a deadlock: each thread waiting for a lock "
                   "another holds?"):
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
    assert not any(t.is_alive() for t in threads), f"still running after {timeout} s: {why}"
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
    run_in_threads([lambda: bank.transfer("a", "a", 5)], why="transfer('a', 'a', 5) takes "
                   "a's lock twice? A threading.Lock taken again by its holder waits forever")
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


class Watched(int):
    """An int that, the first time it meets its partner (the amount meets a's balance, or
    a's balance meets the amount) in a comparison, + or -, waits until `go` is set: your
    transfer does that while it holds the locks."""

    def __new__(cls, value, partner, inside, go):
        self = super().__new__(cls, value)
        self.partner, self.inside, self.go = partner, inside, go
        return self

    def _meet(self, other):
        if int(other) == self.partner and not self.inside.is_set():
            self.inside.set()
            self.go.wait(20)
        return int(self), int(other)

    def __lt__(self, other):
        mine, theirs = self._meet(other)
        return mine < theirs

    def __le__(self, other):
        mine, theirs = self._meet(other)
        return mine <= theirs

    def __gt__(self, other):
        mine, theirs = self._meet(other)
        return mine > theirs

    def __ge__(self, other):
        mine, theirs = self._meet(other)
        return mine >= theirs

    def __add__(self, other):
        mine, theirs = self._meet(other)
        return mine + theirs

    def __sub__(self, other):
        mine, theirs = self._meet(other)
        return mine - theirs

    def __rsub__(self, other):
        mine, theirs = self._meet(other)
        return theirs - mine

    __radd__ = __add__
    __hash__ = int.__hash__


def watched_transfer(amount, balance):
    """(amount, a's balance, wait_inside, let_go): the amount and the balance park the
    transfer the first time they meet. Under `kata check` your bank lives in a process of
    its own, so they are made there (harness.testing); under plain pytest, here."""
    try:
        from harness.testing import learner_function

        gate = learner_function("gate", timeout=30.0)
    except (ImportError, RuntimeError):  # plain pytest: no learner process
        inside, go = threading.Event(), threading.Event()
        return (Watched(amount, balance, inside, go), Watched(balance, amount, inside, go),
                inside.wait, go.set)
    return (learner_function("watched_int", value=amount, on_use=gate, partners=[balance]),
            learner_function("watched_int", value=balance, on_use=gate, partners=[amount]),
            gate.reached, gate.release)


@pytest.mark.parallel
def test_transfers_between_other_accounts_run_while_one_is_inside():
    amount, balance, wait_inside, let_go = watched_transfer(42, 4242)
    bank = Bank({"a": balance, "b": 0, "c": 100, "d": 0})
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
