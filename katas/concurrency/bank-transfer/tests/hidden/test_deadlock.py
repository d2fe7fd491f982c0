"""No deadlock: many threads moving money both ways between the same accounts at once,
thread switches forced inside your code (seeded: a failure names the seed that replays
it), all finish, and no money is made or lost on the way."""

import _support
import pytest
from bank import Bank

from harness.testing import call_each, race_seeds

pytestmark = pytest.mark.deadlock

SEEDS = race_seeds(3)
EACH = 40  # transfers per thread, sent in one message (call_each)


CROSSING = ("One thread holds a's lock and waits for b's while another holds b's and waits "
            "for a's; take the two locks in one global order (sorted by account name), "
            "whatever the direction of the transfer.")


def run_all(bank, plans, seed, what, why=CROSSING):
    """Each plan (a list of (src, dst, amount)) runs in a thread of its own, its transfers
    back to back, under forced switching; fails with your threads' stacks on a deadlock."""
    _support.run_switched([lambda plan=plan: call_each(bank, "transfer", plan)
                           for plan in plans], seed, what, why + " ")


@pytest.mark.parametrize("seed", SEEDS)
def test_transfers_both_ways_between_two_accounts_all_finish(seed):
    bank = Bank({"a": 1000, "b": 1000})
    plans = [[("a", "b", 1) if i % 2 == 0 else ("b", "a", 1)] * EACH for i in range(6)]
    run_all(bank, plans, seed, f"6 threads, 3 sending a->b and 3 b->a, {EACH} times each")
    got = _support.balances(bank, ["a", "b"])
    assert got == {"a": 1000, "b": 1000}, (
        f"as many a->b as b->a transfers of 1 from 1000 each left {got} (seed={seed}), "
        "expected {'a': 1000, 'b': 1000}")


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_transfers_around_a_circle_all_finish(seed):
    names = ["a", "b", "c", "d"]
    bank = Bank({name: 500 for name in names})
    plans = [[(names[i], names[(i + 1) % 4], 2)] * EACH for i in range(4)]
    plans += [[(names[(i + 1) % 4], names[i], 2)] * EACH for i in range(4)]
    run_all(bank, plans, seed, "8 threads: a->b, b->c, c->d, d->a and back again")
    got = _support.balances(bank, names)
    assert got == {name: 500 for name in names}, (
        f"every transfer around the circle undone by one the other way left {got} "
        f"(seed={seed}), expected 500 each")


@pytest.mark.parametrize("seed", SEEDS[:1])
def test_transfers_to_the_same_account_among_others_all_finish(seed):
    bank = Bank({"a": 300, "b": 300})
    plans = [[("a", "a", 1)] * EACH, [("b", "b", 1)] * EACH, [("a", "b", 1)] * EACH,
             [("b", "a", 1)] * EACH]
    run_all(bank, plans, seed, "4 threads: a->a, b->b, a->b and b->a",
            "A transfer from an account to itself must change nothing and take no second "
            "lock (a threading.Lock taken twice by one thread waits for itself); between "
            "two accounts, take the locks in one global order.")
    got = _support.balances(bank, ["a", "b"])
    assert got == {"a": 300, "b": 300}, f"the transfers left {got} (seed={seed})"
