"""Mutant: adding a node twice is accepted."""
from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable


def _point(text: str) -> int:
    # md5 is fine here: not for security, but stable across processes and machines,
    # unlike the built-in hash() of a str, which changes with PYTHONHASHSEED.
    return int.from_bytes(hashlib.md5(text.encode("utf-8")).digest()[:8], "big")


class HashRing:
    """Maps keys to nodes so that adding or removing a node moves as few keys as possible."""

    def __init__(self, nodes: Iterable[str] = (), vnodes: int = 100) -> None:
        self._vnodes = vnodes
        self._points: list[int] = []  # sorted positions on the ring
        self._owners: list[str] = []  # the node at each position
        self._nodes: set[str] = set()
        for node in nodes:
            self.add_node(node)

    def add_node(self, node: str) -> None:
        """Places a node on the ring at its virtual points."""
        self._nodes.add(node)
        for i in range(self._vnodes):
            point = _point(f"{node}#{i}")
            at = bisect.bisect_left(self._points, point)
            self._points.insert(at, point)
            self._owners.insert(at, node)

    def remove_node(self, node: str) -> None:
        """Takes a node and all its virtual points off the ring."""
        if node not in self._nodes:
            raise KeyError(node)
        self._nodes.remove(node)
        kept = [(p, o) for p, o in zip(self._points, self._owners) if o != node]
        self._points = [p for p, _ in kept]
        self._owners = [o for _, o in kept]

    def get_node(self, key: str) -> str:
        """The node that owns the key: the first point clockwise from the key's digest."""
        return self.get_nodes(key, 1)[0]

    def get_nodes(self, key: str, n: int) -> list[str]:
        """n distinct nodes walking clockwise from the key (all of them if n is larger):
        where replicas of the key go."""
        if not self._points:
            raise LookupError("the ring has no nodes")
        wanted = min(n, len(self._nodes))
        start = bisect.bisect_right(self._points, _point(key))
        found: list[str] = []
        step = 0
        while len(found) < wanted:  # every node has points: the walk always finds them
            owner = self._owners[(start + step) % len(self._points)]  # wraps past the top
            if owner not in found:
                found.append(owner)
            step += 1
        return found
