"""Range sharding: the key space split into ranges, each range a shard, and a shard that
grows past its limit split in two at its median key.

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.

Keys are strings, ordered as Python orders them. A shard is a range [lower, upper):
the lower bound is inclusive, the upper exclusive, and None stands for unbounded.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field


@dataclass
class _Shard:
    lower: str | None
    upper: str | None
    id: int
    keys: list[str] = field(default_factory=list)  # sorted


class RangeShardMap:
    """Shards that cover the whole key space in order, without gaps or overlaps."""

    def __init__(self, max_keys: int) -> None:
        """One shard, (None, None, id), holding no key. A shard may hold at most
        `max_keys` keys."""
        self._max_keys = max_keys
        self._ids = itertools.count()
        self._shards = [_Shard(None, None, next(self._ids))]
        self._lowers: list[str] = []  # the lower bounds of every shard but the first

    def _index(self, key: str) -> int:
        """Where the shard holding `key` is: past every shard whose lower bound <= key."""
        return bisect.bisect_right(self._lowers, key)

    def insert(self, key: str) -> None:
        """Adds `key` to the shard whose range holds it. If that shard now holds more
        than `max_keys` keys, it splits at its median key (keys[len(keys) // 2] of its
        sorted keys) into [lower, median) and [median, upper). No other shard changes.
        Inserting a key that is already there changes nothing."""
        index = self._index(key)
        shard = self._shards[index]
        at = bisect.bisect_left(shard.keys, key)
        if at < len(shard.keys) and shard.keys[at] == key:
            return
        shard.keys.insert(at, key)
        if len(shard.keys) > self._max_keys:
            self._split(index)

    def _split(self, index: int) -> None:
        shard = self._shards[index]
        middle = len(shard.keys) // 2
        median = shard.keys[middle]
        left = _Shard(shard.lower, median, next(self._ids), shard.keys[:middle])
        right = _Shard(median, shard.upper, next(self._ids), shard.keys[middle:])
        self._shards[index:index + 1] = [left, right]
        self._lowers.insert(index, median)

    def shard_for(self, key: str) -> int:
        """The id of the shard whose range holds `key` (inserted or not)."""
        return self._shards[self._index(key)].id

    def shards(self) -> list[tuple[str | None, str | None, int]]:
        """Every shard as (lower, upper, id), in key order: the first lower bound and the
        last upper bound are None, and each upper bound is the next shard's lower bound.
        Ids are never reused: an id that has gone (its shard split) never comes back, and
        no two shards share one. Which half of a split keeps the old id, if any, is yours
        to choose."""
        return [(s.lower, s.upper, s.id) for s in self._shards]
