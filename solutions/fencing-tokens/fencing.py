"""A lock service that grants leases with fencing tokens, and a storage that checks them.

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.

Time is injected: the service reads the time only through `clock` (seconds, as a float),
so the tests can move it by hand.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class StaleTokenError(Exception):
    """A write carried a fencing token lower than one the storage has already accepted."""


@dataclass
class _Lease:
    owner: str
    token: int
    expires: float


class LockService:
    """Grants one lease at a time. A lease belongs to an owner until it is released or
    expires; each grant comes with a fencing token, a number higher than every token this
    service granted before."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        """A service with no lease granted yet, reading the time from `clock`."""
        self._clock = clock
        self._lease: _Lease | None = None
        self._last_token = 0

    def _current(self, now: float) -> _Lease | None:
        """The lease in force at `now`: an expired one counts as none."""
        lease = self._lease
        return lease if lease is not None and now < lease.expires else None

    def acquire(self, owner: str, ttl: float) -> int | None:
        """Grants `owner` a lease that expires at clock() + ttl, and returns its fencing
        token: strictly higher than every token granted before, whoever held it and
        however that lease ended. While another owner holds a lease that has not expired,
        returns None and changes nothing."""
        now = self._clock()
        current = self._current(now)
        if current is not None and current.owner != owner:
            return None
        self._last_token += 1
        self._lease = _Lease(owner, self._last_token, now + ttl)
        return self._last_token

    def renew(self, owner: str, token: int, ttl: float) -> bool:
        """Extends the current lease to expire at clock() + ttl, and returns True, when
        `owner` holds it with `token` and it has not expired. Otherwise (another owner's
        lease, an older token of this owner, a lease someone else has taken over since)
        returns False and changes nothing."""
        now = self._clock()
        current = self._current(now)
        if current is None or (current.owner, current.token) != (owner, token):
            return False
        current.expires = now + ttl
        return True

    def release(self, owner: str, token: int) -> None:
        """Ends the current lease at once when `owner` holds it with `token`, so another
        owner may acquire right away. From anyone else (a holder that was overtaken, an
        old token) it does nothing."""
        lease = self._lease
        if lease is not None and (lease.owner, lease.token) == (owner, token):
            self._lease = None


class Storage:
    """A key-value store that takes writes only from the newest lock holder it has seen:
    it remembers the highest fencing token it has accepted, over all keys."""

    def __init__(self) -> None:
        """An empty storage that has accepted no token yet."""
        self._values: dict[str, Any] = {}
        self._highest: int | None = None

    def write(self, key: str, value: Any, token: int) -> None:
        """Stores `value` under `key` when `token` is at least the highest token accepted
        so far (by a write to any key), and remembers it. A lower token raises
        StaleTokenError and changes nothing."""
        if self._highest is not None and token < self._highest:
            raise StaleTokenError(
                f"token {token} is older than {self._highest}, already accepted")
        self._highest = token
        self._values[key] = value

    def read(self, key: str) -> Any:
        """The value last stored under `key`, or None if it was never written."""
        return self._values.get(key)
