"""SQL katas run on SQLite by default and on PostgreSQL with kata check --db postgresql."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from harness import databases
from harness.catalog import Catalog, default_root

KATA = Catalog(default_root()).get("users-schema")


def _postgres_or_skip() -> None:
    try:
        databases.check_postgres(databases.postgres_dsn())
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI runs a PostgreSQL server: {exc}")
        pytest.skip(str(exc))


@pytest.fixture
def workspace(kata, tmp_path):
    path = tmp_path / "ws"
    assert kata("start", "users-schema", "--dir", str(path)).returncode == 0
    return path


def _check(kata, workspace, *args):
    done = kata("check", str(workspace), "--format", "json", *args)
    return done, json.loads(done.stdout) if done.stdout.strip().startswith("{") else None


def test_the_sqlite_reference_passes_by_default(kata, workspace):
    shutil.copy(KATA.solution_path / "schema.sql", workspace / "schema.sql")
    done, result = _check(kata, workspace)
    assert done.returncode == 0, result


def test_the_postgresql_reference_passes_on_postgresql(kata, workspace):
    _postgres_or_skip()
    shutil.copy(KATA.solution_path / "postgresql" / "schema.sql", workspace / "schema.sql")
    done, result = _check(kata, workspace, "--db", "postgresql")
    assert done.returncode == 0, result


GENERATED_ALWAYS = """
CREATE TABLE IF NOT EXISTS users (
    id         INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username   VARCHAR(50) NOT NULL UNIQUE,
    email      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS users_email_ci ON users (lower(email));
CREATE TABLE IF NOT EXISTS roles (
    id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role_id BIGINT  NOT NULL REFERENCES roles (id) ON DELETE RESTRICT,
    PRIMARY KEY (user_id, role_id)
);
"""


def test_an_identity_generated_always_schema_passes_on_postgresql(kata, workspace):
    """It refuses every explicit id (SQLSTATE 428C9, not an integrity error): the duplicate
    id the suite inserts is refused, as the catalog asks; the schema is correct."""
    _postgres_or_skip()
    (workspace / "schema.sql").write_text(GENERATED_ALWAYS, encoding="utf-8")
    done, result = _check(kata, workspace, "--db", "postgresql")
    assert done.returncode == 0, [(t["name"], t["message"]) for t in result["tests"]
                                  if t["status"] != "pass"]


def test_sqlite_only_sql_fails_on_postgresql(kata, workspace):
    _postgres_or_skip()
    shutil.copy(KATA.solution_path / "schema.sql", workspace / "schema.sql")
    done, result = _check(kata, workspace, "--db", "postgresql")
    assert done.returncode == 1 and result["status"] != "pass"


def test_unreachable_postgresql_is_a_clear_usage_error(kata, workspace):
    done = kata("check", str(workspace), "--db", "postgresql",
                env={"KATA_POSTGRES_DSN": "postgresql://127.0.0.1:1/none"})
    assert done.returncode == 2
    assert "KATA_POSTGRES_DSN" in done.stderr and "Traceback" not in done.stderr


def test_a_database_the_kata_does_not_use_is_refused(kata, tmp_path):
    assert kata("start", "load-balancer", "--dir", str(tmp_path / "lb")).returncode == 0
    done = kata("check", str(tmp_path / "lb"), "--db", "sqlite")
    assert done.returncode == 2 and "does not run on sqlite" in done.stderr
