"""A lock per account: while one transfer is inside its critical section (holding the
locks of its two accounts), transfers between other accounts run and finish.

How it is seen: the amount of the first transfer, and the two balances it moves money
between, are ints made in your process that park the thread each time the amount meets
one of those balances: compared, added or subtracted (the balances are 4242 and 5353,
the amount 42: values no other check uses). At each such point the test makes transfers
between other accounts, which must finish, then lets the parked one go on. Your code
meets the balances at least once while it holds the two accounts' locks (a check before
taking them is a point too, and harmless). With one lock per account the other transfers
need none of the parked thread's locks; with one lock for the whole bank they wait."""

import time

import _support
import pytest
from bank import Bank

from harness.testing import learner_function, learner_stacks

pytestmark = pytest.mark.parallel

SRC, DST = 4242, 5353  # the parked transfer's balances: values an amount check never uses
LONG = 5.0  # what a transfer that needs no parked lock is given (it returns in milliseconds)
AMOUNT = 42
MOST_STOPS = 12  # a transfer meets its balances a few times; past this, it runs on freely


def all_finish(threads, what):
    """Joins the threads once the parked transfer was let go; fails with the stacks of
    your threads when one still runs."""
    deadline = time.monotonic() + 20.0
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in threads):
        pytest.fail(f"{what} had not all returned 20 s after the parked transfer was let go "
                    f"(a deadlock?). Where your threads were:\n{learner_stacks()}")


def beside_a_parked_transfer(start, src, dst, others):
    """A Bank(start) whose src and dst balances (SRC and DST) and the amount of
    transfer(src, dst, AMOUNT) are watched ints; runs that transfer, and at each point where
    the amount meets one of the two balances, starts the transfers of `others()` (a list
    of (src, dst, amount)) and waits up to LONG for them. Returns (bank, stuck): stuck is
    None, or the transfers still running at a point, with the stacks of your threads."""
    gate = learner_function("gate", timeout=60.0, every=True)

    def watched(value, partners):
        return learner_function("watched_int", value=value, on_use=gate, partners=partners)

    amount = watched(AMOUNT, [SRC, DST])
    bank = Bank({**start, src: watched(SRC, [AMOUNT]), dst: watched(DST, [AMOUNT])})
    parked, box = _support.started(lambda: bank.transfer(src, dst, amount))
    stops, stuck, started = 0, None, []
    try:
        deadline = time.monotonic() + 20.0
        while stops < MOST_STOPS and time.monotonic() < deadline:
            if not gate.reached(0.05):
                if not parked.is_alive():
                    break
                continue
            stops += 1
            calls = others()
            running = [_support.started(lambda call=call: bank.transfer(*call))[0]
                       for call in calls]
            started += running
            ends = time.monotonic() + LONG
            for thread in running:
                thread.join(max(0.0, ends - time.monotonic()))
            waiting = [call for call, thread in zip(calls, running, strict=True)
                       if thread.is_alive()]
            if waiting:
                stuck = (waiting, learner_stacks())
                break
            gate.release()
    finally:
        gate.open()
    all_finish([parked, *started], f"transfer({src!r}, {dst!r}, {AMOUNT}) and the others")
    if stops == 0:
        pytest.fail(
            f"transfer({src!r}, {dst!r}, {AMOUNT}) with balances {SRC} and {DST} returned "
            f"{box} without ever comparing the amount with a balance or adding or "
            "subtracting it: the test passes int subclasses as the amount and the balances "
            "and watches for that, so do not convert them with int() (they are ints already)")
    assert box == [None], f"transfer({src!r}, {dst!r}, {AMOUNT}) returned {box}, expected None"
    return bank, stuck


def stuck_message(start, parked, stuck):
    waiting, stacks = stuck
    return (f"Bank({start}): while transfer({parked[0]!r}, {parked[1]!r}, {AMOUNT}) was "
            f"inside (holding the locks of {parked[0]} and {parked[1]}), the transfers "
            f"{waiting} did not finish in {LONG:g} s; they need neither account, so they "
            "must not wait: give every account its own lock instead of one lock for the "
            f"whole bank. Where your threads were:\n{stacks}")


@pytest.mark.parametrize("parked, other", [
    (("a", "b"), ("c", "d")),
    (("b", "a"), ("d", "c")),
    (("c", "b"), ("d", "a")),
])
def test_a_transfer_between_other_accounts_runs_while_one_is_inside(parked, other):
    start = {parked[0]: SRC, parked[1]: DST, other[0]: 100, other[1]: 100}
    turns = []

    def others():  # there and back again, so the balances end as they began or one away
        turns.append(len(turns) % 2)
        return [other + (10,)] if turns[-1] == 0 else [(other[1], other[0], 10)]

    bank, stuck = beside_a_parked_transfer(start, *parked, others)
    assert stuck is None, stuck_message(start, parked, stuck)
    moved = 10 * (len(turns) % 2)
    want = {parked[0]: SRC - AMOUNT, parked[1]: DST + AMOUNT, other[0]: 100 - moved,
            other[1]: 100 + moved}
    got = _support.balances(bank, sorted(start))
    assert got == want, (f"Bank({start}) after transfer({parked[0]!r}, {parked[1]!r}, "
                         f"{AMOUNT}) and {len(turns)} transfers of 10 between {other[0]} and "
                         f"{other[1]}, back and forth: {got}, expected {want}")


def test_many_transfers_run_beside_one_that_is_inside():
    start = {"a": SRC, "b": DST, **{f"x{i}": 50 for i in range(6)}}
    pairs = [("x0", "x1"), ("x3", "x2"), ("x4", "x5")]
    rounds = []

    def others():
        rounds.append(1)
        return [pair + (1,) for pair in pairs]

    bank, stuck = beside_a_parked_transfer(start, "a", "b", others)
    assert stuck is None, stuck_message(start, ("a", "b"), stuck)
    n = len(rounds)
    want = {"x0": 50 - n, "x1": 50 + n, "x2": 50 + n, "x3": 50 - n, "x4": 50 - n,
            "x5": 50 + n}
    got = _support.balances(bank, sorted(want))
    assert got == want, (f"the transfers {pairs} of 1, {n} times each, from 50 each, left "
                         f"{got}, expected {want}")
