"""Roles and user_roles: unique names, a composite key, foreign keys."""

import pytest

from _support import load_schema
from harness.databases import open_database

pytestmark = pytest.mark.roles


@pytest.fixture
def db():
    with open_database() as database:
        load_schema(database)
        yield database


def user(db, name):
    db.execute("INSERT INTO users (username, email) VALUES (?, ?)", [name, f"{name}@example.org"])
    return db.execute("SELECT id FROM users WHERE username = ?", [name])[0][0]


def role(db, name):
    db.execute("INSERT INTO roles (name) VALUES (?)", [name])
    return db.execute("SELECT id FROM roles WHERE name = ?", [name])[0][0]


def test_roles_get_generated_ids(db):
    ids = [role(db, "admin"), role(db, "editor")]
    assert all(isinstance(i, int) for i in ids) and ids[0] != ids[1], f"role ids {ids}"


def test_role_names_are_unique(db):
    role(db, "admin")
    assert db.refuses("INSERT INTO roles (name) VALUES (?)", ["admin"]), (
        "a second role named admin was accepted; role names are unique")


def test_role_names_are_required(db):
    assert db.refuses("INSERT INTO roles (name) VALUES (?)", [None]), (
        "a role without a name was accepted; name is NOT NULL")


def test_a_user_can_hold_several_roles(db):
    ana = user(db, "ana")
    for name in ("admin", "editor"):
        rid = role(db, name)
        db.execute("INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)", [ana, rid])
    count = db.execute("SELECT COUNT(*) FROM user_roles WHERE user_id = ?", [ana])[0][0]
    assert count == 2, f"ana holds {count} roles after two grants"


def test_the_same_grant_twice_is_refused(db):
    ana, admin = user(db, "ana"), role(db, "admin")
    db.execute("INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)", [ana, admin])
    assert db.refuses("INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)", [ana, admin]), (
        "granting ana admin twice was accepted; (user_id, role_id) is the primary key")


@pytest.mark.parametrize("missing", ["user", "role"])
def test_grants_must_point_at_existing_rows(db, missing):
    ana, admin = user(db, "ana"), role(db, "admin")
    ids = {"user": ana, "role": admin}
    ids[missing] = 9999
    assert db.refuses("INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)",
                      [ids["user"], ids["role"]]), (
        f"a grant to a {missing} that does not exist (id 9999) was accepted; "
        f"{missing}_id must REFERENCES {missing}s (id)")
