"""A correct alternative: the split points in one sorted list, each shard's keys in a set
under its id, and ids from a counter; the left half of a split keeps the old id, so only
the right half takes a new one.
"""

from __future__ import annotations

import bisect


class RangeShardMap:
    def __init__(self, max_keys: int) -> None:
        self._max_keys = max_keys
        self._points: list[str] = []  # split points: shard i is [points[i-1], points[i])
        self._ids: list[int] = [1]  # the id of shard i
        self._keys: dict[int, set[str]] = {1: set()}
        self._next_id = 2

    def _position(self, key: str) -> int:
        return bisect.bisect_right(self._points, key)

    def insert(self, key: str) -> None:
        position = self._position(key)
        shard = self._ids[position]
        keys = self._keys[shard]
        keys.add(key)
        if len(keys) <= self._max_keys:
            return
        ordered = sorted(keys)
        median = ordered[len(ordered) // 2]
        new = self._next_id
        self._next_id += 1
        self._keys[shard] = set(ordered[:len(ordered) // 2])
        self._keys[new] = set(ordered[len(ordered) // 2:])
        self._points.insert(position, median)
        self._ids.insert(position + 1, new)

    def shard_for(self, key: str) -> int:
        return self._ids[self._position(key)]

    def shards(self) -> list[tuple[str | None, str | None, int]]:
        lowers = [None, *self._points]
        uppers = [*self._points, None]
        return list(zip(lowers, uppers, self._ids, strict=True))
