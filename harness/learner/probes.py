"""Trusted helpers that hidden suites run inside the learner's process, by name.

Some mistakes only show inside the process that makes them: a returned object that
is the store's own (an edit changes the store), ids drawn from `random` (predictable
once it is seeded). Values cross the boundary as copies, so a suite asks for one of
these functions instead (`harness.testing.in_learner`). Each takes and returns plain
data or the learner's objects; none is written by the learner.
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import sys
from typing import Any

__all__ = ["call_with_large_bytes", "edit_result", "seed_random"]


def seed_random(seed: int) -> None:
    """Seeds the `random` module of the learner's process."""
    random.seed(seed)


def call_with_large_bytes(module: str, function: str, value: Any, field: str, size: int,
                          fill: int) -> dict:
    """Calls `module.function(value)` with the dataclass `value`'s bytes `field` replaced by
    `size` bytes of `fill`, made here: a 16 MiB argument and result then cost a hash, not two
    crossings. Returns the result's length, first 64 bytes and sha256 (a bytes-like result)."""
    big = dataclasses.replace(value, **{field: bytes([fill]) * size})
    result = bytes(getattr(sys.modules[module], function)(big))
    return {"length": len(result), "head": result[:64],
            "sha256": hashlib.sha256(result).hexdigest()}


def edit_result(obj: Any, method: str, *args: Any) -> None:
    """Calls `obj.method(*args)` and edits what it returned, in place, the way a caller
    might: every public text attribute set to a marker, every dict and list grown by one."""
    _edit(getattr(obj, method)(*args), depth=0)


_MARK = "edited-by-the-caller"


def _edit(value: Any, depth: int) -> None:
    if depth > 4 or value is None or isinstance(value, (str, bytes, int, float, bool)):
        return
    if isinstance(value, dict):
        for item in list(value.values()):
            _edit(item, depth + 1)
        value[_MARK] = True
    elif isinstance(value, list):
        for item in value:
            _edit(item, depth + 1)
        value.append(_MARK)
    elif hasattr(value, "__dict__"):
        for name, item in list(vars(value).items()):
            if name.startswith("_"):
                continue
            if isinstance(item, (dict, list)):
                _edit(item, depth + 1)
            elif isinstance(item, str):
                try:
                    setattr(value, name, _MARK)
                except Exception:  # a frozen dataclass: nothing a caller could change
                    pass
