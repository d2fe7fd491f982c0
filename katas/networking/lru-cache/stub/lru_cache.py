"""An LRU cache: keep the most recently used entries, evict the least recently used.

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass
class CacheStats:
    """What the cache has counted since it was made.

    - hits: calls of `get` that found their key;
    - misses: calls of `get` that did not (they returned the default);
    - evictions: entries pushed out to make room, each reported to `on_evict`. With
      capacity 0 every `put` is one (the new entry is evicted at once).

    `put` and `in` count nothing here.
    """

    hits: int
    misses: int
    evictions: int


class LRUCache:
    """A cache of at most `capacity` entries that evicts the least recently used one.

    An entry is *used* when `put` stores it (new or updated) and when `get` finds it.
    `key in cache` only looks: it neither refreshes recency nor counts a hit or a miss.
    Every operation takes O(1) time, whatever the number of entries.
    """

    def __init__(self, capacity: int,
                 on_evict: Callable[[Any, Any], None] | None = None) -> None:
        """An empty cache holding at most `capacity` entries.

        capacity < 0 raises ValueError. Capacity 0 stores nothing: every `put` evicts its
        own new entry at once (`on_evict` is called with it, and it counts as an eviction).
        `on_evict(key, value)`, when given, is called once for every entry evicted.
        """
        # TODO: check the capacity and set up the storage and the counters
        raise NotImplementedError

    def get(self, key: Any, default: Any = None) -> Any:
        """The value stored under `key`, which becomes the most recently used entry (a hit);
        `default` when the key is not in the cache (a miss). A stored value of None is
        still a hit: it is returned as it is, not replaced by the default."""
        # TODO: look the key up, refresh its recency, count a hit or a miss
        raise NotImplementedError

    def put(self, key: Any, value: Any) -> None:
        """Stores `value` under `key` as the most recently used entry.

        A key already there gets the new value and is refreshed: nothing is evicted. A new
        key in a full cache first evicts the least recently used entry and calls
        `on_evict(key, value)` with it.
        """
        # TODO: update or insert, evicting the least recently used entry when full
        raise NotImplementedError

    def __len__(self) -> int:
        """How many entries the cache holds (never more than its capacity)."""
        # TODO
        raise NotImplementedError

    def __contains__(self, key: Any) -> bool:
        """Whether `key` is in the cache. Only looks: recency and stats stay as they are."""
        # TODO
        raise NotImplementedError

    @property
    def stats(self) -> CacheStats:
        """Hits, misses and evictions counted so far."""
        # TODO: return the counters as a CacheStats
        raise NotImplementedError
