"""A lock service that grants leases with fencing tokens, and a storage that checks them.

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.

Time is injected: the service reads the time only through `clock` (seconds, as a float),
so the tests can move it by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class StaleTokenError(Exception):
    """A write carried a fencing token lower than one the storage has already accepted."""


class LockService:
    """Grants one lease at a time. A lease belongs to an owner until it is released or
    expires; each grant comes with a fencing token, a number higher than every token this
    service granted before."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        """A service with no lease granted yet, reading the time from `clock`."""
        # TODO: the current lease (owner, token, expiry) and the last token granted
        raise NotImplementedError

    def acquire(self, owner: str, ttl: float) -> int | None:
        """Grants `owner` a lease that expires at clock() + ttl, and returns its fencing
        token: strictly higher than every token granted before, whoever held it and
        however that lease ended. While another owner holds a lease that has not expired,
        returns None and changes nothing."""
        # TODO
        raise NotImplementedError

    def renew(self, owner: str, token: int, ttl: float) -> bool:
        """Extends the current lease to expire at clock() + ttl, and returns True, when
        `owner` holds it with `token` and it has not expired. Otherwise (another owner's
        lease, an older token of this owner, a lease someone else has taken over since)
        returns False and changes nothing."""
        # TODO
        raise NotImplementedError

    def release(self, owner: str, token: int) -> None:
        """Ends the current lease at once when `owner` holds it with `token`, so another
        owner may acquire right away. From anyone else (a holder that was overtaken, an
        old token) it does nothing."""
        # TODO
        raise NotImplementedError


class Storage:
    """A key-value store that takes writes only from the newest lock holder it has seen:
    it remembers the highest fencing token it has accepted, over all keys."""

    def __init__(self) -> None:
        """An empty storage that has accepted no token yet."""
        # TODO
        raise NotImplementedError

    def write(self, key: str, value: Any, token: int) -> None:
        """Stores `value` under `key` when `token` is at least the highest token accepted
        so far (by a write to any key), and remembers it. A lower token raises
        StaleTokenError and changes nothing."""
        # TODO
        raise NotImplementedError

    def read(self, key: str) -> Any:
        """The value last stored under `key`, or None if it was never written."""
        # TODO
        raise NotImplementedError
