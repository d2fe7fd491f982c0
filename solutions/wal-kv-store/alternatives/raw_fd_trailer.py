"""A correct alternative: raw file descriptors, and a checksum that comes LAST in a record.

Record layout (big-endian):

    op (1) | key length (2) | value length (4) | key | value | blake2b-64 of all before (8)

The digest is a trailer, so it doubles as a commit mark: a record counts only once its
last 8 bytes are on disk and match everything before them (SQLite's WAL frames and
LevelDB's log records put their checksum in a header instead; either works as long as it
covers the lengths).

The log is an O_APPEND descriptor written with `os.write`, which has no buffer in the
process: when it returns, the record is in the file (what "flushed" asks), and `os.fsync`
makes it durable. Compaction writes a snapshot to a fixed side file `<log>.compact`,
fsyncs it, renames it over the log, fsyncs the folder, and opens the new log.
"""

from __future__ import annotations

import hashlib
import os
import struct

_HEAD = struct.Struct(">BHI")  # op, key length, value length
_DIGEST = 8
_PUT = ord("P")
_DELETE = ord("D")


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST).digest()


def _record(op: int, key: str, value: bytes) -> bytes:
    raw_key = key.encode("utf-8")
    body = _HEAD.pack(op, len(raw_key), len(value)) + raw_key + value
    return body + _digest(body)


def _read_all(fd: int) -> bytes:
    """The whole file behind `fd`, from its start (os.read returns at most what it is asked)."""
    chunks = []
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _replay(data: bytes) -> tuple[dict[str, bytes], int]:
    """The state the log's valid prefix describes, and where that prefix ends."""
    state: dict[str, bytes] = {}
    offset = 0
    while offset + _HEAD.size <= len(data):
        op, key_len, value_len = _HEAD.unpack_from(data, offset)
        body_end = offset + _HEAD.size + key_len + value_len
        end = body_end + _DIGEST
        if end > len(data) or _digest(data[offset:body_end]) != data[body_end:end]:
            break  # torn (cut before its trailer) or corrupt: stop here
        key = data[offset + _HEAD.size:offset + _HEAD.size + key_len].decode("utf-8")
        if op == _PUT:
            state[key] = data[offset + _HEAD.size + key_len:body_end]
        else:
            state.pop(key, None)
        offset = end
    return state, offset


def _open_log(path: str) -> int:
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class KVStore:
    """A dict of str -> bytes kept in the log file at `path` (its folder must exist)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self._path = os.fspath(path)
        self._fd = _open_log(self._path)
        data = _read_all(self._fd)
        self._data, good = _replay(data)
        if good < len(data):
            os.ftruncate(self._fd, good)  # or the next record would follow the garbage

    def _append(self, record: bytes) -> None:
        _write_all(self._fd, record)
        os.fsync(self._fd)

    def put(self, key: str, value: bytes) -> None:
        value = bytes(value)
        self._append(_record(_PUT, key, value))
        self._data[key] = value

    def get(self, key: str) -> bytes | None:
        return self._data.get(key)

    def delete(self, key: str) -> None:
        if key in self._data:
            self._append(_record(_DELETE, key, b""))
            del self._data[key]

    def compact(self) -> None:
        side = self._path + ".compact"
        # O_TRUNC: a side file left by an earlier crashed compaction is started over
        fd = os.open(side, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            _write_all(fd, b"".join(_record(_PUT, key, value)
                                    for key, value in self._data.items()))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(side, self._path)
        folder = os.open(os.path.dirname(os.path.abspath(self._path)), os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
        os.close(self._fd)  # the old log has no name any more
        self._fd = _open_log(self._path)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
