"""The driver of users-schema's `[model]` for `kata compare`: an implementation's schema.sql
(in the current folder) run on SQLite with foreign keys on, as the hidden tests' connections
have them, and the writes and reads whose outcome the contract fixes.

Grading material, beside the reference: `kata compare` copies it next to the implementation
in the implementation's own process; the printed counterexample is calls on `Users`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class Users:
    """A fresh in-memory database after schema.sql ran `runs` times (it must run twice)."""

    def __init__(self, runs: int = 1) -> None:
        self.db = sqlite3.connect(":memory:", isolation_level=None)
        self.db.execute("PRAGMA foreign_keys = ON")
        for run in range(1, runs + 1):
            try:
                self.db.executescript(Path("schema.sql").read_text(encoding="utf-8"))
            except sqlite3.Error as exc:
                raise RuntimeError(f"schema.sql failed on run {run}: {exc}") from None

    def add_user(self, username: str, email: str | None) -> str:
        return self._write("INSERT INTO users (username, email) VALUES (?, ?)",
                           [username, email])

    def add_role(self, name: str) -> str:
        return self._write("INSERT INTO roles (name) VALUES (?)", [name])

    def grant(self, username: str, role: str) -> str:
        """The user's role, found by username and role name (ids are the database's)."""
        return self._write("INSERT INTO user_roles (user_id, role_id) SELECT u.id, r.id FROM "
                           "users u, roles r WHERE u.username = ? AND r.name = ?",
                           [username, role])

    def delete_user(self, username: str) -> str:
        return self._write("DELETE FROM users WHERE username = ?", [username])

    def delete_role(self, name: str) -> str:
        return self._write("DELETE FROM roles WHERE name = ?", [name])

    def state(self) -> dict:
        """What the contract fixes of the tables: the users (email in lower case: its case
        as stored is free), whether each has a created_at, the roles, who holds which."""
        users = self.db.execute("SELECT username, lower(email), created_at IS NOT NULL "
                                "FROM users").fetchall()
        return {"users": sorted(users),
                "roles": sorted(r[0] for r in self.db.execute("SELECT name FROM roles")),
                "user_roles": sorted(self.db.execute(
                    "SELECT u.username, r.name FROM user_roles ur JOIN users u ON "
                    "u.id = ur.user_id JOIN roles r ON r.id = ur.role_id").fetchall())}

    def _write(self, sql: str, values: list) -> str:
        try:
            count = self.db.execute(sql, values).rowcount
        except sqlite3.Error as exc:
            return f"refused: {type(exc).__name__}"
        return f"{count} row{'s' if count != 1 else ''}"
