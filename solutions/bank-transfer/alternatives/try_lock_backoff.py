"""Another design: no global order. A transfer takes the source's lock, then only TRIES
the destination's; when that is taken it lets go of both and backs off a moment before
trying again. No thread ever waits for a lock while holding another, so no circle of
waiting threads can form (deadlock is avoided by giving up "hold and wait", not
"circular wait"). The price: under contention threads retry (livelock is possible in
theory, made unlikely by a random, growing back-off), and the code is harder to reason
about than one fixed order.

The accounts are objects with their own lock and balance. total() takes every lock
with a blocking acquire in name order: it never meets a transfer waiting while holding
a lock, so it cannot deadlock with one either.
"""

from __future__ import annotations

import random
import threading
import time


class InsufficientFunds(Exception):
    """The source account holds less than the amount: nothing was moved."""


class _Account:
    __slots__ = ("lock", "balance")

    def __init__(self, balance: int) -> None:
        self.lock = threading.Lock()
        self.balance = balance


class Bank:
    """Accounts by name, each with an integer balance and a lock of its own."""

    def __init__(self, balances: dict[str, int]) -> None:
        """The accounts (names are strings) and their starting balances."""
        self._accounts = {name: _Account(balance) for name, balance in balances.items()}

    def _account(self, name: str) -> _Account:
        try:
            return self._accounts[name]
        except KeyError:
            raise KeyError(name) from None

    def transfer(self, src: str, dst: str, amount: int) -> None:
        """Moves `amount` from `src` to `dst` atomically (see the stub's contract)."""
        source, target = self._account(src), self._account(dst)
        if not amount > 0:
            raise ValueError(f"a transfer moves a positive amount, not {amount}")
        if source is target:
            return
        pause = 0.00001
        while True:
            with source.lock:
                if target.lock.acquire(blocking=False):
                    try:
                        if amount > source.balance:
                            raise InsufficientFunds(f"{src} holds {source.balance}")
                        source.balance = source.balance - amount
                        target.balance = target.balance + amount
                        return
                    finally:
                        target.lock.release()
            # Both let go: whoever holds `target` can finish. Wait a random, growing while
            # so two threads crossing each other do not retry in lockstep forever.
            time.sleep(random.uniform(0, pause))
            pause = min(pause * 2, 0.001)

    def balance(self, account: str) -> int:
        """The balance of `account`; an unknown account -> KeyError."""
        return self._account(account).balance

    def total(self) -> int:
        """The sum of all balances, as one consistent snapshot."""
        accounts = [self._accounts[name] for name in sorted(self._accounts)]
        for account in accounts:
            account.lock.acquire()
        try:
            return sum(account.balance for account in accounts)
        finally:
            for account in accounts:
                account.lock.release()
