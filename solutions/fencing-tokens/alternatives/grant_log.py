"""A correct alternative: the service keeps a log of every grant, and a grant's token is its
place in the log, so tokens grow by construction; the storage keeps every accepted write
and compares with the highest token among them. An owner that asks again while it holds
the lease gets its lease extended under the same token (the reference grants a new one):
the contract leaves that choice open.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


class StaleTokenError(Exception):
    """A write carried a fencing token lower than one the storage has already accepted."""


class LockService:
    """A log of every grant: a grant's token is its place in the log, so tokens grow by
    construction; the lease in force is the last grant, unless it ended."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._grants: list[list[Any]] = []  # [owner, expires]; token = index + 1
        self._ended: set[int] = set()  # tokens released

    def _holder(self, now: float) -> tuple[str, int] | None:
        if not self._grants:
            return None
        token = len(self._grants)
        owner, expires = self._grants[-1]
        if token in self._ended or expires <= now:
            return None
        return owner, token

    def acquire(self, owner: str, ttl: float) -> int | None:
        now = self._clock()
        holder = self._holder(now)
        if holder is not None and holder[0] != owner:
            return None
        if holder is not None:  # the holder asks again: its lease is renewed, same token
            self._grants[-1][1] = now + ttl
            return holder[1]
        self._grants.append([owner, now + ttl])
        return len(self._grants)

    def renew(self, owner: str, token: int, ttl: float) -> bool:
        now = self._clock()
        if self._holder(now) != (owner, token):
            return False
        self._grants[-1][1] = now + ttl
        return True

    def release(self, owner: str, token: int) -> None:
        if self._holder(self._clock()) == (owner, token):
            self._ended.add(token)


class Storage:
    """Every accepted write kept as (token, key, value); the highest token is the max."""

    def __init__(self) -> None:
        self._accepted: list[tuple[int, str, Any]] = []

    def write(self, key: str, value: Any, token: int) -> None:
        if self._accepted and token < max(t for t, _, _ in self._accepted):
            raise StaleTokenError(f"token {token} is stale")
        self._accepted.append((token, key, value))

    def read(self, key: str) -> Any:
        for _, written, value in reversed(self._accepted):
            if written == key:
                return value
        return None
