"""Fills the disk with many files, each below the per-file limit: only a cap on everything the
run writes stops it. The run must end as an error that says so, in time."""

import os
import tempfile

_CHUNK = b"x" * (1024 * 1024)


def add(a: int, b: int) -> int:
    folder = tempfile.mkdtemp()
    for number in range(40):  # 40 files of 32 MiB: 1.25 GiB in all
        with open(os.path.join(folder, f"fill{number}.bin"), "wb") as out:
            for _ in range(32):
                out.write(_CHUNK)
    return a + b


def sub(a: int, b: int) -> int:
    return a - b
