"""A correct alternative on sortedcontainers (the library a learner reaches for to keep keys
in order): a SortedDict from each shard's lower bound ("" for the first, below every other
key) to its id, and a SortedList of keys per shard; the left half of a split keeps the old
id's place but both halves take new ids from a counter.
"""

from __future__ import annotations

import itertools

from sortedcontainers import SortedDict, SortedList


class RangeShardMap:
    def __init__(self, max_keys: int) -> None:
        self._max_keys = max_keys
        self._ids = itertools.count(100)
        self._by_lower = SortedDict({"": next(self._ids)})  # lower bound -> shard id
        self._keys: dict[int, SortedList] = {self._by_lower[""]: SortedList()}

    def _lower_of(self, key: str) -> str:
        return self._by_lower.peekitem(self._by_lower.bisect_right(key) - 1)[0]

    def insert(self, key: str) -> None:
        lower = self._lower_of(key)
        shard = self._by_lower[lower]
        keys = self._keys[shard]
        if key in keys:
            return
        keys.add(key)
        if len(keys) > self._max_keys:
            median = keys[len(keys) // 2]
            left, right = next(self._ids), next(self._ids)
            self._keys[left] = SortedList(keys.irange(maximum=median, inclusive=(True, False)))
            self._keys[right] = SortedList(keys.irange(minimum=median))
            del self._keys[shard]
            self._by_lower[lower] = left
            self._by_lower[median] = right

    def shard_for(self, key: str) -> int:
        return self._by_lower[self._lower_of(key)]

    def shards(self) -> list[tuple[str | None, str | None, int]]:
        lowers = list(self._by_lower.keys())
        uppers = [*lowers[1:], None]
        return [(lower or None, upper, self._by_lower[lower])
                for lower, upper in zip(lowers, uppers, strict=True)]
