"""A correct alternative: a plain dict, which keeps insertion order since Python 3.7.
Refreshing an entry is taking it out and putting it back at the end; the least recently
used entry is the first one. Stats are a live CacheStats the cache hands out as is."""

from dataclasses import dataclass

_MISSING = object()


@dataclass
class CacheStats:
    hits: int
    misses: int
    evictions: int


class LRUCache:
    def __init__(self, capacity, on_evict=None):
        if capacity < 0:
            raise ValueError(capacity)
        self.capacity = capacity
        self.on_evict = on_evict or (lambda key, value: None)
        self.data = {}
        self.stats = CacheStats(0, 0, 0)

    def get(self, key, default=None):
        value = self.data.pop(key, _MISSING)
        if value is _MISSING:
            self.stats.misses += 1
            return default
        self.data[key] = value
        self.stats.hits += 1
        return value

    def put(self, key, value):
        if key in self.data:
            del self.data[key]
        elif len(self.data) >= self.capacity:
            if self.capacity == 0:
                self.stats.evictions += 1
                self.on_evict(key, value)
                return
            oldest = next(iter(self.data))
            self.stats.evictions += 1
            self.on_evict(oldest, self.data.pop(oldest))
        self.data[key] = value

    def __len__(self):
        return len(self.data)

    def __contains__(self, key):
        return key in self.data
