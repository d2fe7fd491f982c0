"""What the hidden tests of users-schema share: the learner's schema.sql, read and run on a
fresh database (imported by name: `from _support import schema`).

It runs in the grader like the tests: the learner's file is read when a test needs it, never
at import (the tests are collected before the learner's files are there)."""

from pathlib import Path

import pytest


def schema() -> str:
    """The learner's schema.sql, read when a test needs it (never while tests are collected)."""
    return Path("schema.sql").read_text(encoding="utf-8")


def load_schema(database):
    """Runs schema.sql on a fresh `database`; a schema that fails there fails the test."""
    try:
        database.executescript(schema())
    except Exception as exc:
        pytest.fail(f"schema.sql failed on a fresh {database.kind} database: {exc}")
