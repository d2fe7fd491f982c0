"""Databases for SQL katas: a fresh one per test, SQLite by default, PostgreSQL on request."""

from __future__ import annotations

import pytest

from conftest import FIXTURE_CATALOG
from harness import databases
from harness.catalog import Catalog
from harness.errors import UsageError

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    name VARCHAR(5) NOT NULL UNIQUE CHECK (length(name) <= 5),
    owner TEXT
);
"""


def _postgres_or_skip() -> None:
    try:
        databases.check_postgres(databases.postgres_dsn())
    except UsageError as exc:
        if __import__("os").environ.get("CI"):
            pytest.fail(f"CI runs a PostgreSQL server: {exc}")
        pytest.skip(str(exc))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_fresh_database_accepts_and_refuses_rows(kind):
    if kind == "postgresql":
        _postgres_or_skip()
    with databases.open_database(kind) as db:
        assert db.tables() == set()
        db.executescript(SCHEMA)
        db.executescript(SCHEMA)  # IF NOT EXISTS: runs twice
        db.execute("INSERT INTO items (name, owner) VALUES (?, ?)", ["cup", "50%"])
        assert db.execute("SELECT name, owner FROM items") == [("cup", "50%")]
        assert db.refuses("INSERT INTO items (name) VALUES (?)", ["cup"])
        assert db.refuses("INSERT INTO items (name) VALUES (?)", ["toolong"])
        assert not db.refuses("INSERT INTO items (name) VALUES (?)", ["mug"])


def test_postgres_schemas_are_dropped_and_never_shared():
    _postgres_or_skip()
    with databases.open_database("postgresql") as first:
        first.executescript(SCHEMA)
        with databases.open_database("postgresql") as second:
            assert second.tables() == set()
        schema = first.execute("SELECT current_schema()")[0][0]
    import psycopg

    with psycopg.connect(databases.postgres_dsn()) as conn:
        left = conn.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s",
                            (schema,)).fetchall()
    assert left == []


def test_unreachable_postgres_names_the_variable(monkeypatch):
    monkeypatch.setenv("KATA_POSTGRES_DSN", "postgresql://127.0.0.1:1/nowhere")
    with pytest.raises(UsageError, match="KATA_POSTGRES_DSN"):
        databases.check_postgres(databases.postgres_dsn())


def test_run_env_refuses_a_database_the_kata_does_not_use():
    adder = Catalog(FIXTURE_CATALOG).get("adder")
    assert databases.run_env(adder, None) == {}
    with pytest.raises(UsageError, match="does not run on sqlite"):
        databases.run_env(adder, "sqlite")


def test_postgres_runs_the_learners_sql_as_a_role_that_may_do_nothing_else(tmp_path):
    _postgres_or_skip()
    import psycopg

    marker = tmp_path / "ran"
    with databases.open_database("postgresql") as db:
        role = db.execute("SELECT current_user")[0][0]
        assert db.execute("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles "
                          "WHERE rolname = current_user") == [(False, False, False)]
        db.executescript(SCHEMA)  # its own schema is its to use
        for attack in (f"COPY (SELECT 1) TO PROGRAM 'touch {marker}'",
                       "SELECT pg_read_file('/etc/hostname')",
                       "CREATE TABLE public.planted (a int)",
                       "ALTER ROLE CURRENT_USER SUPERUSER"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                db.execute(attack)
    assert not marker.exists()
    with psycopg.connect(databases.postgres_dsn()) as conn:
        left = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchall()
    assert left == [], f"the role {role} outlived its database"


def test_sqlite_reaches_no_other_file_and_loads_no_extension(tmp_path):
    import sqlite3

    with databases.open_database("sqlite") as db:
        db.executescript(SCHEMA)
        for attack in (f"ATTACH DATABASE '{tmp_path / 'attached.db'}' AS planted",
                       f"VACUUM INTO '{tmp_path / 'copy.db'}'",
                       f"SELECT load_extension('{tmp_path / 'native'}')"):
            with pytest.raises(sqlite3.DatabaseError):
                db.execute(attack)
        assert db.execute("SELECT count(*) FROM items") == [(0,)]
    assert list(tmp_path.iterdir()) == []
