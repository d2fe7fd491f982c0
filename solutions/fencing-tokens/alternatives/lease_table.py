"""A correct alternative: a table of every grant by token (owner, expiry, live), tokens from
itertools.count; the lease in force is the newest live grant that has not expired. The
storage keeps values and the highest token in one dict-of-state; an owner that asks again
while it holds the lease gets a new grant (as in the reference).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any


class StaleTokenError(Exception):
    """A write carried a fencing token lower than one the storage has already accepted."""


class LockService:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._tokens = itertools.count(1)
        self._grants: dict[int, dict[str, Any]] = {}

    def _in_force(self) -> tuple[int, dict[str, Any]] | None:
        now = self._clock()
        live = [(token, grant) for token, grant in self._grants.items()
                if grant["live"] and now < grant["expires"]]
        return max(live, key=lambda item: item[0]) if live else None

    def acquire(self, owner: str, ttl: float) -> int | None:
        current = self._in_force()
        if current is not None and current[1]["owner"] != owner:
            return None
        if current is not None:
            current[1]["live"] = False
        token = next(self._tokens)
        self._grants[token] = {"owner": owner, "expires": self._clock() + ttl, "live": True}
        return token

    def renew(self, owner: str, token: int, ttl: float) -> bool:
        current = self._in_force()
        if current is None or current[0] != token or current[1]["owner"] != owner:
            return False
        current[1]["expires"] = self._clock() + ttl
        return True

    def release(self, owner: str, token: int) -> None:
        current = self._in_force()
        if current is not None and current[0] == token and current[1]["owner"] == owner:
            current[1]["live"] = False


class Storage:
    def __init__(self) -> None:
        self._state: dict[str, Any] = {"highest": None, "values": {}}

    def write(self, key: str, value: Any, token: int) -> None:
        highest = self._state["highest"]
        if highest is not None and token < highest:
            raise StaleTokenError(f"{token} < {highest}")
        self._state["highest"] = token if highest is None else max(highest, token)
        self._state["values"][key] = value

    def read(self, key: str) -> Any:
        return self._state["values"].get(key)
