"""The users table: generated ids, required and unique fields, lengths, defaults."""

from datetime import datetime, timezone

import pytest

from _support import schema
from harness.databases import open_database

pytestmark = pytest.mark.users

ADD = "INSERT INTO users (username, email) VALUES (?, ?)"


def load(database):
    try:
        database.executescript(schema())
    except Exception as exc:
        pytest.fail(f"schema.sql failed on a fresh {database.kind} database: "
                    f"{type(exc).__name__}: {exc}")


@pytest.fixture
def db():
    with open_database() as database:
        load(database)
        yield database


def refused(db, sql, params, why):
    assert db.refuses(sql, params), f"{sql} with {params} was accepted; {why}"


def accepted(db, sql, params, why=""):
    try:
        db.execute(sql, params)
    except db.refusals as exc:
        pytest.fail(f"{sql} with {params} was refused ({exc}); {why}")


def test_the_file_runs_twice():
    with open_database() as database:
        load(database)
        try:
            database.executescript(schema())
        except Exception as exc:
            pytest.fail(f"running schema.sql a second time failed ({exc}): use "
                        "CREATE TABLE IF NOT EXISTS (and IF NOT EXISTS on indexes)")
        database.execute(ADD, ["ana", "ana@example.org"])


def test_ids_are_generated_integers(db):
    accepted(db, ADD, ["ana", "ana@example.org"])
    accepted(db, ADD, ["ben", "ben@example.org"])
    rows = db.execute("SELECT id, username FROM users ORDER BY id")
    ids = [r[0] for r in rows]
    assert all(isinstance(i, int) for i in ids) and len(set(ids)) == 2, (
        f"two inserts without an id gave ids {ids}; expected two distinct integers")


def test_an_explicit_duplicate_id_is_refused(db):
    accepted(db, ADD, ["ana", "ana@example.org"])
    (first,) = db.execute("SELECT id FROM users")[0]
    refused(db, "INSERT INTO users (id, username, email) VALUES (?, ?, ?)",
            [first, "ben", "ben@example.org"], "id is the primary key")


@pytest.mark.parametrize("column", ["username", "email"])
def test_required_fields(db, column):
    values = {"username": "ana", "email": "ana@example.org"}
    values[column] = None
    refused(db, ADD, [values["username"], values["email"]], f"{column} is required (NOT NULL)")


def test_usernames_are_unique(db):
    accepted(db, ADD, ["ana", "ana@example.org"])
    refused(db, ADD, ["ana", "ana2@example.org"], "usernames are unique")


def test_a_username_of_50_characters_is_accepted(db):
    accepted(db, ADD, ["x" * 50, "long@example.org"], "50 characters is the limit, allowed")


@pytest.mark.parametrize("length", [51, 80])
def test_a_longer_username_is_refused(db, length):
    refused(db, ADD, ["x" * length, "long@example.org"],
            f"a {length}-character username must be refused by the database (on SQLite "
            "VARCHAR(50) is not enforced: use a CHECK)")


def test_emails_are_unique(db):
    accepted(db, ADD, ["ana", "ana@example.org"])
    refused(db, ADD, ["ben", "ana@example.org"], "emails are unique")


@pytest.mark.parametrize("other", ["ANA@example.org", "Ana@Example.Org"])
def test_emails_are_unique_regardless_of_case(db, other):
    accepted(db, ADD, ["ana", "ana@example.org"])
    refused(db, ADD, ["ben", other], "emails are unique regardless of letter case")


def test_different_emails_are_accepted(db):
    accepted(db, ADD, ["ana", "ana@example.org"])
    accepted(db, ADD, ["ben", "ben@example.org"], "different users with different emails")


def test_created_at_defaults_to_now(db):
    accepted(db, ADD, ["ana", "ana@example.org"])
    (value,) = db.execute("SELECT created_at FROM users")[0]
    assert value is not None, "created_at is empty; give it DEFAULT CURRENT_TIMESTAMP"
    when = value if isinstance(value, datetime) else _parse(str(value))
    assert when is not None, (f"created_at is {value!r}; expected a timestamp like "
                              "2026-01-31 12:00:00 or ISO 8601")
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    assert abs((now - when.replace(tzinfo=None)).total_seconds()) < 24 * 3600, (
        f"created_at is {value!r}, not the current time")


def _parse(text):
    for candidate in (text, text.replace("Z", "+00:00")):
        try:
            return datetime.fromisoformat(candidate)
        except ValueError:
            continue
    return None
