"""A correct alternative: sha1, a dict of points rebuilt into a sorted list on change."""

import hashlib
from bisect import bisect


class HashRing:
    def __init__(self, nodes=(), vnodes=100):
        self.vnodes = vnodes
        self.ring = {}
        self.sorted_points = []
        self.members = []
        for node in nodes:
            self.add_node(node)

    @staticmethod
    def _h(value):
        return int(hashlib.sha1(value.encode()).hexdigest(), 16)

    def _rebuild(self):
        self.sorted_points = sorted(self.ring)

    def add_node(self, node):
        if node in self.members:
            raise ValueError(node)
        self.members.append(node)
        for i in range(self.vnodes):
            self.ring[self._h(f"{i}-{node}")] = node
        self._rebuild()

    def remove_node(self, node):
        if node not in self.members:
            raise KeyError(node)
        self.members.remove(node)
        self.ring = {p: n for p, n in self.ring.items() if n != node}
        self._rebuild()

    def get_node(self, key):
        if not self.sorted_points:
            raise LookupError(key)
        i = bisect(self.sorted_points, self._h(key)) % len(self.sorted_points)
        return self.ring[self.sorted_points[i]]

    def get_nodes(self, key, n):
        if not self.sorted_points:
            raise LookupError(key)
        out = []
        i = bisect(self.sorted_points, self._h(key))
        while len(out) < min(n, len(self.members)):
            node = self.ring[self.sorted_points[i % len(self.sorted_points)]]
            if node not in out:
                out.append(node)
            i += 1
        return out
