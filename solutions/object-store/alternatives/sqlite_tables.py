"""A correct alternative: one SQLite database under root (tables buckets, objects, metadata).

Keys are stored as UTF-8 BLOBs, so the (bucket, key) index orders them in byte order and a
key never touches the file system. A put is one transaction (delete old row, insert new
row and its metadata): a failed write rolls back, a crash leaves a hot journal that the
next connection rolls back, so the old version survives either way. Listing seeks the
index entry by entry: after a common prefix it jumps past every key under it, and the
continuation token is the (base64) position to seek to next.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_DB_NAME = "objects.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS buckets (
    name TEXT PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS objects (
    id INTEGER PRIMARY KEY,
    bucket TEXT NOT NULL REFERENCES buckets(name),
    key BLOB NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    data BLOB NOT NULL,
    UNIQUE (bucket, key)
);
CREATE TABLE IF NOT EXISTS metadata (
    object_id INTEGER NOT NULL REFERENCES objects(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    value,
    PRIMARY KEY (object_id, position)
);
"""


@dataclass
class ObjectInfo:
    key: str
    size: int
    etag: str
    metadata: dict[str, str]


@dataclass
class ListResult:
    keys: list[str]
    common_prefixes: list[str]
    next_token: str | None


class NoSuchBucket(KeyError):
    """The bucket does not exist (raised by every call that names it)."""


class NoSuchKey(KeyError):
    """The bucket holds no object under that key."""


def _key_bytes(key: str) -> bytes:
    if not isinstance(key, str) or not key:
        raise ValueError("a key is a non-empty string")
    raw = key.encode("utf-8")
    if len(raw) > 1024:
        raise ValueError(f"a key is at most 1024 UTF-8 bytes, this one has {len(raw)}")
    return raw


def _past(prefix: bytes) -> bytes:
    """The smallest byte string after every string that starts with prefix (UTF-8 never
    holds 0xff, but strip such bytes anyway)."""
    trimmed = prefix.rstrip(b"\xff")
    return trimmed[:-1] + bytes([trimmed[-1] + 1])


