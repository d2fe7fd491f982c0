"""An LRU cache: keep the most recently used entries, evict the least recently used.

The reference: an OrderedDict kept in recency order, least recently used first.
"""

from __future__ import annotations

from collections import OrderedDict
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
        if capacity < 0:
            raise ValueError(f"capacity must be 0 or more, not {capacity}")
        self._capacity = capacity
        self._on_evict = on_evict
        self._entries: OrderedDict[Any, Any] = OrderedDict()  # least recently used first
        self._hits = 0
        self._misses = 0
        self._evictions = 0

    def get(self, key: Any, default: Any = None) -> Any:
        entries = self._entries
        if key not in entries:  # not entries.get(key): a stored None is a hit
            self._misses += 1
            return default
        entries.move_to_end(key)
        self._hits += 1
        return entries[key]

    def put(self, key: Any, value: Any) -> None:
        entries = self._entries
        if key in entries:
            entries[key] = value
            entries.move_to_end(key)
            return
        entries[key] = value
        if len(entries) > self._capacity:  # at capacity 0, the new entry itself goes
            self._evict(*entries.popitem(last=False))

    def _evict(self, key: Any, value: Any) -> None:
        self._evictions += 1
        if self._on_evict is not None:
            self._on_evict(key, value)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Any) -> bool:
        return key in self._entries

    @property
    def stats(self) -> CacheStats:
        return CacheStats(self._hits, self._misses, self._evictions)
