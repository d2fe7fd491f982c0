"""Server-side sessions: unguessable ids, idle and absolute expiry, rotation on login.

Fill in every method marked TODO; the docstrings are the contract. Time is injected
(`clock`) so the tests can move it without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Session:
    id: str
    user_id: str
    data: dict
    created_at: float
    last_seen: float


class SessionStore:
    """Sessions in memory. Thread-safe.

    A session is alive while now - last_seen < idle_timeout AND
    now - created_at < absolute_timeout; a dead or unknown id behaves as if it never was.
    """

    def __init__(self, idle_timeout: float = 1800, absolute_timeout: float = 86400,
                 clock: Callable[[], float] = time.time) -> None:
        # TODO: the timeouts, the clock, the sessions, a lock
        raise NotImplementedError

    def create(self, user_id: str, data: dict | None = None) -> str:
        """Starts a session and returns its id: at least 128 bits from `secrets`, URL-safe,
        never reused."""
        # TODO
        raise NotImplementedError

    def get(self, session_id: str) -> Session | None:
        """A copy of the live session (deep: its data too), or None. Getting a live session
        sets last_seen to now (sliding expiry); activity never extends the absolute
        lifetime."""
        # TODO
        raise NotImplementedError

    def rotate(self, session_id: str) -> str:
        """Gives a live session a new id (same user, data and created_at; last_seen = now)
        and kills the old id at once. A dead or unknown id raises KeyError."""
        # TODO
        raise NotImplementedError

    def destroy(self, session_id: str) -> None:
        """Ends a session; unknown ids are ignored."""
        # TODO
        raise NotImplementedError

    def destroy_all(self, user_id: str) -> int:
        """Ends every session of the user and returns how many it ended."""
        # TODO
        raise NotImplementedError