class ObjectStore:
    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        # autocommit mode: transactions are opened explicitly, reads hold no lock afterwards
        self._db = sqlite3.connect(self.root / _DB_NAME, timeout=30.0,
                                   isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA temp_store = MEMORY")  # no temporary files outside root
        self._db.execute("PRAGMA synchronous = FULL")
        with self._lock:
            self._transaction(self._create_schema)

    def _create_schema(self) -> None:
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                self._db.execute(statement)

    def _transaction(self, work):
        """Runs work() inside BEGIN IMMEDIATE ... COMMIT; any failure rolls back."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            result = work()
            self._db.execute("COMMIT")
        except BaseException:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:  # pragma: no cover -- the journal still restores it
                pass
            raise
        return result

    def __del__(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            try:
                db.close()
            except Exception:  # pragma: no cover
                pass

    # -- buckets ---------------------------------------------------------------------

    def _require_bucket(self, name: str) -> None:
        if not isinstance(name, str):
            raise NoSuchBucket(name)
        row = self._db.execute("SELECT 1 FROM buckets WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise NoSuchBucket(name)

    def create_bucket(self, name: str) -> None:
        if not isinstance(name, str) or not _BUCKET_NAME.fullmatch(name):
            raise ValueError(f"invalid bucket name {name!r}")
        with self._lock:
            try:
                self._transaction(
                    lambda: self._db.execute("INSERT INTO buckets (name) VALUES (?)", (name,)))
            except sqlite3.IntegrityError:
                raise ValueError(f"bucket {name!r} already exists") from None

    # -- objects ---------------------------------------------------------------------

    def put_object(self, bucket: str, key: str, data: bytes,
                   metadata: dict[str, str] | None = None) -> str:
        payload = bytes(data)
        etag = hashlib.md5(payload).hexdigest()
        pairs = list(dict(metadata or {}).items())
        with self._lock:
            # The contract says which error each rule gives, not which rule is checked
            # first; like the reference, this store checks the key first.
            raw = _key_bytes(key)
            self._require_bucket(bucket)

            def write() -> None:
                self._db.execute("DELETE FROM objects WHERE bucket = ? AND key = ?",
                                 (bucket, raw))
                cursor = self._db.execute(
                    "INSERT INTO objects (bucket, key, size, etag, data) VALUES (?, ?, ?, ?, ?)",
                    (bucket, raw, len(payload), etag, payload))
                self._db.executemany(
                    "INSERT INTO metadata (object_id, position, name, value) VALUES (?, ?, ?, ?)",
                    [(cursor.lastrowid, i, k, v) for i, (k, v) in enumerate(pairs)])

            self._transaction(write)
        return etag

    def _fetch(self, bucket: str, key: str, with_data: bool) -> tuple[bytes | None, ObjectInfo]:
        with self._lock:
            # The contract says which error each rule gives, not which rule is checked
            # first; like the reference, this store checks the key first.
            raw = _key_bytes(key)
            self._require_bucket(bucket)
            # one read transaction: the row and its metadata come from the same version
            self._db.execute("BEGIN")
            try:
                row = self._db.execute(
                    f"SELECT id, size, etag{', data' if with_data else ''} FROM objects "
                    "WHERE bucket = ? AND key = ?", (bucket, raw)).fetchone()
                meta = [] if row is None else self._db.execute(
                    "SELECT name, value FROM metadata WHERE object_id = ? ORDER BY position",
                    (row[0],)).fetchall()
            finally:
                self._db.execute("COMMIT")
        if row is None:
            raise NoSuchKey(key)
        data = bytes(row[3]) if with_data else None
        return data, ObjectInfo(key, row[1], row[2], dict(meta))

    def get_object(self, bucket: str, key: str) -> tuple[bytes, ObjectInfo]:
        data, info = self._fetch(bucket, key, with_data=True)
        return data, info

    def head_object(self, bucket: str, key: str) -> ObjectInfo:
        return self._fetch(bucket, key, with_data=False)[1]

    def delete_object(self, bucket: str, key: str) -> None:
        with self._lock:
            # The contract says which error each rule gives, not which rule is checked
            # first; like the reference, this store checks the key first.
            raw = _key_bytes(key)
            self._require_bucket(bucket)
            self._transaction(lambda: self._db.execute(
                "DELETE FROM objects WHERE bucket = ? AND key = ?", (bucket, raw)))

    # -- listing ---------------------------------------------------------------------

    def list_objects(self, bucket: str, prefix: str = "", delimiter: str | None = None,
                     max_keys: int = 1000, continuation_token: str | None = None) -> ListResult:
        wanted = prefix.encode("utf-8")
        split = delimiter.encode("utf-8") if delimiter else b""
        seek = wanted
        if continuation_token:
            try:
                seek = max(seek, base64.urlsafe_b64decode(continuation_token.encode("ascii")))
            except (binascii.Error, UnicodeEncodeError, ValueError):
                raise ValueError(f"invalid continuation token {continuation_token!r}") from None
        if wanted:
            query = ("SELECT key FROM objects WHERE bucket = ? AND key >= ? AND key < ? "
                     "ORDER BY key LIMIT 1")
            bound: tuple = (_past(wanted),)
        else:
            query = "SELECT key FROM objects WHERE bucket = ? AND key >= ? ORDER BY key LIMIT 1"
            bound = ()
        keys: list[str] = []
        prefixes: list[str] = []
        token: str | None = None
        with self._lock:
            self._require_bucket(bucket)
            if max_keys <= 0:
                return ListResult([], [], None)
            self._db.execute("BEGIN")  # one snapshot for the whole page
            try:
                while True:
                    row = self._db.execute(query, (bucket, seek, *bound)).fetchone()
                    if row is None:
                        break
                    if len(keys) + len(prefixes) == max_keys:
                        token = base64.urlsafe_b64encode(seek).decode("ascii")
                        break
                    found = bytes(row[0])
                    cut = found.find(split, len(wanted)) if split else -1
                    if cut >= 0:
                        rolled = found[:cut + len(split)]
                        prefixes.append(rolled.decode("utf-8"))
                        seek = _past(rolled)  # skip every key under the common prefix
                    else:
                        keys.append(found.decode("utf-8"))
                        seek = found + b"\x00"  # the next byte string after this key
            finally:
                self._db.execute("COMMIT")
        return ListResult(keys, prefixes, token)
