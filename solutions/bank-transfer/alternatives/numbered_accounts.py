"""Another design: accounts are objects numbered when the bank is made, and locks are
taken in the order of those numbers (an order that does not depend on how names sort,
as a database orders row locks by primary key). Each account's lock is an RLock, and
every multi-lock section goes through one helper built on contextlib.ExitStack, so
transfer() and total() cannot take locks in different orders by accident.

It also checks the funds twice: once before taking any lock (a cheap early refusal
that reads a balance without its lock, which is harmless since it changes nothing) and
again under the locks, where the answer counts.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Iterator


class InsufficientFunds(Exception):
    """The source account holds less than the amount: nothing was moved."""


class _Account:
    def __init__(self, number: int, balance: int) -> None:
        self.number = number
        self.balance = balance
        self.lock = threading.RLock()


class Bank:
    """Accounts by name, each with an integer balance and a lock of its own."""

    def __init__(self, balances: dict[str, int]) -> None:
        """The accounts (names are strings) and their starting balances."""
        numbers = itertools.count()
        self._accounts = {name: _Account(next(numbers), balance)
                          for name, balance in balances.items()}

    @contextlib.contextmanager
    def _holding(self, accounts: list[_Account]) -> Iterator[None]:
        """Holds the locks of `accounts`, taken by account number, each once."""
        with contextlib.ExitStack() as stack:
            for account in sorted(set(accounts), key=lambda a: a.number):
                stack.enter_context(account.lock)
            yield

    def transfer(self, src: str, dst: str, amount: int) -> None:
        """Moves `amount` from `src` to `dst` atomically (see the stub's contract)."""
        if not isinstance(amount, int) or amount < 1:
            raise ValueError(f"a transfer moves a positive amount, not {amount!r}")
        source, target = self._accounts[src], self._accounts[dst]
        if source is target:
            return
        if amount > source.balance:  # early, without the lock: re-checked below
            raise InsufficientFunds(f"{src} holds too little")
        with self._holding([source, target]):
            if source.balance - amount < 0:
                raise InsufficientFunds(f"{src} holds too little")
            source.balance -= amount
            target.balance += amount

    def balance(self, account: str) -> int:
        """The balance of `account`; an unknown account -> KeyError."""
        return self._accounts[account].balance

    def total(self) -> int:
        """The sum of all balances, as one consistent snapshot."""
        with self._holding(list(self._accounts.values())):
            return sum(account.balance for account in self._accounts.values())
