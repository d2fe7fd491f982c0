"""A consistent hash ring with virtual nodes.

Fill in every method marked TODO; the docstrings are the contract.
"""

from __future__ import annotations

from collections.abc import Iterable


class HashRing:
    """Maps keys to nodes so that adding or removing a node moves as few keys as possible.

    Keys and nodes are placed on a ring by a stable digest (hashlib: md5, sha1, sha256),
    never the built-in hash(), so every process maps a key the same way. Each node
    takes `vnodes` points on the ring; a key belongs to the first point clockwise.
    """

    def __init__(self, nodes: Iterable[str] = (), vnodes: int = 100) -> None:
        """Creates a ring holding `nodes`, each at `vnodes` points."""
        # TODO: the ring's points, their owners, and add the nodes
        raise NotImplementedError

    def add_node(self, node: str) -> None:
        """Adds a node at its virtual points; a node already on the ring: ValueError."""
        # TODO
        raise NotImplementedError

    def remove_node(self, node: str) -> None:
        """Removes a node and all its points; an unknown node: KeyError."""
        # TODO
        raise NotImplementedError

    def get_node(self, key: str) -> str:
        """The node owning the key (first point clockwise); an empty ring: LookupError."""
        # TODO
        raise NotImplementedError

    def get_nodes(self, key: str, n: int) -> list[str]:
        """n distinct nodes walking clockwise from the key, the first being get_node(key);
        all nodes when n is larger than their number; an empty ring: LookupError."""
        # TODO
        raise NotImplementedError
