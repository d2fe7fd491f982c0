"""A key-value store that survives crashes: a write-ahead log of checksummed records.

Fill in every method marked TODO; the docstrings are the contract.
"""

from __future__ import annotations

import os


class KVStore:
    """A dict of str -> bytes kept in ONE log file, `path` itself (its folder exists; the
    file may not yet). Every change is a record appended to that file; opening a KVStore
    on an existing file replays its records. The record format is yours to choose, but
    each record carries a checksum."""

    def __init__(self, path: str | os.PathLike) -> None:
        """Opens (or creates) the log at `path` and replays it.

        Replay stops at the first record that is incomplete (the file was cut inside it:
        a torn write) or whose checksum fails (corruption): every record before it is
        recovered, it and everything after it are ignored, so the store never returns
        corrupted data. Later changes must still be recovered by the next replay."""
        # TODO
        raise NotImplementedError

    def put(self, key: str, value: bytes) -> None:
        """Sets key to value. The record is appended and flushed to the file before
        put returns (another reader of the file sees it)."""
        # TODO
        raise NotImplementedError

    def get(self, key: str) -> bytes | None:
        """The value of key, or None when it has none."""
        # TODO
        raise NotImplementedError

    def delete(self, key: str) -> None:
        """Removes key; the removal is logged and flushed like a put, so it survives a
        reopen."""
        # TODO
        raise NotImplementedError

    def compact(self) -> None:
        """Rewrites the log with only the live keys, atomically: write a new file in the
        same folder, fsync it, rename it over `path`. A crash at any point leaves either
        the old log or the new one, each complete. The store keeps working afterwards."""
        # TODO
        raise NotImplementedError

    def close(self) -> None:
        """Closes the log file."""
        # TODO
        raise NotImplementedError
