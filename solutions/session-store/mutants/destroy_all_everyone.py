"""Mutant: destroy_all ends the sessions of every user."""
from __future__ import annotations

import copy
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace


@dataclass
class Session:
    id: str
    user_id: str
    data: dict
    created_at: float
    last_seen: float


class SessionStore:
    """Keeps sessions in memory; every method is atomic under one lock."""

    def __init__(self, idle_timeout: float = 1800, absolute_timeout: float = 86400,
                 clock: Callable[[], float] = time.time) -> None:
        self._idle = idle_timeout
        self._absolute = absolute_timeout
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def _new_id(self) -> str:
        # 32 random bytes from the OS's CSPRNG, base64url: 256 bits, safe in URLs and
        # cookies. `random` is predictable from its output; never use it for secrets.
        return secrets.token_urlsafe(32)

    def _alive(self, session: Session, now: float) -> bool:
        return (now - session.last_seen < self._idle
                and now - session.created_at < self._absolute)

    def _live(self, session_id: str, now: float) -> Session | None:
        session = self._sessions.get(session_id)
        if session is not None and not self._alive(session, now):
            del self._sessions[session_id]
            return None
        return session

    def create(self, user_id: str, data: dict | None = None) -> str:
        """Starts a session for user_id and returns its id."""
        with self._lock:
            now = self._clock()
            session_id = self._new_id()
            self._sessions[session_id] = Session(session_id, user_id, copy.deepcopy(data or {}),
                                                 now, now)
            return session_id

    def get(self, session_id: str) -> Session | None:
        """A copy of the live session (its expiry slides), or None."""
        with self._lock:
            now = self._clock()
            session = self._live(session_id, now)
            if session is None:
                return None
            session.last_seen = now  # sliding expiry; created_at still bounds the lifetime
            return replace(session, data=copy.deepcopy(session.data))

    def rotate(self, session_id: str) -> str:
        """Moves a live session to a new id (after login, against fixation); the old id dies."""
        with self._lock:
            now = self._clock()
            session = self._live(session_id, now)
            if session is None:
                raise KeyError(session_id)
            self._sessions.pop(session_id, None)
            new_id = self._new_id()
            self._sessions[new_id] = replace(session, id=new_id, last_seen=now)
            return new_id

    def destroy(self, session_id: str) -> None:
        """Ends a session; unknown ids are ignored."""
        with self._lock:
            self._sessions.pop(session_id, None)

    def destroy_all(self, user_id: str) -> int:
        """Ends every live session of a user ("log out everywhere"); returns how many."""
        with self._lock:
            now = self._clock()
            doomed = list(self._sessions)
            live = sum(self._alive(self._sessions[sid], now) for sid in doomed)
            for sid in doomed:
                del self._sessions[sid]
            return live
