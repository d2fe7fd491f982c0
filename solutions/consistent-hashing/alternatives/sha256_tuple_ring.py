"""A correct alternative: sha256 truncated to 64 bits, one sorted list of (point, node)
tuples kept with bisect.insort, vnodes named "node|vnode-i", each node remembering its
own points so removal deletes exactly those."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable
from itertools import chain


def _position(text: str) -> int:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[-8:], "little")


class HashRing:
    def __init__(self, nodes: Iterable[str] = (), vnodes: int = 100) -> None:
        self._vnodes = vnodes
        self._ring: list[tuple[int, str]] = []  # sorted by point, ties by node name
        self._points_of: dict[str, list[int]] = {}
        for node in nodes:
            self.add_node(node)

    def add_node(self, node: str) -> None:
        if node in self._points_of:
            raise ValueError(f"{node!r} is already on the ring")
        points = [_position(f"{node}|vnode-{i}") for i in range(self._vnodes)]
        self._points_of[node] = points
        for point in points:
            bisect.insort(self._ring, (point, node))

    def remove_node(self, node: str) -> None:
        points = self._points_of.pop(node)  # KeyError for an unknown node
        for point in points:
            at = bisect.bisect_left(self._ring, (point, node))
            if at < len(self._ring) and self._ring[at] == (point, node):
                del self._ring[at]

    def _clockwise(self, key: str):
        if not self._ring:
            raise LookupError("empty ring")
        # (point,) sorts before every (point, node): a key on a point belongs to it
        start = bisect.bisect_left(self._ring, (_position(key),))
        return chain(self._ring[start:], self._ring[:start])

    def get_node(self, key: str) -> str:
        if not self._ring:
            raise LookupError("empty ring")
        at = bisect.bisect_left(self._ring, (_position(key),))
        return self._ring[at % len(self._ring)][1]

    def get_nodes(self, key: str, n: int) -> list[str]:
        walk = self._clockwise(key)
        wanted = min(n, len(self._points_of))
        seen: dict[str, None] = {}
        for _, node in walk:
            if len(seen) >= wanted:
                break
            seen.setdefault(node, None)
        return list(seen)
