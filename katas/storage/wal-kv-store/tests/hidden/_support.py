"""What the hidden tests of wal-kv-store share: copies of the learner's log, a model to
compare a reopened store with, and messages that say which key went wrong."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from wal_kv import KVStore


def copy_of(log: Path, folder: Path, size: int | None = None) -> Path:
    """A copy of the log in its own folder, cut to its first `size` bytes (all of it by
    default): the file a crash would have left."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / log.name
    if size is None:
        shutil.copyfile(log, target)
    else:
        with open(log, "rb") as source:
            target.write_bytes(source.read(size))
    return target


def differences(store, expected: dict[str, bytes | None]) -> list[str]:
    """One line per key whose value in `store` is not the expected one."""
    lines = []
    for key, value in expected.items():
        got = store.get(key)
        if got != value:
            lines.append(f"get({key!r}) returned {_short(got)}, expected {_short(value)}")
    return lines


def check_reopened(path: Path, expected: dict[str, bytes | None], what: str) -> None:
    """Opens a fresh KVStore on `path` and fails, naming `what` happened to the log, when a
    key differs from `expected`."""
    store = KVStore(path)
    try:
        wrong = differences(store, expected)
    finally:
        store.close()
    assert not wrong, f"{what}, a new KVStore on the log: " + "; ".join(wrong[:4]) + (
        f" (and {len(wrong) - 4} more)" if len(wrong) > 4 else "")


def workload(store, seed: int, operations: int) -> dict[str, bytes | None]:
    """A seeded mix of puts (overwrites, empty values, odd keys) and deletes on `store`;
    returns what every key touched must now hold (None: deleted)."""
    rng = random.Random(seed)
    keys = ["a", "b", "", "é", "line\nbreak", "sp ace", "k" * 200] + [f"key{i}" for i in range(20)]
    model: dict[str, bytes | None] = {}
    for _ in range(operations):
        key = rng.choice(keys)
        if rng.random() < 0.25:
            store.delete(key)
            model[key] = None
        else:
            noise = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
            value = rng.choice([b"", b"\n", noise])
            store.put(key, value)
            model[key] = value
    return model


def _short(value: bytes | None) -> str:
    if value is None or len(value) <= 24:
        return repr(value)
    return f"{value[:20]!r}... ({len(value)} bytes)"
