"""A correct alternative: a per-user index (user_id -> set of session ids) beside the
sessions, so destroy_all touches only the user's own sessions instead of scanning all.

The two maps are kept in step inside one lock on every change: create adds to both,
rotate moves the id in both, destroy and expiry (noticed lazily, as in the reference)
remove from both, destroy_all pops the user's set and ends each id in it. Records are
immutable tuples replaced on change; ids are 24 bytes from `secrets` (192 bits).
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple


@dataclass
class Session:
    id: str
    user_id: str
    data: dict
    created_at: float
    last_seen: float


class _Record(NamedTuple):
    user_id: str
    data: dict
    created_at: float
    last_seen: float


class SessionStore:
    def __init__(self, idle_timeout: float = 1800, absolute_timeout: float = 86400,
                 clock: Callable[[], float] = time.time) -> None:
        self._idle = idle_timeout
        self._absolute = absolute_timeout
        self._clock = clock
        self._records: dict[str, _Record] = {}
        self._by_user: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    # --- helpers; all called with the lock held -------------------------------------

    def _expired(self, record: _Record, now: float) -> bool:
        return (now - record.last_seen >= self._idle
                or now - record.created_at >= self._absolute)

    def _put(self, session_id: str, record: _Record) -> None:
        self._records[session_id] = record
        self._by_user.setdefault(record.user_id, set()).add(session_id)

    def _drop(self, session_id: str) -> _Record | None:
        record = self._records.pop(session_id, None)
        if record is not None:
            ids = self._by_user.get(record.user_id)
            if ids is not None:
                ids.discard(session_id)
                if not ids:
                    del self._by_user[record.user_id]
        return record

    def _alive(self, session_id: str, now: float) -> _Record | None:
        record = self._records.get(session_id)
        if record is not None and self._expired(record, now):
            self._drop(session_id)
            return None
        return record

    def _fresh_id(self) -> str:
        while True:
            session_id = secrets.token_urlsafe(24)
            if session_id not in self._records:
                return session_id

    # --- the API ------------------------------------------------------------------------

    def create(self, user_id: str, data: dict | None = None) -> str:
        with self._lock:
            now = self._clock()
            session_id = self._fresh_id()
            self._put(session_id, _Record(user_id, copy.deepcopy(data) if data else {},
                                          now, now))
            return session_id

    def get(self, session_id: str) -> Session | None:
        with self._lock:
            now = self._clock()
            record = self._alive(session_id, now)
            if record is None:
                return None
            record = record._replace(last_seen=now)
            self._records[session_id] = record
            return Session(session_id, record.user_id, copy.deepcopy(record.data),
                           record.created_at, record.last_seen)

    def rotate(self, session_id: str) -> str:
        with self._lock:
            now = self._clock()
            if self._alive(session_id, now) is None:
                raise KeyError(session_id)
            record = self._drop(session_id)
            new_id = self._fresh_id()
            self._put(new_id, record._replace(last_seen=now))
            return new_id

    def destroy(self, session_id: str) -> None:
        with self._lock:
            self._drop(session_id)

    def destroy_all(self, user_id: str) -> int:
        with self._lock:
            now = self._clock()
            ended = 0
            for session_id in self._by_user.pop(user_id, set()):
                record = self._records.pop(session_id)
                ended += not self._expired(record, now)
            return ended
