"""A correct alternative: JSON lines with a SHA-256 per line, and an index of offsets.

Each record is one line: the hex SHA-256 of the JSON that follows it, a space, the JSON
(ASCII only, so it never holds a newline), then a newline:

    3f2a...e1 {"op": "put", "key": "a", "value": "aGVsbG8="}\n

A line is whole only with its newline and a matching hash. Memory holds no values: the
index maps each live key to where its line is in the file (Bitcask's keydir), and get()
reads that line back and checks its hash again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile


def _line(op: str, key: str, value: bytes) -> bytes:
    payload = json.dumps({"op": op, "key": key, "value": base64.b64encode(value).decode()})
    digest = hashlib.sha256(payload.encode()).hexdigest()
    return f"{digest} {payload}\n".encode()


def _parse(line: bytes) -> dict | None:
    """The record of one line without its newline, or None when its hash does not match."""
    digest, _, payload = line.partition(b" ")
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        return None
    return json.loads(payload)


class KVStore:
    """A dict of str -> bytes kept in the log file at `path` (its folder must exist)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self._path = os.fspath(path)
        self._open()

    def _open(self) -> None:
        """Replays the log into the index and cuts off whatever follows its last good line."""
        self._log = open(self._path, "a+b")
        self._log.seek(0)
        data = self._log.read()
        self._index: dict[str, tuple[int, int]] = {}
        offset = 0
        while True:
            end = data.find(b"\n", offset)
            if end < 0:
                break  # no newline: a torn last line (or nothing left)
            record = _parse(data[offset:end])
            if record is None:
                break  # corrupt: stop, never guess where the next line starts
            if record["op"] == "put":
                self._index[record["key"]] = (offset, end - offset)
            else:
                self._index.pop(record["key"], None)
            offset = end + 1
        if offset < len(data):
            self._log.truncate(offset)

    def _append(self, line: bytes) -> int:
        offset = self._log.seek(0, os.SEEK_END)
        self._log.write(line)
        self._log.flush()
        os.fsync(self._log.fileno())
        return offset

    def put(self, key: str, value: bytes) -> None:
        line = _line("put", key, bytes(value))
        self._index[key] = (self._append(line), len(line) - 1)

    def get(self, key: str) -> bytes | None:
        where = self._index.get(key)
        if where is None:
            return None
        record = _parse(os.pread(self._log.fileno(), where[1], where[0]))
        if record is None:  # pragma: no cover -- only another writer can change the file
            raise OSError(f"the log changed under the store at offset {where[0]}")
        return base64.b64decode(record["value"])

    def delete(self, key: str) -> None:
        if key in self._index:
            self._append(_line("delete", key, b""))
            del self._index[key]

    def compact(self) -> None:
        folder = os.path.dirname(os.path.abspath(self._path))
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".compact-", delete=False) as f:
            try:
                for key in list(self._index):
                    f.write(_line("put", key, self.get(key) or b""))
                f.flush()
                os.fsync(f.fileno())
            except BaseException:
                f.close()
                os.unlink(f.name)
                raise
        os.replace(f.name, self._path)
        self._log.close()
        self._open()

    def close(self) -> None:
        self._log.close()
