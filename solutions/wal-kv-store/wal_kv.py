"""A key-value store whose every change is a checksummed record appended to a log.

Record layout (big-endian):  crc32 (4) | op (1) | key length (4) | value length (4) | key | value
The CRC covers everything after itself, so a flipped bit anywhere in the record, the
lengths included, fails the check. Replay stops at the first record that is short or fails
its CRC: a torn tail is dropped, and nothing after a corrupt record is ever believed.
"""

from __future__ import annotations

import os
import struct
import tempfile
import zlib

_HEADER = struct.Struct(">IBII")  # crc, op, key length, value length
_PUT = 1
_DELETE = 2


def _record(op: int, key: str, value: bytes) -> bytes:
    raw_key = key.encode("utf-8")
    body = _HEADER.pack(0, op, len(raw_key), len(value))[4:] + raw_key + value
    return struct.pack(">I", zlib.crc32(body)) + body


def _replay(data: bytes) -> tuple[dict[str, bytes], int]:
    """The state the log's valid prefix describes, and where that prefix ends."""
    state: dict[str, bytes] = {}
    offset = 0
    while offset + _HEADER.size <= len(data):
        crc, op, key_len, value_len = _HEADER.unpack_from(data, offset)
        end = offset + _HEADER.size + key_len + value_len
        if end > len(data):
            break  # torn: the record runs past the end of the file
        if zlib.crc32(data[offset + 4:end]) != crc:
            break  # torn or corrupt: never trust it, nor anything after it
        key_start = offset + _HEADER.size
        key = data[key_start:key_start + key_len].decode("utf-8")
        if op == _PUT:
            state[key] = data[key_start + key_len:end]
        else:
            state.pop(key, None)
        offset = end
    return state, offset


class KVStore:
    """A dict of str -> bytes kept in the log file at `path` (its folder must exist)."""

    def __init__(self, path: str | os.PathLike) -> None:
        self._path = os.fspath(path)
        try:
            with open(self._path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            data = b""
        self._data, good = _replay(data)
        self._log = open(self._path, "ab")
        if good < len(data):
            # Cut the torn or corrupt tail off, or the next record would follow garbage
            # and be lost with it on the next replay.
            self._log.truncate(good)

    def _append(self, record: bytes) -> None:
        self._log.write(record)
        self._log.flush()
        os.fsync(self._log.fileno())

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
        folder = os.path.dirname(os.path.abspath(self._path))
        fd, temp = tempfile.mkstemp(prefix=".compact-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                for key, value in self._data.items():
                    f.write(_record(_PUT, key, value))
                f.flush()
                os.fsync(f.fileno())
            os.replace(temp, self._path)
        # A write fails only in a learner_process with a file-size limit (not covered there).
        except BaseException:  # pragma: no cover -- see above
            os.unlink(temp)
            raise
        _sync_folder(folder)
        self._log.close()
        self._log = open(self._path, "ab")

    def close(self) -> None:
        self._log.close()


def _sync_folder(folder: str) -> None:
    """Makes the rename itself durable: the folder's entry is what points at the new log."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
