"""A bank whose accounts many threads move money between at once.

One lock per account, so transfers between different accounts run in parallel; a
transfer takes its two locks in one global order (by account name), so two transfers
that need the same two locks always ask for them in the same order and cannot wait on
each other in a circle; total() takes every lock in that same order, so it reads all
the balances at one instant that no transfer is half-way through.
"""

from __future__ import annotations

import threading


class InsufficientFunds(Exception):
    """The source account holds less than the amount: nothing was moved."""


class Bank:
    """Accounts by name, each with an integer balance and a lock of its own."""

    def __init__(self, balances: dict[str, int]) -> None:
        """The accounts (names are strings) and their starting balances."""
        self._balances = dict(balances)
        self._locks = {name: threading.Lock() for name in self._balances}
        # The global order every thread takes locks in: names sort the same everywhere.
        self._order = sorted(self._balances)

    def transfer(self, src: str, dst: str, amount: int) -> None:
        """Moves `amount` from account `src` to account `dst`, all at once: no other thread
        ever sees the money gone from `src` and not yet in `dst`.

        `amount <= 0` -> ValueError; an unknown account -> KeyError; `src` holding less
        than `amount` -> InsufficientFunds (nothing moves: a balance never goes below
        zero). A transfer from an account to itself changes nothing (and must not
        deadlock). Holds only the locks of `src` and `dst`, taken in one global order.
        """
        if amount <= 0:
            raise ValueError(f"a transfer moves a positive amount, not {amount}")
        for account in (src, dst):
            if account not in self._locks:
                raise KeyError(account)
        if src == dst:
            # Nothing to move, and taking the same threading.Lock twice would wait forever.
            return
        first, second = sorted((src, dst))
        with self._locks[first], self._locks[second]:
            # The check and the move under the same locks: nobody can spend the money
            # between them.
            if self._balances[src] < amount:
                raise InsufficientFunds(f"{src} holds {self._balances[src]}, not {amount}")
            self._balances[src] -= amount
            self._balances[dst] += amount

    def balance(self, account: str) -> int:
        """The balance of `account`; an unknown account -> KeyError."""
        with self._locks[account]:
            return self._balances[account]

    def total(self) -> int:
        """The sum of all balances, as one consistent snapshot: while transfers run, it
        always equals the starting total (money is never seen twice or not at all)."""
        locks = [self._locks[name] for name in self._order]
        for lock in locks:  # the same global order as transfer: no deadlock with one
            lock.acquire()
        try:
            return sum(self._balances.values())
        finally:
            for lock in reversed(locks):
                lock.release()
