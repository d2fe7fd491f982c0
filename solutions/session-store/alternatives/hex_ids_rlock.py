"""A correct alternative: token_hex ids, an RLock, dict records copied by hand."""

import secrets
import threading
import time
from dataclasses import dataclass


@dataclass
class Session:
    id: str
    user_id: str
    data: dict
    created_at: float
    last_seen: float


class SessionStore:
    def __init__(self, idle_timeout=1800, absolute_timeout=86400, clock=time.time):
        self.idle, self.absolute, self.clock = idle_timeout, absolute_timeout, clock
        self.rows = {}
        self.lock = threading.RLock()

    def _dead(self, row, now):
        return now - row["seen"] >= self.idle or now - row["born"] >= self.absolute

    def create(self, user_id, data=None):
        with self.lock:
            sid = secrets.token_hex(16)
            now = self.clock()
            self.rows[sid] = {"user": user_id, "data": dict(data or {}), "born": now,
                              "seen": now}
            return sid

    def get(self, session_id):
        with self.lock:
            row = self.rows.get(session_id)
            if row is None:
                return None
            now = self.clock()
            if self._dead(row, now):
                return None
            row["seen"] = now
            import copy
            return Session(session_id, row["user"], copy.deepcopy(row["data"]), row["born"], now)

    def rotate(self, session_id):
        with self.lock:
            row = self.rows.get(session_id)
            now = self.clock()
            if row is None or self._dead(row, now):
                raise KeyError(session_id)
            del self.rows[session_id]
            row["seen"] = now
            sid = secrets.token_hex(16)
            self.rows[sid] = row
            return sid

    def destroy(self, session_id):
        with self.lock:
            self.rows.pop(session_id, None)

    def destroy_all(self, user_id):
        with self.lock:
            mine = [k for k, r in self.rows.items() if r["user"] == user_id]
            for k in mine:
                del self.rows[k]
            return len(mine)
