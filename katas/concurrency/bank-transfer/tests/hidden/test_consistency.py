"""Consistent snapshots: while many threads move money (thread switches forced inside your
code, seeded: a failure names the seed that replays it), total() always equals the
starting total, no balance ever goes below zero, and no transfer is lost."""

import random
import threading

import _support
import pytest
from bank import Bank, InsufficientFunds

from harness.testing import call_each, race_seeds

pytestmark = pytest.mark.consistency

SEEDS = race_seeds(3)
NAMES = ["a", "b", "c", "d"]


def run_together(calls, seed, what):
    """Runs each call in a thread of its own under forced switching (see _support)."""
    _support.run_switched(calls, seed, what)


def cycles(seed, count):
    """`count` rounds of money sent around the four accounts in a random order and brought
    back (a->c, c->b, b->d, d->a, each of one random amount up to 5), as transfer calls: at
    any moment a thread is at most one amount away from where it started on each account,
    so with 100 each no transfer is refused."""
    plan = random.Random(seed)
    calls = []
    for _ in range(count):
        order, amount = plan.sample(NAMES, 4), plan.randint(1, 5)
        calls += [(order[i], order[(i + 1) % 4], amount) for i in range(4)]
    return calls


@pytest.mark.parametrize("seed", SEEDS)
def test_total_read_during_transfers_is_always_the_starting_total(seed):
    bank = Bank({name: 100 for name in NAMES})
    seen = []
    plans = [cycles(seed * 10 + i, 15) for i in range(4)]
    calls = [lambda plan=plan: call_each(bank, "transfer", plan) for plan in plans]
    calls.append(lambda: seen.extend(call_each(bank, "total", [()] * 80)))
    run_together(calls, seed, "4 threads of transfers and one reading total()")
    wrong = sorted({value for value in seen if value != 400})
    assert not wrong, (
        f"Bank({{'a': 100, 'b': 100, 'c': 100, 'd': 100}}): while 4 threads made transfers, "
        f"total() read {len(seen)} times gave {wrong} (seed={seed}), expected always 400: "
        "total() must not read a balance while a transfer is half-way (money gone from one "
        "account, not yet in the other), nor read one account before a transfer and the "
        "other after it. Take every account's lock, in the same order transfers take them, "
        "before summing, and release them after.")
    final = _support.balances(bank, NAMES)
    assert final == {name: 100 for name in NAMES}, (
        f"every round of transfers brings the money back, yet the balances are {final} "
        f"(seed={seed}), expected 100 each")


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_concurrent_withdrawals_never_overdraw(seed):
    bank = Bank({"a": 60, "b": 0, "c": 0, "d": 0})
    results = []

    def drain(dst):
        for _ in range(5):
            try:
                bank.transfer("a", dst, 10)
                results.append("moved")
            except InsufficientFunds:
                results.append("refused")

    run_together([lambda dst=dst: drain(dst) for dst in ["b", "c", "d", "b"]], seed,
                 "4 threads sending 10 from a (which holds 60) 5 times each")
    got = _support.balances(bank, NAMES)
    moved = results.count("moved")
    assert got["a"] >= 0 and moved == 6 and sum(got.values()) == 60, (
        f"Bank({{'a': 60, 'b': 0, 'c': 0, 'd': 0}}): 4 threads sent 10 from a, 20 times in "
        f"all, with switches forced in your code (seed={seed}): {moved} transfers went "
        f"through and the balances are {got}; expected exactly 6 to go through, a at 0 and "
        "the others refused with InsufficientFunds. Check the balance and move the money "
        "under the same lock: between a check outside it and the move, another thread "
        "spends the money.")


@pytest.mark.parametrize("seed", SEEDS[:1])
def test_no_transfer_into_one_account_is_lost(seed):
    sources = [f"s{i}" for i in range(5)]
    bank = Bank({"sink": 0, **{name: 20 for name in sources}})
    run_together([lambda src=src: call_each(bank, "transfer", [(src, "sink", 1)] * 20)
                  for src in sources], seed, "5 threads each paying 1 into sink 20 times")
    got = _support.balances(bank, ["sink", *sources])
    want = {"sink": 100, **{name: 0 for name in sources}}
    assert got == want, (
        f"5 accounts of 20 each paid 1 into sink 20 times, in 5 threads with switches forced "
        f"in your code (seed={seed}): the balances are {got}, expected {want}. Adding to a "
        "balance reads it, adds, and writes it back: do it under the account's lock.")


@pytest.mark.parametrize("seed", SEEDS[:1])
def test_a_refused_transfer_never_shows_a_negative_balance(seed):
    bank = Bank({"a": 30, "b": 30})
    seen, done = [], threading.Event()

    def overdraw():
        try:
            for _ in range(15):
                with pytest.raises(InsufficientFunds):
                    bank.transfer("a", "b", 40)
        finally:
            done.set()

    def read():
        for _ in range(200):  # until the refusals are over (a bound, should they hang)
            seen.extend(call_each(bank, "balance", [("a",)] * 10))
            if done.is_set():
                break

    run_together([overdraw, read], seed, "one thread sending 40 from a (which holds 30) 15 "
                 "times, another reading a's balance")
    negative = sorted({value for value in seen if value < 0})
    assert not negative, (
        f"Bank({{'a': 30, 'b': 30}}): while transfer('a', 'b', 40) was refused again and "
        f"again, balance('a') gave {negative} (seed={seed}): a balance must never go below "
        "zero, not even for a moment. Check the funds before you subtract, not after.")
