"""Real databases for SQL katas: embedded SQLite by default, PostgreSQL on request.

Hidden suites open a fresh database per test with `open_database()`; the harness
picks the kind from `KATA_DB` and PostgreSQL's address from `KATA_POSTGRES_DSN`.
Every PostgreSQL test gets a schema of its own, dropped afterwards, so runs never
see each other's tables.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from typing import Any, TypedDict

from harness.catalog import Kata
from harness.errors import UsageError

DEFAULT_POSTGRES_DSN = "postgresql://127.0.0.1:5432/test"
DSN_VARIABLE = "KATA_POSTGRES_DSN"
KIND_VARIABLE = "KATA_DB"


def postgres_dsn() -> str:
    return os.environ.get(DSN_VARIABLE) or DEFAULT_POSTGRES_DSN


def check_postgres(dsn: str) -> None:
    """Raises UsageError, naming KATA_POSTGRES_DSN, when PostgreSQL cannot be reached."""
    try:
        import psycopg
    except ImportError:
        raise UsageError("PostgreSQL needs the psycopg package: pip install 'psycopg[binary]'"
                         ) from None
    try:
        with psycopg.connect(dsn, connect_timeout=3):
            pass
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(
            f"cannot reach PostgreSQL at {dsn} ({reason}). Set {DSN_VARIABLE} to a server "
            "you can use (e.g. postgresql://user@host:5432/db), or drop --db to use SQLite."
        ) from None


def run_env(kata: Kata, db: str | None) -> dict[str, str]:
    """The variables that tell a SQL kata's suite which database to use (default: its first)."""
    if db is None:
        return {KIND_VARIABLE: kata.databases[0]} if kata.databases else {}
    if db not in kata.databases:
        offered = ", ".join(kata.databases) or "none: it is not a SQL kata"
        raise UsageError(f"{kata.slug} does not run on {db} (databases: {offered})")
    env = {KIND_VARIABLE: db}
    if db == "postgresql":
        dsn = postgres_dsn()
        check_postgres(dsn)
        env[DSN_VARIABLE] = dsn
    return env


class Database:
    """One connection to a fresh database, with `?` placeholders on every kind."""

    def __init__(self, kind: str, connection: Any, errors: tuple[type[BaseException], ...]):
        self.kind = kind
        self.connection = connection
        #: what the database raises when it refuses a row (constraint, length, type)
        self.refusals = errors

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Runs one statement and returns its rows (empty for statements without any)."""
        if self.kind == "postgresql":
            sql = _to_pyformat(sql)
        cursor = self.connection.execute(sql, tuple(params))
        rows = cursor.fetchall() if cursor.description else []
        return [tuple(row) for row in rows]

    def executescript(self, script: str) -> None:
        """Runs a whole SQL file (several statements)."""
        if self.kind == "sqlite":
            self.connection.executescript(script)
        else:
            self.connection.execute(script)

    def refuses(self, sql: str, params: Sequence[Any] = ()) -> bool:
        """Runs a statement the database should refuse; True when it did."""
        try:
            self.execute(sql, params)
        except self.refusals:
            return True
        return False

    def tables(self) -> set[str]:
        if self.kind == "sqlite":
            rows = self.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        else:
            rows = self.execute("SELECT table_name FROM information_schema.tables "
                                "WHERE table_schema = current_schema()")
        return {r[0] for r in rows}


def _to_pyformat(sql: str) -> str:
    """Turns `?` placeholders into psycopg's `%s` (and escapes literal percent signs)."""
    return re.sub(r"\?", "%s", sql.replace("%", "%%"))


@contextlib.contextmanager
def open_database(kind: str | None = None) -> Iterator[Database]:
    """Opens a fresh, empty database of the kind the run asked for."""
    kind = kind or os.environ.get(KIND_VARIABLE) or "sqlite"
    if kind == "sqlite":
        with _sqlite() as db:
            yield db
    elif kind == "postgresql":
        with _postgres(postgres_dsn()) as db:
            yield db
    else:
        raise ValueError(f"unknown database kind {kind!r}; use sqlite or postgresql")


@contextlib.contextmanager
def _sqlite() -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix="kata-db-") as folder:
        connection = sqlite3.connect(os.path.join(folder, "test.db"), isolation_level=None)
        # The learner's SQL reaches this database only: no other file (ATTACH, VACUUM INTO
        # open one anywhere the grader may write) and no extension (native code).
        connection.set_authorizer(_sqlite_authorizer)
        # The hidden tests' connections enforce foreign keys: a connection setting on SQLite.
        connection.execute("PRAGMA foreign_keys = ON")
        try:
            yield Database("sqlite", connection, (sqlite3.IntegrityError,))
        finally:
            connection.close()


_SQLITE_REFUSED_FUNCTIONS = frozenset({"load_extension", "fts3_tokenizer", "readfile",
                                       "writefile", "edit"})


def _sqlite_authorizer(action: int, first: str | None, second: str | None,
                       database: str | None, trigger: str | None) -> int:
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and (second or "").lower() in _SQLITE_REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


class _Login(TypedDict, total=False):
    """Who the learner's SQL connects as, when it is not the user of the DSN."""

    user: str
    password: str


@contextlib.contextmanager
def _postgres(dsn: str) -> Iterator[Database]:
    """A schema of its own, owned by a role of its own that may do nothing else: a
    superuser's SQL could run programs on the host (COPY ... TO PROGRAM) or read its files."""
    import psycopg
    from psycopg import sql

    schema = f"kata_{secrets.token_hex(8)}"
    password = secrets.token_urlsafe(24)
    admin = psycopg.connect(dsn, autocommit=True, connect_timeout=5)
    role = None
    try:
        if _may_create_roles(admin):
            role = schema
            admin.execute(sql.SQL(
                "CREATE ROLE {} LOGIN PASSWORD {} NOSUPERUSER NOCREATEDB NOCREATEROLE "
                "NOREPLICATION NOBYPASSRLS NOINHERIT CONNECTION LIMIT 4"
            ).format(sql.Identifier(role), sql.Literal(password)))
            admin.execute(sql.SQL("CREATE SCHEMA {} AUTHORIZATION {}").format(
                sql.Identifier(schema), sql.Identifier(role)))
            user: _Login = {"user": role, "password": password}
        elif _is_superuser(admin):
            raise UsageError(f"the PostgreSQL user of {DSN_VARIABLE} is a superuser that cannot "
                             "create roles: the learner's SQL must not run as a superuser")
        else:  # an unprivileged user already: the learner's SQL runs as it
            admin.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
            user = {}
        connection = psycopg.connect(dsn, autocommit=True, connect_timeout=5,
                                     options=f"-c search_path={schema}", **user)
        try:
            # an identity column GENERATED ALWAYS refuses any explicit id: a refused row too
            yield Database("postgresql", connection,
                           (psycopg.IntegrityError, psycopg.DataError,
                            psycopg.errors.GeneratedAlways))
        finally:
            connection.close()
    finally:
        admin.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        if role is not None:
            admin.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(sql.Identifier(role)))
            admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        admin.close()


def _may_create_roles(connection: Any) -> bool:
    row = connection.execute("SELECT rolsuper OR rolcreaterole FROM pg_roles "
                             "WHERE rolname = current_user").fetchone()
    return bool(row and row[0])


def _is_superuser(connection: Any) -> bool:
    row = connection.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
                             ).fetchone()
    return bool(row and row[0])
