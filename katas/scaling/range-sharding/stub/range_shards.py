"""Range sharding: the key space split into ranges, each range a shard, and a shard that
grows past its limit split in two at its median key.

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.

Keys are strings, ordered as Python orders them. A shard is a range [lower, upper):
the lower bound is inclusive, the upper exclusive, and None stands for unbounded.
"""

from __future__ import annotations


class RangeShardMap:
    """Shards that cover the whole key space in order, without gaps or overlaps."""

    def __init__(self, max_keys: int) -> None:
        """One shard, (None, None, id), holding no key. A shard may hold at most
        `max_keys` keys."""
        # TODO
        raise NotImplementedError

    def insert(self, key: str) -> None:
        """Adds `key` to the shard whose range holds it. If that shard now holds more
        than `max_keys` keys, it splits at its median key (keys[len(keys) // 2] of its
        sorted keys) into [lower, median) and [median, upper). No other shard changes.
        Inserting a key that is already there changes nothing."""
        # TODO
        raise NotImplementedError

    def shard_for(self, key: str) -> int:
        """The id of the shard whose range holds `key` (inserted or not)."""
        # TODO
        raise NotImplementedError

    def shards(self) -> list[tuple[str | None, str | None, int]]:
        """Every shard as (lower, upper, id), in key order: the first lower bound and the
        last upper bound are None, and each upper bound is the next shard's lower bound.
        Ids are never reused: an id that has gone (its shard split) never comes back, and
        no two shards share one. Which half of a split keeps the old id, if any, is yours
        to choose."""
        # TODO
        raise NotImplementedError
