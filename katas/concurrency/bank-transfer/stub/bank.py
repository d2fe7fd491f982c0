"""A bank whose accounts many threads move money between at once.

Fill in every method marked TODO. The tests call your bank from many threads with
thread switches forced inside your code: every account has a lock of its own (two
transfers between four different accounts run at the same time), a transfer takes its
two locks in one global order (A->B and B->A at once never deadlock), total() is a
consistent snapshot, and no balance ever goes below zero. The docstrings are the
contract.
"""

from __future__ import annotations


class InsufficientFunds(Exception):
    """The source account holds less than the amount: nothing was moved."""


class Bank:
    """Accounts by name, each with an integer balance and a lock of its own."""

    def __init__(self, balances: dict[str, int]) -> None:
        """The accounts (names are strings) and their starting balances."""
        # TODO: the balances, and one threading.Lock per account (not one for the bank)
        raise NotImplementedError

    def transfer(self, src: str, dst: str, amount: int) -> None:
        """Moves `amount` from account `src` to account `dst`, all at once: no other thread
        ever sees the money gone from `src` and not yet in `dst`.

        `amount <= 0` -> ValueError; an unknown account -> KeyError; `src` holding less
        than `amount` -> InsufficientFunds (nothing moves: a balance never goes below
        zero). A transfer from an account to itself changes nothing (and must not
        deadlock). Holds only the locks of `src` and `dst`, taken in one global order.
        """
        # TODO
        raise NotImplementedError

    def balance(self, account: str) -> int:
        """The balance of `account`; an unknown account -> KeyError."""
        # TODO
        raise NotImplementedError

    def total(self) -> int:
        """The sum of all balances, as one consistent snapshot: while transfers run, it
        always equals the starting total (money is never seen twice or not at all)."""
        # TODO
        raise NotImplementedError
