"""A correct alternative: a dict of nodes plus an own doubly linked list between two
sentinels (most recently used after the head, least recently used before the tail),
with the counters kept in a live CacheStats and a lock around every operation."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Any, Callable, Optional


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    evictions: int = 0


class _Node:
    __slots__ = ("key", "value", "prev", "next")

    def __init__(self, key: Any = None, value: Any = None) -> None:
        self.key = key
        self.value = value
        self.prev: _Node = self
        self.next: _Node = self


class LRUCache:
    def __init__(self, capacity: int,
                 on_evict: Optional[Callable[[Any, Any], None]] = None) -> None:
        if not capacity >= 0:
            raise ValueError("negative capacity")
        self.capacity = capacity
        self.on_evict = on_evict
        self._nodes: dict = {}
        self._head, self._tail = _Node(), _Node()
        self._head.next, self._tail.prev = self._tail, self._head
        self._stats = CacheStats()
        self._lock = threading.RLock()

    def _unlink(self, node: _Node) -> None:
        node.prev.next = node.next
        node.next.prev = node.prev

    def _push_front(self, node: _Node) -> None:
        first = self._head.next
        node.prev, node.next = self._head, first
        first.prev = node
        self._head.next = node

    def get(self, key, default=None):
        with self._lock:
            node = self._nodes.get(key)
            if node is None:
                self._stats.misses += 1
                return default
            self._unlink(node)
            self._push_front(node)
            self._stats.hits += 1
            return node.value

    def put(self, key, value) -> None:
        evicted = None
        with self._lock:
            node = self._nodes.get(key)
            if node is not None:
                node.value = value
                self._unlink(node)
                self._push_front(node)
                return
            if self.capacity == 0:
                evicted = (key, value)
            else:
                if len(self._nodes) == self.capacity:
                    last = self._tail.prev
                    self._unlink(last)
                    del self._nodes[last.key]
                    evicted = (last.key, last.value)
                node = _Node(key, value)
                self._nodes[key] = node
                self._push_front(node)
            if evicted is not None:
                self._stats.evictions += 1
        if evicted is not None and self.on_evict:  # outside the lock: it may call back in
            self.on_evict(*evicted)

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, key) -> bool:
        return key in self._nodes

    @property
    def stats(self) -> CacheStats:
        with self._lock:
            return replace(self._stats)
