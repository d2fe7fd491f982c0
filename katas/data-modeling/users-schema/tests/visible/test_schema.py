"""Examples of what the hidden tests check: rows the database must accept or refuse."""

from pathlib import Path

import pytest

from harness.databases import open_database

def schema() -> str:
    """The learner's schema.sql, read when a test needs it (never while tests are collected)."""
    return Path("schema.sql").read_text(encoding="utf-8")


@pytest.fixture
def db():
    with open_database() as database:
        database.executescript(schema())
        yield database


@pytest.mark.users
def test_a_user_gets_an_id(db):
    db.execute("INSERT INTO users (username, email) VALUES (?, ?)", ["ana", "ana@example.org"])
    rows = db.execute("SELECT id, username FROM users")
    assert len(rows) == 1 and isinstance(rows[0][0], int), f"users holds {rows}"


@pytest.mark.users
def test_usernames_are_unique(db):
    db.execute("INSERT INTO users (username, email) VALUES (?, ?)", ["ana", "ana@example.org"])
    assert db.refuses("INSERT INTO users (username, email) VALUES (?, ?)",
                      ["ana", "other@example.org"]), "a second user named ana was accepted"


@pytest.mark.roles
def test_role_names_are_unique(db):
    db.execute("INSERT INTO roles (name) VALUES (?)", ["admin"])
    assert db.refuses("INSERT INTO roles (name) VALUES (?)", ["admin"])
