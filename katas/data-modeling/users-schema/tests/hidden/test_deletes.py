"""Deleting: a user's grants go with it; a role still in use stays."""

import pytest

from _support import load_schema
from harness.databases import open_database

pytestmark = pytest.mark.deletes


@pytest.fixture
def db():
    with open_database() as database:
        load_schema(database)
        for name in ("ana", "ben"):
            database.execute("INSERT INTO users (username, email) VALUES (?, ?)",
                             [name, f"{name}@example.org"])
        for name in ("admin", "editor"):
            database.execute("INSERT INTO roles (name) VALUES (?)", [name])
        database.execute("INSERT INTO user_roles (user_id, role_id) SELECT u.id, r.id "
                         "FROM users u, roles r WHERE u.username = 'ana'")
        database.execute("INSERT INTO user_roles (user_id, role_id) SELECT u.id, r.id "
                         "FROM users u, roles r WHERE u.username = 'ben' AND r.name = 'editor'")
        yield database


def test_deleting_a_user_deletes_its_grants(db):
    try:
        db.execute("DELETE FROM users WHERE username = ?", ["ana"])
    except db.refusals as exc:
        pytest.fail(f"deleting ana, who holds roles, was refused ({exc}); her user_roles rows "
                    "should go with her (ON DELETE CASCADE)")
    left = db.execute("SELECT COUNT(*) FROM user_roles")[0][0]
    assert left == 1, (f"after deleting ana, user_roles holds {left} rows; expected 1 (ben's): "
                       "her grants must go with her")


def test_deleting_a_role_in_use_is_refused(db):
    assert db.refuses("DELETE FROM roles WHERE name = ?", ["editor"]), (
        "deleting the role editor, held by ana and ben, was accepted; it must be refused")
    kept = db.execute("SELECT COUNT(*) FROM user_roles")[0][0]
    assert kept == 3, f"user_roles holds {kept} rows after the refused delete; expected 3"


def test_deleting_an_unused_role_is_allowed(db):
    db.execute("DELETE FROM user_roles WHERE role_id = (SELECT id FROM roles WHERE name = ?)",
               ["admin"])
    try:
        db.execute("DELETE FROM roles WHERE name = ?", ["admin"])
    except db.refusals as exc:
        pytest.fail(f"deleting the role admin, held by nobody, was refused ({exc})")
    names = [r[0] for r in db.execute("SELECT name FROM roles")]
    assert names == ["editor"], f"roles after the delete: {names}"
